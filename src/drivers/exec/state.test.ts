import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTaskState, encodeTaskState } from './state.js';

test('driver state round-trips and rejects foreign bytes', () => {
  const launched = { taskId: 'a/b/c', pid: 42, startedAt: 1700000000000, procStartTicks: 12345, cgroup: '/sys/fs/cgroup/pids/drover/x' };
  assert.deepEqual(decodeTaskState(encodeTaskState({ executorDataDir: '/data', launched })), { executorDataDir: '/data', launched });
  assert.throws(() => decodeTaskState(Buffer.from(JSON.stringify({ v: 1, launched }))), /executorDataDir is not a string/);
  assert.throws(() => decodeTaskState(Buffer.from('{"v":2}')), /unsupported driver state version 2/);
  assert.throws(() => decodeTaskState(Buffer.from('{"v":1,"launched":{"taskId":"x","pid":"1"}}')), /launched.pid is not a number/);
  assert.throws(() => decodeTaskState(Buffer.from('not json')));
});
