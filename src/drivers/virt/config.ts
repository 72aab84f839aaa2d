/**
 * virt's plugin and task config schemas: the names of hashicorp's
 * nomad-driver-virt (v0.0.1 task config, plus timezone from later releases)
 * and their decoded forms.
 */
import { decodeSpec, spec, type ObjectSpec } from '../../model/config-spec.js';
import { ValidationError } from '../../model/errors.js';
import { isValidHostname, isValidTimezone } from '../vm-shared/cloud-init.js';

/** nomad-driver-virt's default data_dir. */
export const DEFAULT_DATA_DIR = '/var/lib/virt';

/** The plugin "virt" { config { } } schema. */
export const pluginConfigSchema: ObjectSpec = spec.object({
  /** libvirt connection settings in nomad-driver-virt; drover runs QEMU itself and only checks uri. */
  emulator: spec.block(
    spec.object({
      uri: spec.attr('string', { default: 'qemu:///system' }),
      user: spec.attr('string', { default: '' }),
      password: spec.attr('string', { default: '' }),
    }),
  ),
  data_dir: spec.attr('string', { default: '' }),
  image_paths: spec.attr('list(string)', { default: [] }),
  /** drover: "auto" (KVM when /dev/kvm opens, else TCG), "kvm" or "tcg". */
  accelerator: spec.attr('string', { default: 'auto', oneOf: ['auto', 'kvm', 'tcg'] }),
});

/** The task config {} schema. */
export const taskConfigSchema: ObjectSpec = spec.object({
  image: spec.attr('string', { required: true }),
  hostname: spec.attr('string', { default: '' }),
  os: spec.block(spec.object({ arch: spec.attr('string', { default: '' }), machine: spec.attr('string', { default: '' }) })),
  user_data: spec.attr('string', { default: '' }),
  timezone: spec.attr('string', { default: '' }),
  cmds: spec.attr('list(string)', { default: [] }),
  default_user_authorized_ssh_key: spec.attr('string', { default: '' }),
  default_user_password: spec.attr('string', { default: '' }),
  use_thin_copy: spec.attr('bool', { default: false }),
  /** MiB. */
  primary_disk_size: spec.attr('number', { default: 0, min: 0 }),
  network_interface: spec.blockList(
    spec.object({ bridge: spec.block(spec.object({ name: spec.attr('string', { required: true }), ports: spec.attr('list(string)', { default: [] }) })) }),
    { max: 1 },
  ),
});

/** Decoded plugin config. */
export interface VirtPluginConfig {
  readonly dataDir: string;
  readonly imagePaths: readonly string[];
  readonly accelerator: 'auto' | 'kvm' | 'tcg';
}

/** A bridge the VM's interface joins, and the port labels forwarded to it. */
export interface BridgeConfig {
  readonly name: string;
  readonly ports: readonly string[];
}

/** Decoded task config. */
export interface VirtTaskConfig {
  readonly image: string;
  readonly hostname: string;
  readonly arch: string;
  readonly machine: string;
  readonly userData: string;
  readonly timezone: string;
  readonly cmds: readonly string[];
  readonly sshKey: string;
  readonly password: string;
  readonly useThinCopy: boolean;
  readonly primaryDiskSizeMb: number;
  /** At most one (as nomad-driver-virt). */
  readonly bridges: readonly BridgeConfig[];
}

/** The plugin config before setConfig. */
export const DEFAULT_PLUGIN_CONFIG: VirtPluginConfig = { dataDir: DEFAULT_DATA_DIR, imagePaths: [], accelerator: 'auto' };

/** Decodes the plugin config block; throws ValidationError naming each bad field. */
export function decodePluginConfig(raw: unknown): VirtPluginConfig {
  const { value, problems } = decodeSpec<Record<string, unknown>>(pluginConfigSchema, raw, 'config');
  const emulator = value['emulator'] as Record<string, string> | undefined;
  const uri = emulator?.['uri'] ?? 'qemu:///system';
  if (!/^qemu(\+\w+)?:\/\//.test(uri)) problems.push({ field: 'config.emulator.uri', message: `only QEMU URIs are supported (drover runs QEMU directly, without libvirt), got "${uri}"` });
  if (problems.length > 0) throw new ValidationError(problems);
  return {
    dataDir: (value['data_dir'] as string) || DEFAULT_DATA_DIR,
    imagePaths: value['image_paths'] as string[],
    accelerator: value['accelerator'] as VirtPluginConfig['accelerator'],
  };
}

/** Decodes a task's config {}; throws ValidationError naming each bad field. */
export function decodeTaskConfig(raw: Readonly<Record<string, unknown>>): VirtTaskConfig {
  const { value, problems } = decodeSpec<Record<string, unknown>>(taskConfigSchema, raw, 'config');
  const os = (value['os'] ?? {}) as Record<string, string>;
  const hostname = value['hostname'] as string;
  if (hostname && !isValidHostname(hostname)) problems.push({ field: 'config.hostname', message: `"${hostname}" is not a valid RFC 1123 host name label` });
  const timezone = value['timezone'] as string;
  if (timezone && !isValidTimezone(timezone)) problems.push({ field: 'config.timezone', message: `"${timezone}" is not a time zone name such as "Europe/Paris"` });
  const size = value['primary_disk_size'] as number;
  if (typeof size === 'number' && !Number.isInteger(size)) problems.push({ field: 'config.primary_disk_size', message: `expected a whole number of MiB, got ${size}` });
  const bridges = decodeBridges(value['network_interface']);
  if (problems.length > 0) throw new ValidationError(problems);
  return {
    image: value['image'] as string,
    hostname,
    arch: os['arch'] ?? '',
    machine: os['machine'] ?? '',
    userData: value['user_data'] as string,
    timezone,
    cmds: value['cmds'] as string[],
    sshKey: value['default_user_authorized_ssh_key'] as string,
    password: value['default_user_password'] as string,
    useThinCopy: value['use_thin_copy'] as boolean,
    primaryDiskSizeMb: size,
    bridges,
  };
}

/** The decoded interfaces' bridges (a missing name was already reported by decodeSpec). */
function decodeBridges(v: unknown): BridgeConfig[] {
  const out: BridgeConfig[] = [];
  for (const iface of (v ?? []) as Array<Record<string, unknown>>) {
    const bridge = iface['bridge'] as Record<string, unknown> | undefined;
    if (bridge && typeof bridge['name'] === 'string') out.push({ name: bridge['name'], ports: (bridge['ports'] as string[] | undefined) ?? [] });
  }
  return out;
}
