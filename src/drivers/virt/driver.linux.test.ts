/**
 * virt driver against real VMs: the test guest as the cloud image, its
 * NoCloud seed made by the driver, thin copies, disk growth, recovery after
 * the driver process dies, and bridged networking with a port mapping.
 */
import { decodeExecutorState } from '../shared/executor-task.js';
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GUEST_READY } from '../vm-shared/guest/init-script.js';
import { imageInfo } from '../vm-shared/qemu-img.js';
import { qemuProcesses, startInChild, taskLog, vmTaskConfig, vmTestEnv, waitForLog, type VmTestEnv } from '../vm-shared/testing.js';
import { type TaskConfig } from '../types.js';
import { silentLogger } from '../../model/logger.js';
import { BridgeNet, vmNicIdentity } from './net/bridge.js';
import { VirtDriver } from './driver.js';
import { vmNameFromTaskId } from './args.js';
import type { AllocatedPort } from '../../model/network.js';

let env: VmTestEnv | undefined;
let skip: string | undefined;
const executorDir = mkdtempSync('/tmp/dxv-');
const dataDir = mkdtempSync('/tmp/dvd-');
const drivers: VirtDriver[] = [];
const started: Array<{ d: VirtDriver; id: string }> = [];
const allocDirs: string[] = [];

before(async () => {
  const e = await vmTestEnv();
  if (typeof e === 'string') {
    skip = e;
    process.stderr.write(`# virt VM tests skipped: ${e}\n`);
  } else env = e;
});

after(async () => {
  for (const { d, id } of started) await d.destroyTask(id, true).catch(() => undefined);
  for (const d of drivers) await d.shutdown({});
  const stray = qemuProcesses(dataDir);
  for (const p of [executorDir, dataDir, ...allocDirs]) rmSync(p, { recursive: true, force: true });
  assert.deepEqual(stray, [], `QEMU processes left behind: ${stray.join(', ')}`);
});

async function driver(e: VmTestEnv, opts: { ipDiscoveryTimeoutMs?: number } = {}): Promise<VirtDriver> {
  const net = new BridgeNet({ logger: silentLogger, ipDiscoveryTimeoutMs: opts.ipDiscoveryTimeoutMs ?? e.bootTimeoutMs });
  const d = new VirtDriver({ logger: silentLogger, now: Date.now }, { dataDir: executorDir, net });
  drivers.push(d);
  await d.setConfig({ pluginConfig: pluginConfig(e) });
  return d;
}

function pluginConfig(e: VmTestEnv): Record<string, unknown> {
  return { data_dir: dataDir, image_paths: [e.guest.dir], accelerator: e.accelerator };
}

function task(driverConfig: Record<string, unknown>, o: { env?: Record<string, string>; ports?: readonly AllocatedPort[] } = {}): TaskConfig {
  const cfg = vmTaskConfig({ driverConfig, ...(o.env ? { env: o.env } : {}), ...(o.ports ? { resources: { ports: o.ports } } : {}) });
  allocDirs.push(cfg.allocDir);
  return cfg;
}

