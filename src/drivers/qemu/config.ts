/**
 * qemu's plugin and task config schemas (names, types and defaults as
 * Nomad's drivers/qemu) and their decoded forms.
 */
import { decodeSpec, spec, type ObjectSpec } from '../../model/config-spec.js';
import { ValidationError, type FieldProblem } from '../../model/errors.js';

/** The plugin "qemu" { config { } } schema. */
export const pluginConfigSchema: ObjectSpec = spec.object({
  image_paths: spec.attr('list(string)', { default: [] }),
  args_allowlist: spec.attr('list(string)', { default: [] }),
  emulators_allowlist: spec.attr('list(string)', { default: [] }),
});

/** Nomad's hard-coded list of drive interfaces QEMU supports. */
export const DRIVE_INTERFACES = ['ide', 'scsi', 'sd', 'mtd', 'floppy', 'pflash', 'virtio', 'none'] as const;

/** The task config {} schema. */
export const taskConfigSchema: ObjectSpec = spec.object({
  image_path: spec.attr('string', { required: true }),
  emulator: spec.attr('string', { default: '' }),
  machine_type: spec.attr('string', { default: '' }),
  drive_interface: spec.attr('string', { default: '' }),
  accelerator: spec.attr('string', { default: '' }),
  graceful_shutdown: spec.attr('bool', { default: false }),
  guest_agent: spec.attr('bool', { default: false }),
  args: spec.attr('list(string)', { default: [] }),
  /** list(map(number)) in Nomad: `port_map { http = 80 }`. */
  port_map: spec.attr('any'),
});

/** Decoded plugin config. */
export interface QemuPluginConfig {
  readonly imagePaths: readonly string[];
  readonly argsAllowlist: readonly string[];
  readonly emulatorsAllowlist: readonly string[];
}

/** Decoded task config, Nomad's defaults applied (x86_64, pc, tcg, ide). */
export interface QemuTaskConfig {
  readonly imagePath: string;
  readonly emulator: string;
  readonly machineType: string;
  readonly driveInterface: string;
  readonly accelerator: string;
  readonly gracefulShutdown: boolean;
  readonly guestAgent: boolean;
  readonly args: readonly string[];
  /** Port label → port inside the VM. */
  readonly portMap: Readonly<Record<string, number>>;
}

/** The plugin config before setConfig. */
export const DEFAULT_PLUGIN_CONFIG: QemuPluginConfig = { imagePaths: [], argsAllowlist: [], emulatorsAllowlist: [] };

/** Decodes the plugin config block; throws ValidationError naming each bad field. */
export function decodePluginConfig(raw: unknown): QemuPluginConfig {
  const { value, problems } = decodeSpec<Record<string, unknown>>(pluginConfigSchema, raw, 'config');
  if (problems.length > 0) throw new ValidationError(problems);
  return {
    imagePaths: value['image_paths'] as string[],
    argsAllowlist: value['args_allowlist'] as string[],
    emulatorsAllowlist: value['emulators_allowlist'] as string[],
  };
}

/** Decodes a task's config {}; throws ValidationError naming each bad field. */
export function decodeTaskConfig(raw: Readonly<Record<string, unknown>>): QemuTaskConfig {
  const { value, problems } = decodeSpec<Record<string, unknown>>(taskConfigSchema, raw, 'config');
  const portMap = decodePortMap(value['port_map'], 'config.port_map', problems);
  const driveInterface = (value['drive_interface'] as string) || 'ide';
  if (!(DRIVE_INTERFACES as readonly string[]).includes(driveInterface)) {
    problems.push({ field: 'config.drive_interface', message: `Unsupported drive_interface "${driveInterface}" (one of ${DRIVE_INTERFACES.join(', ')})` });
  }
  const accelerator = (value['accelerator'] as string) || 'tcg';
  if (problems.length > 0) throw new ValidationError(problems);
  return {
    imagePath: value['image_path'] as string,
    // COMPAT (Nomad 1.11.1): the full binary name was once required.
    emulator: ((value['emulator'] as string) || 'x86_64').replace(/^qemu-system-/, ''),
    machineType: (value['machine_type'] as string) || 'pc',
    driveInterface,
    accelerator,
    gracefulShutdown: value['graceful_shutdown'] as boolean,
    guestAgent: value['guest_agent'] as boolean,
    args: value['args'] as string[],
    portMap,
  };
}

/** `port_map { a = 1 }` (a list of maps after HCL) or `port_map = { a = 1 }`, merged into one map of whole numbers. */
function decodePortMap(v: unknown, field: string, problems: FieldProblem[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (v === undefined || v === null) return out;
  const maps = Array.isArray(v) ? v : [v];
  for (const m of maps) {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) {
      problems.push({ field, message: 'expected a map of port label to port number' });
      continue;
    }
    for (const [label, port] of Object.entries(m as Record<string, unknown>)) {
      const n = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
        problems.push({ field: `${field}.${label}`, message: `expected a port number, got ${JSON.stringify(port)}` });
        continue;
      }
      out[label] = n;
    }
  }
  return out;
}
