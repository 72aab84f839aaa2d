import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stderrLogger } from './logger.js';
import { hclogLogger } from '../plugin/logger.js';
test('stderrLogger: Nomad-style lines, named modules, level filter, errors as their message', () => {
    const lines = [];
    const log = stderrLogger('info', (l) => lines.push(l));
    log.named('alloc_runner').with({ alloc_id: 'a1' }).warn('failed to kill task', { task: 'web', error: new Error('no such process') });
    log.debug('hidden');
    log.info('started', { msg: 'two words' });
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^\S+Z \[WARN\]  agent\.alloc_runner: failed to kill task: alloc_id=a1 task=web error="no such process"\n$/);
    assert.match(lines[1], /^\S+Z \[INFO\]  agent: started: msg="two words"\n$/);
});
test('hclogLogger: named() appends to @module', () => {
    const lines = [];
    hclogLogger('raw_exec', (l) => lines.push(l)).named('executor').with({ task_id: 't1' }).info('hello');
    const entry = JSON.parse(lines[0]);
    assert.equal(entry['@module'], 'raw_exec.executor');
    assert.equal(entry['@message'], 'hello');
    assert.equal(entry.task_id, 't1');
});
//# sourceMappingURL=logger.test.js.map