function skipped(t: TestContext): boolean {
  if (skip !== undefined) t.skip(skip);
  return skip !== undefined;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

const MiB = 2 ** 20;

test('virt: cloud-init seed (hostname, cmds, user_data, timezone, default user), thin copy and primary_disk_size, graceful stop, destroy', async (t) => {
  if (skipped(t) || !env) return;
  const d = await driver(env);
  const baseBefore = sha256(env.guest.qcow2Disk);
  const cfg = task({
    image: env.guest.qcow2Disk,
    use_thin_copy: true,
    primary_disk_size: 64,
    hostname: 'virt-guest',
    timezone: 'Europe/Paris',
    default_user_password: 'p4ss:word',
    default_user_authorized_ssh_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAItest drover@test',
    cmds: ['echo "virt cmd $((2 + 3))"', 'echo "writes to disk" > /dev/vda'],
    user_data: 'local/user-data.yaml',
  });
  writeFileSync(join(cfg.taskDir.localDir, 'user-data.yaml'), '#cloud-config\nruncmd:\n  - echo from user_data\n');
  const { handle } = await d.startTask(cfg);
  started.push({ d, id: cfg.id });
  const vmName = vmNameFromTaskId(cfg.id);
  const overlay = join(dataDir, `${vmName}.img`);
  const seed = join(dataDir, `${vmName}.iso`);

  const log = await waitForLog(cfg, GUEST_READY, env.bootTimeoutMs);
  assert.match(log, /drover-guest: hostname=virt-guest/);
  assert.match(log, /drover-guest: timezone=Europe\/Paris/);
  assert.match(log, /drover-guest: password=set/);
  assert.match(log, /drover-guest: ssh-keys=1/);
  assert.match(log, /^virt cmd 5\r?$/m);
  assert.match(log, /^from user_data\r?$/m);
  assert.match(log, new RegExp(`drover-guest: disk vda ${64 * MiB}`));

  const info = await imageInfo(overlay);
  assert.equal(info.format, 'qcow2');
  assert.equal(info.virtualSizeBytes, 64 * MiB);
  assert.equal(info.backingFilename, env.guest.qcow2Disk);
  const stored = decodeExecutorState(handle.driverState).extra['taskConfig'] as { id?: unknown } | undefined;
  assert.equal(stored?.id, cfg.id);

  const status = await d.inspectTask(cfg.id);
  assert.equal(status.state, 'running');
  assert.equal(status.driverAttributes['vm_name'], vmName);

  const t0 = Date.now();
  await d.stopTask(cfg.id, 20_000, '');
  assert.ok(Date.now() - t0 < 20_000);
  assert.deepEqual(await d.waitTask(cfg.id, {}), { exitCode: 0, signal: 0, oomKilled: false });
  assert.match(taskLog(cfg), /powering off/);
  assert.equal(sha256(env.guest.qcow2Disk), baseBefore, 'the base image changed');

  await d.destroyTask(cfg.id, false);
  assert.equal(existsSync(overlay), false, 'overlay left behind');
  assert.equal(existsSync(seed), false, 'seed left behind');
  await assert.rejects(d.inspectTask(cfg.id), { code: 'task_not_found' });
});

test('virt: host volumes over virtio-9p: the guest reads both, writes the writable one (seen on the host), cannot write the read-only one even after remounting it rw, and sees a later host mount', async (t) => {
  if (skipped(t) || !env) return;
  const d = await driver(env);
  const vols = mkdtempSync('/tmp/dvv-');
  allocDirs.push(vols);
  const ro = join(vols, 'ro');
  const rw = join(vols, 'rw');
  for (const [dir, text] of [[ro, 'read-only volume'], [rw, 'writable volume']] as const) {
    mkdirSync(dir);
    writeFileSync(join(dir, 'hello'), `${text}\n`);
  }
  const base = task({
    image: env.guest.qcow2Disk,
    use_thin_copy: true,
    cmds: [
      'echo "ro: $(cat /srv/ro/hello)"',
      'echo "rw: $(cat /srv/rw/hello)"',
      'echo from-guest > /srv/rw/written && echo "rw write ok"',
      'touch /srv/ro/x 2>/dev/null && echo "ro write ok" || echo "ro write refused"',
      '{ mount -o remount,rw /srv/ro && echo sneaky > /srv/ro/y; } 2>/dev/null && echo "ro remount write ok" || echo "ro remount write refused"',
      'echo "local: $(cat /local/greeting)"',
      // Bounded: the host mounts a tmpfs under the volume once it reads this line.
      'echo "waiting for the host mount"; i=0; while [ ! -e /srv/rw/sub/late ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; echo "late: $(cat /srv/rw/sub/late 2>&1)"',
    ],
  });
  const cfg: TaskConfig = {
    ...base,
    mounts: [
      { hostPath: ro, taskPath: '/srv/ro', readonly: true },
      { hostPath: rw, taskPath: '/srv/rw', readonly: false },
    ],
  };
  writeFileSync(join(cfg.taskDir.localDir, 'greeting'), 'task dir shared\n');
  mkdirSync(join(rw, 'sub'));
  await d.startTask(cfg);
  started.push({ d, id: cfg.id });
  await waitForLog(cfg, 'waiting for the host mount', env.bootTimeoutMs);
  // QEMU serves the host's current tree, so a later host mount shows (9p has no propagation_mode; nomad-driver-virt ignores it).
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'drover-test', join(rw, 'sub')]);
  let log: string;
  try {
    writeFileSync(join(rw, 'sub', 'late'), 'mounted on the host later\n');
    log = (await waitForLog(cfg, GUEST_READY, env.bootTimeoutMs)).replace(/\r/g, '');
  } finally {
    execFileSync('umount', ['-l', join(rw, 'sub')]);
  }
  assert.doesNotMatch(log, /not found|failed/, log);
  assert.match(log, /^ro: read-only volume$/m);
  assert.match(log, /^rw: writable volume$/m);
  assert.match(log, /^rw write ok$/m);
  assert.match(log, /^ro write refused$/m);
  assert.match(log, /^ro remount write refused$/m);
  assert.match(log, /^local: task dir shared$/m);
  assert.match(log, /^late: mounted on the host later$/m);
  assert.equal(readFileSync(join(rw, 'written'), 'utf8'), 'from-guest\n');
  assert.deepEqual(readdirSync(ro), ['hello']);
  await d.destroyTask(cfg.id, true);
});

