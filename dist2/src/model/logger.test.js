import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger, sinkLogger } from './logger.js';
test('logger: named() extends the module with a dot and with() carries fields, as hclog', () => {
    const lines = [];
    const root = sinkLogger((r) => lines.push(r), 'agent');
    const tr = root.named('alloc_runner').with({ alloc_id: 'a1' }).named('task_runner').with({ task: 'web' });
    tr.warn('failed to destroy task', { error: 'boom' });
    root.info('plain');
    tr.with({ task: 'other' }).error('own fields win', { task: 'mine' });
    assert.deepEqual(lines, [
        { level: 'warn', module: 'agent.alloc_runner.task_runner', message: 'failed to destroy task', fields: { alloc_id: 'a1', task: 'web', error: 'boom' } },
        { level: 'info', module: 'agent', message: 'plain', fields: {} },
        { level: 'error', module: 'agent.alloc_runner.task_runner', message: 'own fields win', fields: { alloc_id: 'a1', task: 'mine' } },
    ]);
});
test('logger: silentLogger stays silent through named() and with()', () => {
    assert.equal(silentLogger.named('x').with({ a: 1 }), silentLogger);
});
//# sourceMappingURL=logger.test.js.map