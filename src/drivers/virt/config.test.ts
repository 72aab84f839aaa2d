import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePluginConfig, decodeTaskConfig } from './config.js';
import { removeVmTaskDirs, vmTaskConfig } from '../vm-shared/testing.js';

after(removeVmTaskDirs);
import { buildVirtArgs, vmNameFromTaskId } from './args.js';
import { defaultHostname, guestMounts, seedConfig } from './seed.js';

test('virt config: nomad-driver-virt names and defaults', () => {
  assert.deepEqual(decodePluginConfig({}), { dataDir: '/var/lib/virt', imagePaths: [], accelerator: 'auto' });
  assert.deepEqual(decodePluginConfig({ emulator: [{ uri: 'qemu:///session' }], data_dir: '/d', image_paths: ['/i'], accelerator: 'tcg' }), { dataDir: '/d', imagePaths: ['/i'], accelerator: 'tcg' });
  const c = decodeTaskConfig({
    image: 'local/focal.img',
    os: [{ arch: 'x86_64', machine: 'q35' }],
    cmds: ['echo hi'],
    use_thin_copy: true,
    primary_disk_size: 9000,
    network_interface: [{ bridge: [{ name: 'virbr0', ports: ['http'] }] }],
  });
  assert.deepEqual(c, {
    image: 'local/focal.img',
    hostname: '',
    arch: 'x86_64',
    machine: 'q35',
    userData: '',
    timezone: '',
    cmds: ['echo hi'],
    sshKey: '',
    password: '',
    useThinCopy: true,
    primaryDiskSizeMb: 9000,
    bridges: [{ name: 'virbr0', ports: ['http'] }],
  });
});

test('virt config: bad fields are reported by name', () => {
  assert.throws(() => decodePluginConfig({ emulator: [{ uri: 'xen:///system' }] }), /config\.emulator\.uri: only QEMU URIs are supported/);
  assert.throws(() => decodePluginConfig({ accelerator: 'hvf' }), /config\.accelerator: must be one of/);
  assert.throws(() => decodeTaskConfig({}), /config\.image: missing required attribute/);
  assert.throws(() => decodeTaskConfig({ image: 'x', hostname: 'bad_name' }), /config\.hostname: "bad_name" is not a valid RFC 1123/);
  assert.throws(() => decodeTaskConfig({ image: 'x', timezone: 'Europe Paris' }), /config\.timezone/);
  assert.throws(() => decodeTaskConfig({ image: 'x', primary_disk_size: 1.5 }), /config\.primary_disk_size: expected a whole number/);
  assert.throws(() => decodeTaskConfig({ image: 'x', network_interface: [{ bridge: [{ name: 'a' }] }, { bridge: [{ name: 'b' }] }] }), /at most 1 "network_interface"/);
  assert.throws(() => decodeTaskConfig({ image: 'x', network_interface: [{ bridge: [{}] }] }), /config\.network_interface\[0\]\.bridge\.name: missing required attribute/);
});

test('virt seed: default hostname, 9p mounts as bootcmd, env profile, cmds as runcmd', () => {
  const cfg = vmTaskConfig({ name: 'web_1', driverConfig: {}, env: { NOMAD_ALLOC_DIR: '/alloc', FOO: 'a b' } });
  const vmName = vmNameFromTaskId(cfg.id);
  assert.match(vmName, /^web_1-[0-9a-f]+$/);
  assert.match(defaultHostname(vmName), /^nomad-web-1-[0-9a-f]+$/);
  const task = decodeTaskConfig({ image: 'x', cmds: ['echo hi'], default_user_password: 'pw' });
  const seed = seedConfig(cfg, task, vmName, undefined);
  assert.equal(seed.instanceId, vmName);
  assert.equal(seed.hostname, defaultHostname(vmName));
  assert.deepEqual(seed.runcmd, ['echo hi']);
  assert.equal(seed.password, 'pw');
  assert.deepEqual(seed.bootcmd.slice(0, 2), ['mkdir -p /alloc', 'mountpoint -q /alloc || mount -t 9p -o trans=virtio,ro allocDir /alloc']);
  assert.match(seed.files[0]?.content ?? '', /^export FOO='a b'$/m);
});

test('virt: host volume mounts are shared over 9p after the task dirs, writable only when the mount is', () => {
  const base = vmTaskConfig({ driverConfig: {} });
  const cfg = { ...base, mounts: [{ hostPath: '/srv/ca', taskPath: '/etc/ca', readonly: true }, { hostPath: '/srv/a,b', taskPath: "/data/it's", readonly: false }] };
  const mounts = guestMounts(cfg);
  assert.deepEqual(mounts.slice(3), [
    { hostPath: '/srv/ca', tag: 'hostVolume0', guestPath: '/etc/ca', readonly: true },
    { hostPath: '/srv/a,b', tag: 'hostVolume1', guestPath: "/data/it's", readonly: false },
  ]);
  const seed = seedConfig(cfg, decodeTaskConfig({ image: 'x' }), 'vm', undefined);
  assert.deepEqual(seed.bootcmd.slice(6), [
    'mkdir -p /etc/ca',
    'mountpoint -q /etc/ca || mount -t 9p -o trans=virtio,ro hostVolume0 /etc/ca',
    "mkdir -p '/data/it'\\''s'",
    "mountpoint -q '/data/it'\\''s' || mount -t 9p -o trans=virtio,rw hostVolume1 '/data/it'\\''s'",
  ]);
  const args = buildVirtArgs(cfg, { vmName: 'v', machine: '', accelerator: 'tcg', disk: { path: '/d', format: 'raw' }, seedPath: '/s', qmpPath: '/q', mounts: mounts.slice(3), netArgs: [] });
  assert.deepEqual(args.filter((_, i) => args[i - 1] === '-virtfs'), [
    'local,path=/srv/ca,mount_tag=hostVolume0,security_model=none,readonly=on',
    'local,path=/srv/a,,b,mount_tag=hostVolume1,security_model=none,readonly=off',
  ]);
});

test('virt args: disk on virtio, seed as CD-ROM, NoCloud SMBIOS, 9p mounts, resources, network args', () => {
  const cfg = vmTaskConfig({ driverConfig: {}, resources: { memoryMb: 1024, cores: 2 } });
  const args = buildVirtArgs(cfg, {
    vmName: 'vm-1',
    machine: '',
    accelerator: 'tcg',
    disk: { path: '/d/vm-1.img', format: 'qcow2' },
    seedPath: '/d/vm-1.iso',
    qmpPath: '/d/q.sock',
    mounts: guestMounts(cfg).slice(0, 1),
    netArgs: ['-nic', 'none'],
  });
  assert.deepEqual(args, [
    '-name', 'vm-1',
    '-machine', 'type=pc,accel=tcg',
    '-m', '1024M',
    '-smp', '2',
    '-nographic',
    '-qmp', 'unix:/d/q.sock,server=on,wait=off',
    '-drive', 'file=/d/vm-1.img,if=virtio,format=qcow2',
    '-drive', 'file=/d/vm-1.iso,if=ide,media=cdrom,readonly=on,format=raw',
    '-smbios', 'type=1,serial=ds=nocloud',
    '-device', 'virtio-rng-pci',
    '-virtfs', `local,path=${cfg.taskDir.sharedAllocDir},mount_tag=allocDir,security_model=none,readonly=on`,
    '-nic', 'none',
  ]);
});
