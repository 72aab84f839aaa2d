/**
 * mock_driver's plugin and task config schemas and their typed, decoded
 * forms. Field names, types and defaults follow Nomad's drivers/mock; every
 * duration is decoded to milliseconds here, once, so the task never parses.
 */
import { camelCased, decodeSpec, pickSpec, spec } from '../../model/config-spec.js';
import { ValidationError } from '../../model/errors.js';
import { isRecord } from '../../model/shape.js';
/** The plugin "mock_driver" { config { } } schema. */
export const pluginConfigSchema = spec.object({
    fs_isolation: spec.attr('string', { default: 'none', oneOf: ['none', 'chroot', 'image'] }),
    shutdown_periodic_after: spec.attr('bool', { default: false }),
    /** Seconds, as Nomad's docs say. */
    shutdown_periodic_duration: spec.attr('number', { default: 0, min: 0 }),
});
const PLUGIN_NAMES = { shutdown_periodic_duration: 'shutdownPeriodicDurationMs' };
/** Fields shared by the task itself and its exec_command block (Nomad's mock.Command). */
const commandFields = {
    run_for: spec.attr('duration', { default: 0 }),
    exit_code: spec.attr('number', { default: 0 }),
    exit_signal: spec.attr('number', { default: 0 }),
    exit_err_msg: spec.attr('string', { default: '' }),
    signal_error: spec.attr('string', { default: '' }),
    stdout_string: spec.attr('string', { default: '' }),
    stdout_repeat: spec.attr('number', { default: 0, min: 0 }),
    stdout_repeat_duration: spec.attr('duration', { default: 0 }),
    stderr_string: spec.attr('string', { default: '' }),
    stderr_repeat: spec.attr('number', { default: 0, min: 0 }),
    stderr_repeat_duration: spec.attr('duration', { default: 0 }),
};
const commandSchema = spec.object(commandFields);
/** The task's own fields (besides its command's). */
const taskSchema = spec.object({
    plugin_exit_after: spec.attr('duration', { default: 0 }),
    start_error: spec.attr('string', { default: '' }),
    start_error_recoverable: spec.attr('bool', { default: false }),
    start_block_for: spec.attr('duration', { default: 0 }),
    kill_after: spec.attr('duration', { default: 0 }),
    driver_ip: spec.attr('string', { default: '' }),
    driver_advertise: spec.attr('bool', { default: false }),
    driver_port_map: spec.attr('string', { default: '' }),
});
/** The task config {} schema. */
export const taskConfigSchema = spec.object({
    ...commandFields,
    exec_command: spec.block(commandSchema),
    ...taskSchema.fields,
});
/** Durations are ms: their property names say so. */
const COMMAND_NAMES = { run_for: 'runForMs', stdout_repeat_duration: 'stdoutRepeatMs', stderr_repeat_duration: 'stderrRepeatMs' };
const TASK_NAMES = { plugin_exit_after: 'pluginExitAfterMs', start_block_for: 'startBlockForMs', kill_after: 'killAfterMs' };
/** A command that does nothing and exits 0 at once (the schema's defaults). */
export const emptyCommand = camelCased(decodeSpec(commandSchema, {}, 'config').value, COMMAND_NAMES);
/** Decodes the plugin config block; throws ValidationError naming each bad field. */
export function decodePluginConfig(raw) {
    const { value, problems } = decodeSpec(pluginConfigSchema, raw, 'config');
    if (problems.length > 0)
        throw new ValidationError(problems);
    return { ...camelCased(value, PLUGIN_NAMES), shutdownPeriodicDurationMs: value.shutdown_periodic_duration * 1000 };
}
/** Decodes a task's config {}; throws ValidationError naming each bad field. */
export function decodeTaskConfig(raw) {
    const path = 'config';
    const input = emptyDurationsAsUnset(raw, taskConfigSchema);
    const { value, problems } = decodeSpec(taskConfigSchema, input, path);
    const command = toCommand(pickSpec(commandSchema, value), path, problems);
    // decodeSpec fills an absent block with defaults; Nomad keeps it nil, and exec depends on the difference.
    const execBlock = raw['exec_command'];
    const hasExec = execBlock !== undefined && execBlock !== null && !(Array.isArray(execBlock) && execBlock.length === 0);
    const execCommand = hasExec ? toCommand(value.exec_command, `${path}.exec_command`, problems) : undefined;
    const { driver_port_map: portMapRaw, ...own } = pickSpec(taskSchema, value);
    const driverPortMap = portMapRaw === '' ? undefined : parsePortMap(portMapRaw, `${path}.driver_port_map`, problems);
    if (problems.length > 0)
        throw new ValidationError(problems);
    return {
        command,
        ...(execCommand ? { execCommand } : {}),
        ...camelCased(own, TASK_NAMES),
        ...(driverPortMap ? { driverPortMap } : {}),
    };
}
function toCommand(v, path, problems) {
    const int = (key) => {
        const n = v[key];
        // Nomad decodes these into Go ints.
        if (typeof n === 'number' && !Number.isInteger(n))
            problems.push({ field: `${path}.${key}`, message: `expected a whole number, got ${n}` });
    };
    int('exit_code');
    int('exit_signal');
    int('stdout_repeat');
    int('stderr_repeat');
    return camelCased(v, COMMAND_NAMES);
}
/** Parses "label:number" the way Nomad's mock does (exactly one colon, integer port). */
function parsePortMap(raw, field, problems) {
    const parts = raw.split(':');
    const [label, port, ...more] = parts;
    if (label === undefined || port === undefined || more.length > 0 || !/^[+-]?\d+$/.test(port)) {
        problems.push({ field, message: `malformed port map: ${JSON.stringify(raw)}` });
        return undefined;
    }
    return { label, port: Number(port) };
}
/**
 * Nomad's mock treats a duration of "" as zero (its parseDuration is
 * empty-string friendly); drop such keys so the default applies.
 */
function emptyDurationsAsUnset(raw, s) {
    let out;
    for (const [key, v] of Object.entries(raw)) {
        const field = s.fields[key];
        if (field === undefined)
            continue;
        let next = v;
        if (field.kind === 'attr' && field.type === 'duration' && v === '')
            next = undefined;
        else if (field.kind === 'block') {
            if (isRecord(v))
                next = emptyDurationsAsUnset(v, field.spec);
            else if (Array.isArray(v))
                next = v.map((b) => (isRecord(b) ? emptyDurationsAsUnset(b, field.spec) : b));
        }
        if (next !== v) {
            out ??= { ...raw };
            if (next === undefined)
                delete out[key];
            else
                out[key] = next;
        }
    }
    return out ?? raw;
}
//# sourceMappingURL=config.js.map