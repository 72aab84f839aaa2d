import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotSupportedError, ValidationError } from '../../model/errors.js';
import { type TaskConfig } from '../types.js';
import { silentLogger } from '../../model/logger.js';
import { lookPath } from '../vm-shared/qemu-host.js';
import { removeVmTaskDirs, vmTaskConfig } from '../vm-shared/testing.js';
import { VirtDriver } from './driver.js';
import { BridgeNet, vmNicIdentity } from './net/bridge.js';

const executorDir = mkdtempSync('/tmp/dxv-');
const dataDir = mkdtempSync('/tmp/dvd-');
const dirs: string[] = [executorDir, dataDir];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  removeVmTaskDirs();
});

async function driver(pluginConfig: Record<string, unknown> = {}): Promise<VirtDriver> {
  const d = new VirtDriver({ logger: silentLogger, now: Date.now }, { dataDir: executorDir });
  await d.setConfig({ pluginConfig: { data_dir: dataDir, ...pluginConfig } });
  return d;
}

function task(driverConfig: Record<string, unknown>): TaskConfig {
  const cfg = vmTaskConfig({ driverConfig });
  dirs.push(cfg.allocDir);
  return cfg;
}

test('VirtDriver: capabilities as nomad-driver-virt (log collection kept, host volumes shared over 9p); signal and exec not supported', async () => {
  const d = await driver();
  assert.equal(d.pluginInfo().name, 'virt');
  assert.deepEqual(d.capabilities(), { sendSignals: false, exec: false, fsIsolation: 'image', netIsolationModes: ['host'], mustInitiateNetwork: false, mountConfigs: 'all' });
  await assert.rejects(d.signalTask('x', 'SIGHUP'), (e: unknown) => e instanceof NotSupportedError && e.message === 'This driver does not support signaling');
  await assert.rejects(d.execTask('x', ['ls'], 1000), (e: unknown) => e instanceof NotSupportedError && e.message === 'This driver does not support exec');
  await d.stopTask('unknown', 1000, '');
  await d.destroyTask('unknown', true);
  await assert.rejects(d.inspectTask('unknown'), { code: 'task_not_found' });
});

test('VirtDriver: fingerprint reports driver.virt and the emulator version as libvirt does', async (t) => {
  if (!lookPath('qemu-system-x86_64')) return t.skip('qemu-system-x86_64 not installed (Debian package qemu-system-x86)');
  const d = await driver();
  const ac = new AbortController();
  for await (const fp of d.fingerprint({ signal: ac.signal })) {
    assert.equal(fp.health, 'healthy');
    assert.equal(fp.attributes['driver.virt'], true);
    assert.ok(Number(fp.attributes['driver.virt.emulator.version']) > 1_000_000);
    break;
  }
  ac.abort();
});

test('VirtDriver: images and user_data outside the allowed paths are refused, including ".." and symlink escapes', async () => {
  const allowed = mkdtempSync('/tmp/dva-');
  dirs.push(allowed);
  writeFileSync(join(allowed, 'base.qcow2'), 'x');
  symlinkSync('/etc/shadow', join(allowed, 'link.qcow2'));
  const d = await driver({ image_paths: [allowed] });
  const refused = (field: string, re: RegExp) => (e: unknown) => e instanceof ValidationError && e.field === field && re.test(e.message);
  await assert.rejects(d.startTask(task({ image: '/etc/hostname' })), refused('config.image', /not in the allowed paths/));
  await assert.rejects(d.startTask(task({ image: `${allowed}/../../etc/hostname` })), refused('config.image', /resolves to \/etc\/hostname\)/));
  await assert.rejects(d.startTask(task({ image: join(allowed, 'link.qcow2') })), refused('config.image', /resolves to \/etc\/shadow\)/));
  await assert.rejects(d.startTask(task({ image: join(allowed, 'base.qcow2'), user_data: '/etc/shadow' })), refused('config.user_data', /not in the allowed paths/));
});

test('BridgeNet: tap name and MAC are stable, short and locally administered; no interface means -nic none', () => {
  const a = vmNicIdentity('web-1234');
  assert.deepEqual(vmNicIdentity('web-1234'), a);
  assert.ok(a.tap.length <= 15);
  assert.match(a.mac, /^52:54:00(:[0-9a-f]{2}){3}$/);
  const net = new BridgeNet({ logger: silentLogger });
  assert.deepEqual(net.vmArgs({ vmName: 'x', bridges: [], task: vmTaskConfig({ driverConfig: {} }) }), ['-nic', 'none']);
});

test('BridgeNet: bridge ports must be labels of the allocation\'s ports; the allocated ones pass', () => {
  const sys = mkdtempSync('/tmp/dv-net-');
  mkdirSync(join(sys, 'br0', 'bridge'), { recursive: true });
  try {
    const net = new BridgeNet({ logger: silentLogger, sysClassNet: sys });
    const bridges = [{ name: 'br0', ports: ['http'] }];
    assert.throws(
      () => net.vmArgs({ vmName: 'x', bridges, task: vmTaskConfig({ driverConfig: {} }) }),
      /network_interface: port label "http" is not a port of the task's network \(the allocation has no ports/,
    );
    const other = vmTaskConfig({ driverConfig: {}, resources: { ports: [{ label: 'db', value: 25000, to: 25000, hostIp: '192.0.2.2' }] } });
    assert.throws(() => net.vmArgs({ vmName: 'x', bridges, task: other }), /port label "http" is not a port of the task's network \(its ports: db\)/);
    const ok = vmTaskConfig({ driverConfig: {}, resources: { ports: [{ label: 'http', value: 25001, to: 80, hostIp: '192.0.2.2' }] } });
    try {
      assert.equal(net.vmArgs({ vmName: 'x', bridges, task: ok })[0], '-netdev');
    } catch (err) {
      // Past the label check only the host's tap support can refuse.
      assert.match((err as Error).message, /does not allow tap devices/);
    }
  } finally {
    rmSync(sys, { recursive: true, force: true });
  }
});
