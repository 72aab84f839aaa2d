/**
 * qemu's plugin and task config schemas (names, types and defaults as
 * Nomad's drivers/qemu) and their decoded forms.
 */
import { camelCased, decodeSpec, spec } from '../../model/config-spec.js';
import { ValidationError } from '../../model/errors.js';
import { isRecord } from '../../model/shape.js';
/** The plugin "qemu" { config { } } schema. */
export const pluginConfigSchema = spec.object({
    image_paths: spec.attr('list(string)', { default: [] }),
    args_allowlist: spec.attr('list(string)', { default: [] }),
    emulators_allowlist: spec.attr('list(string)', { default: [] }),
});
/** Nomad's hard-coded list of drive interfaces QEMU supports. */
export const DRIVE_INTERFACES = ['ide', 'scsi', 'sd', 'mtd', 'floppy', 'pflash', 'virtio', 'none'];
/** The task config {} schema. */
export const taskConfigSchema = spec.object({
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
/** Decodes the plugin config block; throws ValidationError naming each bad field. */
export function decodePluginConfig(raw) {
    const { value, problems } = decodeSpec(pluginConfigSchema, raw, 'config');
    if (problems.length > 0)
        throw new ValidationError(problems);
    return camelCased(value);
}
/** The plugin config before setConfig: the schema's defaults. */
export const DEFAULT_PLUGIN_CONFIG = decodePluginConfig({});
const isDriveInterface = (s) => DRIVE_INTERFACES.some((d) => d === s);
/** Decodes a task's config {}; throws ValidationError naming each bad field. */
export function decodeTaskConfig(raw) {
    const { value, problems } = decodeSpec(taskConfigSchema, raw, 'config');
    const portMap = decodePortMap(value.port_map, 'config.port_map', problems);
    const driveInterface = value.drive_interface || 'ide';
    if (!isDriveInterface(driveInterface)) {
        problems.push({ field: 'config.drive_interface', message: `Unsupported drive_interface "${driveInterface}" (one of ${DRIVE_INTERFACES.join(', ')})` });
    }
    const accelerator = value.accelerator || 'tcg';
    if (problems.length > 0)
        throw new ValidationError(problems);
    return {
        ...camelCased(value),
        // COMPAT (Nomad 1.11.1): the full binary name was once required.
        emulator: (value.emulator || 'x86_64').replace(/^qemu-system-/, ''),
        machineType: value.machine_type || 'pc',
        driveInterface,
        accelerator,
        portMap,
    };
}
/** `port_map { a = 1 }` (a list of maps after HCL) or `port_map = { a = 1 }`, merged into one map of whole numbers. */
function decodePortMap(v, field, problems) {
    const out = {};
    if (v === undefined || v === null)
        return out;
    const maps = Array.isArray(v) ? v : [v];
    for (const m of maps) {
        if (!isRecord(m)) {
            problems.push({ field, message: 'expected a map of port label to port number' });
            continue;
        }
        for (const [label, port] of Object.entries(m)) {
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
//# sourceMappingURL=config.js.map