import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkIsolationSpec, TaskConfig } from '../../drivers/types.js';
import * as pb from '../wire/driver.js';
import { testTaskConfig } from '../testing/task-config.js';
import { networkIsolationFromPb, networkIsolationToPb } from './network-isolation.js';
import { taskConfigFromPb, taskConfigToPb } from './task-config.js';
import { taskHandleFromPb, taskHandleToPb } from './task-handle.js';

const group: NetworkIsolationSpec = {
  mode: 'group',
  path: '/var/run/netns/4f1c7a2e-0000-4000-8000-000000000001',
  labels: { docker_sandbox_container_id: 'abc' },
  hostsConfig: { hostname: 'web-0', address: '172.26.64.5' },
};

test('NetworkIsolationSpec: every mode, labels and hosts config round-trip through the protobuf bytes; unset stays unset', () => {
  for (const mode of ['host', 'group', 'task', 'none'] as const) {
    const s: NetworkIsolationSpec = { ...group, mode };
    const bytes = pb.NetworkIsolationSpec.encode(networkIsolationToPb(s) as pb.NetworkIsolationSpec).finish();
    assert.deepEqual(networkIsolationFromPb(pb.NetworkIsolationSpec.decode(bytes)), s);
  }
  assert.equal(networkIsolationToPb(undefined), undefined);
  assert.equal(networkIsolationFromPb(undefined), undefined);
  // Nomad's network hook sets no HostsConfig for drivers other than docker.
  const bare: NetworkIsolationSpec = { mode: 'group', path: '/var/run/netns/x', labels: {} };
  assert.deepEqual(networkIsolationFromPb(networkIsolationToPb(bare)), bare);
  // Nomad's enum numbers (driver.proto): HOST 0, GROUP 1, TASK 2, NONE 3.
  assert.equal(networkIsolationToPb(group)?.mode, 1);
});

test('TaskConfig.network_isolation_spec (field 16): a task config and its handle carry the spec both ways', () => {
  const base = testTaskConfig({ run_for: '1s' });
  const c: TaskConfig = { ...base, networkIsolation: group };
  const bytes = pb.TaskConfig.encode(taskConfigToPb(c, Buffer.alloc(0))).finish();
  const back = taskConfigFromPb(pb.TaskConfig.decode(bytes), c.driverConfig);
  assert.deepEqual(back.networkIsolation, group);
  assert.deepEqual(taskHandleFromPb(taskHandleToPb({ version: 1, config: c, state: 'running', driverState: new Uint8Array() }, Buffer.alloc(0)), c.driverConfig).config.networkIsolation, group);
  // Host mode tasks get no spec from Nomad: none on the wire, none decoded.
  const hostPb = taskConfigToPb(base, Buffer.alloc(0));
  assert.equal(hostPb.network_isolation_spec, undefined);
  assert.equal('networkIsolation' in taskConfigFromPb(hostPb, base.driverConfig), false);
});
