import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../model/errors.js';
import { removeVmTaskDirs, vmTaskConfig } from '../vm-shared/testing.js';

after(removeVmTaskDirs);
import { buildQemuCommand, socketPath, validateArgs, validateEmulator } from './args.js';
import { decodePluginConfig, decodeTaskConfig } from './config.js';

test('qemu config: Nomad defaults (x86_64, pc, tcg, ide) and both port_map spellings', () => {
  const c = decodeTaskConfig({ image_path: 'local/linux.img', port_map: [{ ssh: 22 }, { web: '80' }] });
  assert.deepEqual(c, {
    imagePath: 'local/linux.img',
    emulator: 'x86_64',
    machineType: 'pc',
    driveInterface: 'ide',
    accelerator: 'tcg',
    gracefulShutdown: false,
    guestAgent: false,
    args: [],
    portMap: { ssh: 22, web: 80 },
  });
  assert.deepEqual(decodeTaskConfig({ image_path: 'x', port_map: { a: 1 }, emulator: 'qemu-system-aarch64' }).portMap, { a: 1 });
  assert.equal(decodeTaskConfig({ image_path: 'x', emulator: 'qemu-system-aarch64' }).emulator, 'aarch64');
  assert.deepEqual(decodePluginConfig({}), { imagePaths: [], argsAllowlist: [], emulatorsAllowlist: [] });
});

test('qemu config: bad fields are reported by name', () => {
  assert.throws(() => decodeTaskConfig({}), (e: unknown) => e instanceof ValidationError && e.field === 'config.image_path');
  assert.throws(() => decodeTaskConfig({ image_path: 'x', drive_interface: 'usb' }), /config\.drive_interface: Unsupported drive_interface "usb"/);
  assert.throws(() => decodeTaskConfig({ image_path: 'x', port_map: [{ ssh: 'twenty' }] }), /config\.port_map\.ssh: expected a port number/);
  assert.throws(() => decodeTaskConfig({ image_path: 'x', graceful: true }), /unknown attribute or block "graceful" \(did you mean "guest_agent"\?\)|unknown attribute or block "graceful"/);
  assert.throws(() => decodePluginConfig({ image_path: ['/x'] }), /did you mean "image_paths"/);
});

test('qemu args: Nomad command line with QMP, guest agent, hostfwd and KVM extras', () => {
  const cfg = vmTaskConfig({
    name: 'web',
    driverConfig: {},
    // The deprecated task-level network, the one Nomad's qemu driver reads port_map labels from.
    resources: {
      memoryMb: 512,
      cores: 2,
      networks: [{ device: '', cidr: '', ip: '192.0.2.2', mbits: 0, reservedPorts: [{ label: 'ssh', value: 22000 }], dynamicPorts: [{ label: 'http', value: 8080 }] }],
    },
  });
  const task = decodeTaskConfig({ image_path: 'local/linux.img', accelerator: 'kvm', guest_agent: true, args: ['-nodefaults'], port_map: [{ ssh: 22 }] });
  const cmd = buildQemuCommand(cfg, task, '/abs/local/linux.img');
  const dir = cfg.taskDir.dir;
  assert.deepEqual(cmd.args, [
    '-machine', 'type=pc,accel=kvm',
    '-name', 'linux.img',
    '-m', '512M',
    '-drive', 'file=/abs/local/linux.img,if=ide,id=image0',
    '-nographic',
    '-qmp', `unix:${dir}/qm.sock,server=on,wait=off`,
    '-chardev', `socket,path=${dir}/qa.sock,server=on,wait=off,id=qga0`, '-device', 'virtio-serial', '-device', 'virtserialport,chardev=qga0,name=org.qemu.guest_agent.0',
    '-nodefaults',
    '-netdev', 'user,id=user.0,hostfwd=udp::22000-:22,hostfwd=tcp::22000-:22', '-device', 'virtio-net,netdev=user.0',
    '-enable-kvm',
    '-smp', '2',
  ]);
  assert.deepEqual(cmd.env, { NOMAD_PORT_ssh: '22' });
  assert.deepEqual(cmd.portMap, { ssh: 22 });
});

test('qemu args: port_map without task ports adds no forwarding; an unknown label with ports is refused', () => {
  const noPorts = vmTaskConfig({ driverConfig: {} });
  const task = decodeTaskConfig({ image_path: 'x', port_map: [{ ssh: 22 }] });
  assert.ok(!buildQemuCommand(noPorts, task, '/x').args.includes('-netdev'));
  const ports = vmTaskConfig({ driverConfig: {}, resources: { ports: [{ label: 'http', value: 8080, to: 8080, hostIp: '192.0.2.2' }] } });
  assert.throws(() => buildQemuCommand(ports, task, '/x'), /Unknown port label "ssh"/);
});

test('qemu args: port_map labels also find the group network\'s allocated ports (Resources.Ports)', () => {
  const cfg = vmTaskConfig({
    driverConfig: {},
    resources: { ports: [{ label: 'ssh', value: 23456, to: 23456, hostIp: '192.0.2.2' }, { label: 'web', value: 24000, to: 80, hostIp: '192.0.2.2' }] },
  });
  const cmd = buildQemuCommand(cfg, decodeTaskConfig({ image_path: 'x', port_map: [{ ssh: 22 }, { web: 8080 }] }), '/x');
  const i = cmd.args.indexOf('-netdev');
  assert.equal(cmd.args[i + 1], 'user,id=user.0,hostfwd=udp::23456-:22,hostfwd=tcp::23456-:22,hostfwd=udp::24000-:8080,hostfwd=tcp::24000-:8080');
  assert.deepEqual(cmd.env, { NOMAD_PORT_ssh: '22', NOMAD_PORT_web: '8080' });
});

test('qemu args: memory bounds, -smp left to args, socket path length', () => {
  const task = decodeTaskConfig({ image_path: 'x', args: ['-smp', '4'] });
  assert.throws(() => buildQemuCommand(vmTaskConfig({ driverConfig: {}, resources: { memoryMb: 64 } }), task, '/x'), /QEMU memory assignment out of bounds/);
  const args = buildQemuCommand(vmTaskConfig({ driverConfig: {}, resources: { cores: 2 } }), task, '/x').args;
  assert.equal(args.filter((a) => a === '-smp').length, 1);
  assert.throws(() => socketPath(`/tmp/${'d'.repeat(100)}`, 'qm.sock'), /is longer than the maximum length allowed \(107\)/);
});

test('qemu allowlists: args_allowlist checks flags only; emulators_allowlist', () => {
  validateArgs([], ['-anything']);
  validateArgs(['-drive', '-m'], ['-drive', 'file=/x,if=virtio', '-m', '1G']);
  assert.throws(() => validateArgs(['-drive'], ['-drive', 'x', '-device', 'y']), /"-device" is not in args_allowlist/);
  validateEmulator('x86_64', []);
  validateEmulator('x86_64', ['x86_64']);
  assert.throws(() => validateEmulator('aarch64', ['x86_64']), /'aarch64' is not an allowed emulator/);
});
