import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DroverError, type VolumeMount, type VolumeRequest } from '../../model/index.js';
import { makeJob, makeTask } from '../testing.js';
import { hostVolumeMounts, VolumeHook, type VolumeHookConfig } from './volume-hook.js';

const vol = (name: string, source: string, over: Partial<VolumeRequest> = {}): VolumeRequest => ({
  name, type: 'host', source, readOnly: false, perAlloc: false, accessMode: '', attachmentMode: '', ...over,
});
const mount = (volume: string, destination: string, over: Partial<VolumeMount> = {}): VolumeMount => ({
  volume, destination, readOnly: false, propagationMode: '', selinuxLabel: '', ...over,
});

function config(volumes: VolumeRequest[], mounts: VolumeMount[], over: Partial<VolumeHookConfig> = {}): VolumeHookConfig {
  const task = makeTask('t', {}, { volumeMounts: mounts });
  const group = makeJob([task], { group: { volumes } }).groups[0];
  assert.ok(group);
  return {
    group,
    task,
    allocIndex: 0,
    hostVolumes: { rw: { path: '/srv/rw', readOnly: false }, ro: { path: '/srv/ro', readOnly: true }, 'shard[2]': { path: '/srv/s2', readOnly: false } },
    driverMounts: 'all',
    ...over,
  };
}

test('volume hook: read-only when the host volume, the group volume or the mount says so', () => {
  const mounts = hostVolumeMounts(config(
    [vol('a', 'rw'), vol('b', 'ro'), vol('c', 'rw', { readOnly: true })],
    [mount('a', '/a'), mount('a', '/a-ro', { readOnly: true }), mount('b', '/b'), mount('c', '/c', { propagationMode: 'host-to-task', selinuxLabel: 'z' })],
  ));
  assert.deepEqual(mounts, [
    { hostPath: '/srv/rw', taskPath: '/a', readonly: false, propagationMode: '' },
    { hostPath: '/srv/rw', taskPath: '/a-ro', readonly: true, propagationMode: '' },
    { hostPath: '/srv/ro', taskPath: '/b', readonly: true, propagationMode: '' },
    { hostPath: '/srv/rw', taskPath: '/c', readonly: true, propagationMode: 'host-to-task', selinuxLabel: 'z' },
  ]);
});

test('volume hook: per_alloc appends the alloc index to the source', () => {
  const mounts = hostVolumeMounts(config([vol('s', 'shard', { perAlloc: true })], [mount('s', '/s')], { allocIndex: 2 }));
  assert.deepEqual(mounts.map((m) => m.hostPath), ['/srv/s2']);
  assert.throws(() => hostVolumeMounts(config([vol('s', 'shard', { perAlloc: true })], [mount('s', '/s')], { allocIndex: 0 })), /host volume validation error: missing shard\[0\]/);
});

test('volume hook: a host volume gone since submit, and a driver without mounts, fail the task as Nomad does', () => {
  assert.throws(() => hostVolumeMounts(config([vol('a', 'gone')], [])), (e: unknown) => e instanceof DroverError && /missing gone/.test(e.message));
  assert.throws(
    () => hostVolumeMounts(config([vol('a', 'rw')], [mount('a', '/a')], { driverMounts: 'none' })),
    /task driver "mock_driver" for "t" does not support host volumes/,
  );
  // Nothing mounted: nothing for the driver to refuse.
  assert.deepEqual(hostVolumeMounts(config([vol('a', 'rw')], [], { driverMounts: 'none' })), []);
});

test('volume hook: volume, destination and propagation_mode are interpolated with the task env and node facts, as Nomad does', async () => {
  const c = config([vol('a', 'rw')], [mount('a', '${NOMAD_TASK_DIR}/certs-${meta.rack}', { propagationMode: '${env["MODE"]}' })], { node: { attributes: { 'meta.rack': 'r1' }, datacenter: 'dc1' } });
  const hook = new VolumeHook(c);
  const env = { NOMAD_TASK_DIR: '/local', MODE: 'host-to-task' };
  const res = await hook.prestart({ task: c.task, taskDir: { dir: '/t', sharedAllocDir: '/a', logDir: '/a/logs', localDir: '/t/local', secretsDir: '/t/secrets', tmpDir: '/t/tmp' }, env, signal: new AbortController().signal });
  assert.deepEqual(res.mounts, [{ hostPath: '/srv/rw', taskPath: '/local/certs-r1', readonly: false, propagationMode: 'host-to-task' }]);
});
