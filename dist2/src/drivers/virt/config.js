/**
 * virt's plugin and task config schemas: the names of hashicorp's
 * nomad-driver-virt (v0.0.1 task config, plus timezone from later releases)
 * and their decoded forms.
 */
import { camelCased, decodeSpec, spec } from '../../model/config-spec.js';
import { ValidationError } from '../../model/errors.js';
import { isValidHostname, isValidTimezone } from '../vm-shared/cloud-init.js';
/** nomad-driver-virt's default data_dir. */
export const DEFAULT_DATA_DIR = '/var/lib/virt';
/** The plugin "virt" { config { } } schema. */
export const pluginConfigSchema = spec.object({
    /** libvirt connection settings in nomad-driver-virt; drover runs QEMU itself and only checks uri. */
    emulator: spec.block(spec.object({
        uri: spec.attr('string', { default: 'qemu:///system' }),
        user: spec.attr('string', { default: '' }),
        password: spec.attr('string', { default: '' }),
    })),
    data_dir: spec.attr('string', { default: '' }),
    image_paths: spec.attr('list(string)', { default: [] }),
    /** drover: "auto" (KVM when /dev/kvm opens, else TCG), "kvm" or "tcg". */
    accelerator: spec.attr('string', { default: 'auto', oneOf: ['auto', 'kvm', 'tcg'] }),
});
const bridgeSchema = spec.object({ name: spec.attr('string', { required: true }), ports: spec.attr('list(string)', { default: [] }) });
/** The task config {} schema. */
export const taskConfigSchema = spec.object({
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
    network_interface: spec.blockList(spec.object({ bridge: spec.block(bridgeSchema) }), { max: 1 }),
});
/** Task config property names that do not follow from the HCL names. */
const TASK_NAMES = { default_user_authorized_ssh_key: 'sshKey', default_user_password: 'password', primary_disk_size: 'primaryDiskSizeMb' };
/** Decodes the plugin config block; throws ValidationError naming each bad field. */
export function decodePluginConfig(raw) {
    const { value, problems } = decodeSpec(pluginConfigSchema, raw, 'config');
    const { emulator, ...rest } = value;
    const uri = emulator.uri ?? 'qemu:///system'; // unset when the block itself was malformed (already reported)
    if (!/^qemu(\+\w+)?:\/\//.test(uri))
        problems.push({ field: 'config.emulator.uri', message: `only QEMU URIs are supported (drover runs QEMU directly, without libvirt), got "${uri}"` });
    if (problems.length > 0)
        throw new ValidationError(problems);
    return { ...camelCased(rest), dataDir: rest.data_dir || DEFAULT_DATA_DIR };
}
/** The plugin config before setConfig: the schema's defaults. */
export const DEFAULT_PLUGIN_CONFIG = decodePluginConfig({});
/** Decodes a task's config {}; throws ValidationError naming each bad field. */
export function decodeTaskConfig(raw) {
    const { value, problems } = decodeSpec(taskConfigSchema, raw, 'config');
    const { os, network_interface, ...rest } = value;
    const hostname = value.hostname;
    if (hostname && !isValidHostname(hostname))
        problems.push({ field: 'config.hostname', message: `"${hostname}" is not a valid RFC 1123 host name label` });
    const timezone = value.timezone;
    if (timezone && !isValidTimezone(timezone))
        problems.push({ field: 'config.timezone', message: `"${timezone}" is not a time zone name such as "Europe/Paris"` });
    const size = value.primary_disk_size;
    if (typeof size === 'number' && !Number.isInteger(size))
        problems.push({ field: 'config.primary_disk_size', message: `expected a whole number of MiB, got ${size}` });
    if (problems.length > 0)
        throw new ValidationError(problems);
    return {
        ...camelCased(rest, TASK_NAMES),
        arch: os.arch,
        machine: os.machine,
        bridges: network_interface.map((i) => i.bridge),
    };
}
//# sourceMappingURL=config.js.map