test('virt: destroy with force kills a running VM and removes its overlay', async (t) => {
  if (skipped(t) || !env) return;
  const d = await driver(env);
  const cfg = task({ image: env.guest.qcow2Disk, use_thin_copy: true });
  await d.startTask(cfg);
  started.push({ d, id: cfg.id });
  const overlay = join(dataDir, `${vmNameFromTaskId(cfg.id)}.img`);
  assert.ok(existsSync(overlay));
  await assert.rejects(d.destroyTask(cfg.id, false), /cannot destroy running task/);
  await d.destroyTask(cfg.id, true);
  assert.equal(existsSync(overlay), false);
  assert.deepEqual(qemuProcesses(overlay), []);
});

test('virt: after kill -9 of the driver process a new driver recovers the running VM and stops it', async (t) => {
  if (skipped(t) || !env) return;
  const cfg = task({ image: env.guest.qcow2Disk, use_thin_copy: true, hostname: 'survivor' });
  const child = await startInChild(new URL('./driver.js', import.meta.url).href, 'VirtDriver', { executorDataDir: executorDir, pluginConfig: pluginConfig(env), task: cfg });
  const d = await driver(env);
  started.push({ d, id: cfg.id });
  try {
    await waitForLog(cfg, GUEST_READY, env.bootTimeoutMs);
  } finally {
    child.child.kill('SIGKILL');
  }
  await new Promise((r) => child.child.once('exit', r));
  await d.recoverTask(child.handle);
  assert.equal((await d.inspectTask(cfg.id)).state, 'running');
  await d.stopTask(cfg.id, 20_000, '');
  assert.deepEqual(await d.waitTask(cfg.id, {}), { exitCode: 0, signal: 0, oomKilled: false });
  await d.destroyTask(cfg.id, false);
  assert.equal(existsSync(join(dataDir, `${vmNameFromTaskId(cfg.id)}.img`)), false);
});

