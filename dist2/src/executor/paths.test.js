import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daemonPaths, taskKey } from './paths.js';
test('taskKey: one safe path segment, reversible, no dot names', () => {
    assert.equal(taskKey('5d9b1b2a-0000/web/ab12cd34'), '5d9b1b2a-0000%2Fweb%2Fab12cd34');
    assert.equal(taskKey("it's a (task)"), 'it%27s%20a%20%28task%29');
    assert.equal(taskKey('..'), '%2E.');
    assert.equal(taskKey('a.b'), 'a.b');
    assert.equal(decodeURIComponent(taskKey('ü/x y')), 'ü/x y');
});
test('daemonPaths: socket, log, journal and a per-dir lock name', () => {
    const p = daemonPaths('/var/lib/drover');
    assert.equal(p.socket, '/var/lib/drover/executor.sock');
    assert.equal(p.log, '/var/lib/drover/executor.log');
    assert.equal(p.tasksDir, '/var/lib/drover/executor/tasks');
    assert.ok(p.lockName.startsWith('\0drover-executor-'));
    assert.notEqual(p.lockName, daemonPaths('/var/lib/other').lockName);
    assert.equal(p.lockName, daemonPaths('/var/lib/drover/').lockName);
});
//# sourceMappingURL=paths.test.js.map