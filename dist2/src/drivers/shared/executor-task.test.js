import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeExecutorState, encodeExecutorState } from './executor-task.js';
const proc = { executorDataDir: '/data', pid: 42, startedAt: 1700000000000, procStartTicks: 12345, cgroup: '/sys/fs/cgroup/pids/drover/x' };
test('driver state round-trips, with the driver fields apart, and rejects foreign bytes', () => {
    assert.deepEqual(decodeExecutorState(encodeExecutorState(proc)), { state: proc, extra: {} });
    assert.deepEqual(decodeExecutorState(encodeExecutorState({ ...proc, qmpPath: '/q.sock' })), { state: proc, extra: { qmpPath: '/q.sock' } });
    const { executorDataDir: _d, ...noDir } = proc;
    assert.throws(() => decodeExecutorState(Buffer.from(JSON.stringify({ v: 1, ...noDir }))), /driver state.executorDataDir: missing required field/);
    assert.throws(() => decodeExecutorState(Buffer.from('{"v":2}')), /unsupported driver state version 2/);
    assert.throws(() => decodeExecutorState(Buffer.from('{"v":1,"executorDataDir":"/d","pid":"1"}')), /driver state.pid: expected an integer/);
    assert.throws(() => decodeExecutorState(Buffer.from('[]')), /not an object/);
    assert.throws(() => decodeExecutorState(Buffer.from('not json')));
});
test('handles written by earlier drovers still decode (raw_exec unversioned, exec nested under launched)', () => {
    const { executorDataDir, ...launched } = proc;
    assert.deepEqual(decodeExecutorState(Buffer.from(JSON.stringify({ v: 1, executorDataDir, launched: { taskId: 'a/b/c', ...launched } }))).state, proc);
    assert.deepEqual(decodeExecutorState(Buffer.from(JSON.stringify({ taskId: 'a/b/c', ...proc }))).state, proc);
});
//# sourceMappingURL=executor-task.test.js.map