test('virt: an unknown bridge is refused before any VM starts', async (t) => {
  if (skipped(t) || !env) return;
  const d = await driver(env);
  const cfg = task({ image: env.guest.qcow2Disk, use_thin_copy: true, network_interface: [{ bridge: [{ name: 'nosuchbr0' }] }] });
  await assert.rejects(d.startTask(cfg), /bridge "nosuchbr0" does not exist on this host/);
  assert.equal(existsSync(join(dataDir, `${vmNameFromTaskId(cfg.id)}.img`)), false);
});

test('virt: a bridged VM gets its tap on the bridge and its port mapped with iptables; teardown removes both', async (t) => {
  if (skipped(t) || !env) return;
  const bridge = `drvbr${process.pid % 10000}`;
  try {
    execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
    execFileSync('ip', ['addr', 'add', '10.213.0.1/24', 'dev', bridge]);
    execFileSync('ip', ['link', 'set', bridge, 'up']);
    execFileSync('iptables', ['-w', '-t', 'nat', '-n', '-L'], { stdio: 'pipe' });
  } catch (err) {
    t.skip(`cannot create a bridge or use iptables here: ${(err as Error).message}`);
    return;
  }
  try {
    const d = await driver(env);
    const cfg = task(
      {
        image: env.guest.qcow2Disk,
        use_thin_copy: true,
        cmds: ['ip link set eth0 up', 'ip addr add 10.213.0.2/24 dev eth0', 'ping -c 2 -W 2 10.213.0.1 >/dev/null && echo pinged host'],
        network_interface: [{ bridge: [{ name: bridge, ports: ['http'] }] }],
      },
      { ports: [{ label: 'http', value: 28080, to: 80, hostIp: '10.213.0.1' }] },
    );
    const res = await d.startTask(cfg);
    started.push({ d, id: cfg.id });
    assert.equal(res.network?.ip, '10.213.0.2');
    const { tap } = vmNicIdentity(vmNameFromTaskId(cfg.id));
    assert.equal(readFileSync(`/sys/class/net/${tap}/master/ifindex`, 'utf8'), readFileSync(`/sys/class/net/${bridge}/ifindex`, 'utf8'));
    const nat = execFileSync('iptables', ['-w', '-t', 'nat', '-S', 'NOMAD_VT_PRT'], { encoding: 'utf8', stdio: 'pipe' });
    assert.match(nat, /-d 10\.213\.0\.1\/32 -i drvbr\d+ -p tcp -m tcp --dport 28080 -j DNAT --to-destination 10\.213\.0\.2:80/);
    await d.stopTask(cfg.id, 20_000, '');
    await d.destroyTask(cfg.id, false);
    assert.doesNotMatch(execFileSync('iptables', ['-w', '-t', 'nat', '-S', 'NOMAD_VT_PRT'], { encoding: 'utf8', stdio: 'pipe' }), /28080/);
    assert.equal(existsSync(`/sys/class/net/${tap}`), false);

    // A VM that never shows up on the bridge: the start fails and nothing of it remains.
    const quick = await driver(env, { ipDiscoveryTimeoutMs: 1_500 });
    const silent = task({ image: env.guest.qcow2Disk, use_thin_copy: true, network_interface: [{ bridge: [{ name: bridge, ports: ['http'] }] }] }, { ports: [{ label: 'http', value: 28081, to: 28081, hostIp: '' }] });
    await assert.rejects(quick.startTask(silent), /virt: failed to build task network: timed out after 1500 ms waiting for the VM \(MAC [0-9a-f:]+\) to appear on bridge/);
    assert.deepEqual(qemuProcesses(silent.allocDir), []);
    assert.equal(existsSync(`/sys/class/net/${vmNicIdentity(vmNameFromTaskId(silent.id)).tap}`), false);
    assert.equal(existsSync(join(dataDir, `${vmNameFromTaskId(silent.id)}.img`)), false);
    await assert.rejects(quick.inspectTask(silent.id), { code: 'task_not_found' });
  } finally {
    execFileSync('ip', ['link', 'del', bridge]);
  }
});
