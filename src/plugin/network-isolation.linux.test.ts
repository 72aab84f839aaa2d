/**
 * Network namespaces across the go-plugin bridge, on real namespaces (root
 * and iproute2 only): CreateNetwork/DestroyNetwork over gRPC make and
 * remove one for a driver that manages its network, and raw_exec served by
 * a plugin process (as a Nomad client runs it) starts its task, and execs
 * into it, inside the namespace the TaskConfig names.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MockDriver } from '../drivers/mock/driver.js';
import { netnsExists } from '../drivers/shared/netns.js';
import { NetnsNetworkManager } from '../drivers/shared/netns-network-manager.js';
import { netnsFixture, netnsLink, type TestNetns } from '../drivers/shared/netns-testing.js';
import type { DriverNetworkManager, NetworkCreateRequest, NetworkIsolationSpec, TaskConfig } from '../drivers/types.js';
import { silentLogger } from '../model/logger.js';
import { eventually } from '../model/testing/eventually.js';
import { servedInProcess } from './testing/in-process.js';
import { servedRawExec } from './testing/raw-exec-target.js';
import { testTaskConfig } from './testing/task-config.js';

const fx = netnsFixture();
const markerDir = mkdtempSync(join(tmpdir(), 'drover-netns-rpc-'));
const allocs: string[] = [];
let ns: TestNetns;

before(async () => {
  if (fx.skip) process.stderr.write(`# plugin netns tests skipped: ${fx.skip}\n`);
  else ns = await fx.make();
});

after(async () => {
  try {
    const m = new NetnsNetworkManager({ markerDir });
    for (const id of allocs) await m.destroyNetwork(id, { mode: 'group', path: `/var/run/netns/${id}`, labels: {} });
    rmSync(markerDir, { recursive: true, force: true });
  } finally {
    await fx.cleanup();
  }
});

/** mock_driver that, like a driver announcing mustInitiateNetwork, makes the allocation's namespace itself. */
class NetworkingMock extends MockDriver implements DriverNetworkManager {
  private readonly nets = new NetnsNetworkManager({ markerDir });

  createNetwork(allocId: string, request: NetworkCreateRequest): Promise<{ spec: NetworkIsolationSpec; created: boolean }> {
    return this.nets.createNetwork(allocId, request);
  }

  destroyNetwork(allocId: string, spec: NetworkIsolationSpec | undefined): Promise<void> {
    return this.nets.destroyNetwork(allocId, spec);
  }
}

test('plugin: CreateNetwork over gRPC makes the allocation namespace (then adopts it), DestroyNetwork removes it', async (t) => {
  if (fx.skip) return t.skip(fx.skip);
  const driver = new NetworkingMock({ logger: silentLogger, now: Date.now });
  await driver.setConfig({ pluginConfig: {} });
  const pair = await servedInProcess(driver);
  const allocId = `drover-test-${randomUUID()}`;
  allocs.push(allocId);
  try {
    const path = `/var/run/netns/${allocId}`;
    const first = await pair.client.createNetwork(allocId, { hostname: '' });
    assert.deepEqual(first, { spec: { mode: 'group', path, labels: {} }, created: true });
    assert.equal(netnsExists(allocId), true);
    assert.notEqual(netnsLink(path), readlinkSync('/proc/self/ns/net'));
    // A client restarting over a live allocation asks again: same namespace, not made anew.
    const again = await pair.client.createNetwork(allocId, { hostname: '' });
    assert.deepEqual(again, { spec: first.spec, created: false });

    await pair.client.destroyNetwork(allocId, first.spec);
    assert.equal(existsSync(path), false);
    assert.equal(existsSync(join(markerDir, allocId)), false);
    await pair.client.destroyNetwork(allocId, first.spec); // idempotent
  } finally {
    await pair.close();
  }
});

test('plugin: raw_exec served by a plugin process runs its task and execs in the namespace the TaskConfig names', async (t) => {
  if (fx.skip) return t.skip(fx.skip);
  const opened = await servedRawExec().open();
  try {
    const d = opened.driver;
    const cfg: TaskConfig = {
      ...testTaskConfig({ command: '/bin/sh', args: ['-c', 'readlink /proc/self/ns/net; exec sleep 60'] }),
      networkIsolation: { mode: 'group', path: ns.path, labels: {} },
    };
    await d.startTask(cfg);
    await eventually(() => readFileSync(cfg.stdoutPath, 'utf8') === `${ns.link}\n`, { message: 'the task to print its namespace' });
    const r = await d.execTask(cfg.id, ['/usr/bin/readlink', '/proc/self/ns/net'], 10_000);
    assert.equal(Buffer.from(r.stdout).toString(), `${ns.link}\n`);
    await d.stopTask(cfg.id, 0, 'SIGKILL');
    await d.destroyTask(cfg.id, false);
  } finally {
    await opened.dispose();
  }
});
