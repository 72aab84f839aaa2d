/**
 * The network isolation spec and the network RPCs over a real in-process
 * gRPC pair: a served driver receives the TaskConfig's spec exactly as the
 * client sent it, and a driver without DriverNetworkManager answers
 * CreateNetwork/DestroyNetwork with Unimplemented.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MockDriver } from '../drivers/mock/driver.js';
import type { NetworkIsolationSpec, StartResult, TaskConfig } from '../drivers/types.js';
import { DroverError, ErrorCode } from '../model/errors.js';
import { silentLogger } from '../model/logger.js';
import { servedInProcess } from './testing/in-process.js';
import { testTaskConfig } from './testing/task-config.js';

/** mock_driver that keeps every TaskConfig it was asked to start. */
class RecordingMock extends MockDriver {
  readonly started: TaskConfig[] = [];

  override async startTask(config: TaskConfig): Promise<StartResult> {
    this.started.push(config);
    return super.startTask(config);
  }
}

test('plugin: a served driver receives TaskConfig.networkIsolation as the client sent it', async () => {
  const driver = new RecordingMock({ logger: silentLogger, now: Date.now });
  await driver.setConfig({ pluginConfig: {} });
  const pair = await servedInProcess(driver);
  try {
    const spec: NetworkIsolationSpec = { mode: 'group', path: '/var/run/netns/alloc-1', labels: { a: 'b' }, hostsConfig: { hostname: 'web', address: '10.1.2.3' } };
    const cfg: TaskConfig = { ...testTaskConfig({ run_for: '10ms' }), networkIsolation: spec };
    await pair.client.startTask(cfg);
    assert.deepEqual(driver.started[0]?.networkIsolation, spec);
    await pair.client.waitTask(cfg.id, {});
    await pair.client.destroyTask(cfg.id, false);
  } finally {
    await pair.close();
  }
});

test('plugin: CreateNetwork and DestroyNetwork on a driver without network management are Unimplemented', async () => {
  const driver = new MockDriver({ logger: silentLogger, now: Date.now });
  await driver.setConfig({ pluginConfig: {} });
  const pair = await servedInProcess(driver);
  try {
    const unimplemented = (rpc: string) => (err: unknown) => err instanceof DroverError && err.code === ErrorCode.notSupported && err.message.includes(`${rpc} RPC not supported by driver`);
    await assert.rejects(pair.client.createNetwork('alloc-1', { hostname: '' }), unimplemented('CreateNetwork'));
    await assert.rejects(pair.client.destroyNetwork('alloc-1', { mode: 'group', path: '/var/run/netns/alloc-1', labels: {} }), unimplemented('DestroyNetwork'));
    // No spec: nothing to destroy, so the client makes no call (as Nomad's).
    await pair.client.destroyNetwork('alloc-1', undefined);
  } finally {
    await pair.close();
  }
});
