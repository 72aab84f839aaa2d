import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IsolationSpec } from '../types.js';
import { mangle, planMounts, renderFstab, type HostFacts } from './mount-plan.js';

const iso: IsolationSpec = {
  root: '/data/alloc/a1/web/',
  chrootEnv: { '/usr': '/usr', '/lib32': '/lib32', '/etc/ssl/certs': '/etc/ssl/certs', '/etc': '/etc', '/etc/hosts': '/hosts' },
  mounts: [
    { hostPath: '/data/alloc/a1/alloc', taskPath: '/alloc', readonly: false },
    { hostPath: '/data/alloc/a1/web/local', taskPath: 'local', readonly: false },
    { hostPath: '/srv/shared', taskPath: '/shared', readonly: true },
    { hostPath: '/srv/certs', taskPath: '/certs', readonly: true, propagation: 'host-to-task' },
    { hostPath: '/srv/work', taskPath: '/work', readonly: false, propagation: 'bidirectional' },
  ],
  pidMode: 'private',
  ipcMode: 'private',
  hostname: 'web',
  capabilities: [],
  noPivotRoot: false,
};

const host: HostFacts = {
  kind: (p) => (p === '/lib32' || p === '/proc/kcore' ? undefined : p === '/etc/hosts' || p.startsWith('/proc/') ? 'file' : 'dir'),
};

describe('planMounts', () => {
  const plan = planMounts(iso, host);
  const targets = plan.map((e) => e.target);
  const R = '/data/alloc/a1/web';

  test('binds the root onto itself first (pivot_root needs a mount point)', () => {
    assert.deepEqual(plan[0], { source: R, target: R, fstype: 'none', options: 'rbind,rprivate', prepare: 'none' });
  });

  test('chroot_env is read-only, parents before children, missing host paths skipped', () => {
    const env = plan.filter((e) => e.options === 'bind,ro,private' && !e.target.startsWith(`${R}/dev`));
    assert.deepEqual(env.map((e) => e.source), ['/usr', '/etc', '/etc/hosts', '/etc/ssl/certs']);
    assert.ok(!targets.includes(`${R}/lib32`));
    assert.equal(plan.find((e) => e.source === '/etc/hosts')?.prepare, 'file');
  });

  test('task mounts: a dir already inside the root is not bound again; readonly honoured', () => {
    assert.ok(!targets.includes(`${R}/local`));
    assert.equal(plan.find((e) => e.target === `${R}/alloc`)?.options, 'bind,rprivate');
    assert.equal(plan.find((e) => e.target === `${R}/shared`)?.options, 'bind,ro,rprivate');
  });

  test('task mounts: propagation_mode as Nomad\'s exec applies it (rprivate, rslave, rshared)', () => {
    assert.equal(plan.find((e) => e.target === `${R}/certs`)?.options, 'bind,ro,rslave');
    assert.equal(plan.find((e) => e.target === `${R}/work`)?.options, 'bind,rshared');
  });

  test('binds of host paths other than volumes are private, so nothing the host mounts later reaches the task', () => {
    for (const e of plan.filter((x) => x.fstype === 'none' && !x.source.startsWith(R) && x.source !== '/dev/null')) {
      assert.match(e.options, /(^|,)r?(private|slave|shared)$/, `${e.source}: ${e.options}`);
      if (!['/srv/certs', '/srv/work'].includes(e.source)) assert.match(e.options, /private$/, `${e.source}: ${e.options}`);
    }
  });

  test('fresh /proc with masks, /dev from the skeleton, read-only /sys', () => {
    const proc = targets.indexOf(`${R}/proc`);
    assert.ok(proc > targets.indexOf(`${R}/dev`));
    assert.equal(plan[proc]?.fstype, 'proc');
    assert.ok(targets.indexOf(`${R}/proc/sys`) > proc);
    assert.ok(!targets.includes(`${R}/proc/kcore`), 'absent on this host → not masked');
    assert.equal(plan.find((e) => e.target === `${R}/dev/null`)?.source, '/dev/null');
    assert.equal(plan.find((e) => e.target === `${R}/dev`)?.options, 'bind,ro');
    assert.equal(plan.find((e) => e.target === `${R}/sys`)?.options, 'ro,nosuid,nodev,noexec');
  });

  test('devices: bound at their task path, read-only without "w"', () => {
    const p = planMounts({ ...iso, devices: [{ hostPath: '/dev/fuse', taskPath: '/dev/fuse', permissions: 'rwm' }, { hostPath: '/dev/sda', taskPath: '/dev/disk0', permissions: 'r' }] }, host);
    assert.deepEqual(p.find((e) => e.source === '/dev/fuse'), { source: '/dev/fuse', target: `${R}/dev/fuse`, fstype: 'none', options: 'bind,private', prepare: 'file' });
    assert.equal(p.find((e) => e.source === '/dev/sda')?.options, 'bind,ro,private');
  });

  test('a mount inside a read-only chroot_env entry: allowed where the host has the path, refused plainly where it has not', () => {
    const facts: HostFacts = { kind: (p) => (p === '/etc/nomad-ca' ? undefined : host.kind(p)) };
    const ok = planMounts({ ...iso, mounts: [{ hostPath: '/srv/ca', taskPath: '/etc/ssl/certs', readonly: true }] }, facts);
    assert.equal(ok.find((e) => e.source === '/srv/ca')?.target, `${R}/etc/ssl/certs`);
    assert.throws(
      () => planMounts({ ...iso, mounts: [{ hostPath: '/srv/ca', taskPath: '/etc/nomad-ca', readonly: true }] }, facts),
      /mount destination \/etc\/nomad-ca lies in \/etc, which the exec driver binds read-only from the host's \/etc \(chroot_env\), and \/etc\/nomad-ca does not exist there/,
    );
  });

  test('rejects .. in a task path', () => {
    assert.throws(() => planMounts({ ...iso, mounts: [{ hostPath: '/x', taskPath: '/../etc', readonly: false }] }, host), /must not contain/);
  });
});

describe('renderFstab', () => {
  test('escapes space, tab, newline and backslash like libmount expects', () => {
    assert.equal(mangle('/a b\tc\nd\\e'), '/a\\040b\\011c\\012d\\134e');
    const text = renderFstab([{ source: '/x y', target: '/r/x y', fstype: 'none', options: 'bind,ro', prepare: 'dir' }]);
    assert.equal(text, '/x\\040y /r/x\\040y none bind,ro 0 0\n');
  });
});
