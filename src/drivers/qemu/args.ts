/**
 * The QEMU command line for a qemu task, built as Nomad's StartTask builds
 * it: machine/accelerator, name, memory, the image drive (id image0),
 * -nographic (serial console on stdout), the control sockets, the task's
 * args, user-mode networking with hostfwd for port_map, KVM extras.
 */
import { basename, join } from 'node:path';
import { ValidationError } from '../../model/errors.js';
import { findTaskPort, hasTaskPorts, type TaskConfig } from '../types.js';
import type { QemuTaskConfig } from './config.js';

/** Nomad's monitor socket name (short: unix socket paths are limited), here serving QMP. */
export const QMP_SOCKET_NAME = 'qm.sock';
/** Nomad's guest agent socket name. */
export const GUEST_AGENT_SOCKET_NAME = 'qa.sock';

/** sun_path holds 108 bytes including the terminating NUL. */
export const MAX_SOCKET_PATH = 107;

/** Nomad's bounds on a VM's memory, MiB. */
const MIN_MEMORY_MB = 128;
const MAX_MEMORY_MB = 4_000_000;

/** What StartTask launches. */
export interface QemuCommand {
  readonly args: readonly string[];
  readonly qmpPath: string;
  /** Port label → guest port, as reported in the DriverNetwork. */
  readonly portMap: Readonly<Record<string, number>>;
  /** NOMAD_PORT_<label> for each mapped port (Nomad's SetPortMapEnvs). */
  readonly env: Readonly<Record<string, string>>;
}

/** Builds the arguments after the binary; `imagePath` is already resolved and allowed. */
export function buildQemuCommand(cfg: TaskConfig, task: QemuTaskConfig, imagePath: string): QemuCommand {
  const mb = cfg.resources.memoryMb;
  if (mb < MIN_MEMORY_MB || mb > MAX_MEMORY_MB) {
    throw new ValidationError([{ field: 'resources.memory', message: `QEMU memory assignment out of bounds (${mb} MiB; ${MIN_MEMORY_MB}..${MAX_MEMORY_MB})` }]);
  }
  const args = [
    '-machine', `type=${task.machineType},accel=${task.accelerator}`,
    '-name', basename(task.imagePath),
    '-m', `${mb}M`,
    // The drive id lets users attach the image to other devices in args.
    '-drive', `file=${imagePath},if=${task.driveInterface},id=image0`,
    '-nographic',
  ];
  const qmpPath = socketPath(cfg.taskDir.dir, QMP_SOCKET_NAME);
  // Always there (Nomad adds its monitor only for graceful_shutdown): recovery checks the VM through it.
  args.push('-qmp', `unix:${qmpPath},server=on,wait=off`);
  if (task.guestAgent) {
    const agent = socketPath(cfg.taskDir.dir, GUEST_AGENT_SOCKET_NAME);
    args.push('-chardev', `socket,path=${agent},server=on,wait=off,id=qga0`, '-device', 'virtio-serial', '-device', 'virtserialport,chardev=qga0,name=org.qemu.guest_agent.0');
  }
  args.push(...task.args);

  const env: Record<string, string> = {};
  const forwards = hostForwards(cfg, task.portMap);
  for (const [label, guest] of Object.entries(task.portMap)) env[`NOMAD_PORT_${label}`] = String(guest);
  if (forwards.length > 0) args.push('-netdev', `user,id=user.0,${forwards.join(',')}`, '-device', 'virtio-net,netdev=user.0');

  if (task.accelerator === 'kvm') args.push('-enable-kvm');
  // drover maps reserved cores to vCPUs for every accelerator (Nomad: KVM with a cpuset only).
  if (!task.args.includes('-smp') && cfg.resources.cores > 0) args.push('-smp', String(cfg.resources.cores));
  return { args, qmpPath, portMap: task.portMap, env };
}

/**
 * hostfwd rules (tcp and udp) from each port_map label's host port to its
 * guest port. Host ports are the allocated ones (the task's own network, as
 * Nomad's qemu driver reads them, or the group's ports); as in Nomad, a task
 * without network ports gets no forwarding at all.
 */
function hostForwards(cfg: TaskConfig, portMap: Readonly<Record<string, number>>): string[] {
  if (!hasTaskPorts(cfg.resources)) return [];
  const out: string[] = [];
  for (const [label, guest] of Object.entries(portMap)) {
    const host = findTaskPort(cfg.resources, label);
    if (host === undefined) throw new ValidationError([{ field: `config.port_map.${label}`, message: `Unknown port label "${label}"` }]);
    for (const proto of ['udp', 'tcp']) out.push(`hostfwd=${proto}::${host.value}-:${guest}`);
  }
  return out;
}

/** `dir/name`, refused when it does not fit in a unix socket address (as Nomad's validateSocketPath). */
export function socketPath(dir: string, name: string): string {
  const p = join(dir, name);
  if (Buffer.byteLength(p) > MAX_SOCKET_PATH) {
    throw new ValidationError([{
      field: 'config',
      message: `socket path ${p} is longer than the maximum length allowed (${MAX_SOCKET_PATH}), try to reduce the task name or the data_dir if possible.`,
    }]);
  }
  return p;
}

/**
 * Nomad's validateArgs: with an args_allowlist, every argument starting
 * with "-" must be in it (values are not checked).
 */
export function validateArgs(allowlist: readonly string[], args: readonly string[]): void {
  if (allowlist.length === 0) return;
  const allowed = new Set(allowlist);
  for (const a of args) {
    if (a.trim().startsWith('-') && !allowed.has(a)) throw new ValidationError([{ field: 'config.args', message: `"${a}" is not in args_allowlist` }]);
  }
}

/** Nomad's validateEmulator. */
export function validateEmulator(emulator: string, allowlist: readonly string[]): void {
  if (allowlist.length > 0 && !allowlist.includes(emulator)) throw new ValidationError([{ field: 'config.emulator', message: `'${emulator}' is not an allowed emulator` }]);
}
