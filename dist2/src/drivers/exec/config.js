/**
 * exec's plugin and task config: Nomad's names, types, defaults and
 * validation messages (drivers/exec/driver.go), decoded once into typed
 * forms. drover adds two plugin options Nomad keeps elsewhere or lacks:
 * `chroot_env` (Nomad's client { chroot_env }) and `pids_limit`.
 */
import { camelCased, decodeSpec, spec } from '../../model/config-spec.js';
import { errorMessage, ValidationError } from '../../model/errors.js';
import { DEFAULT_CHROOT_ENV, supportedCapabilities } from '../../executor/isolation/index.js';
import { NOMAD_DEFAULT_CAPS, unsupported } from './capabilities.js';
import { parseIdRanges } from '../shared/id-ranges.js';
const isMode = (m) => m === 'private' || m === 'host';
/** The plugin "exec" { config { } } schema. */
export const pluginConfigSchema = spec.object({
    no_pivot_root: spec.attr('bool', { default: false }),
    default_pid_mode: spec.attr('string', { default: 'private' }),
    default_ipc_mode: spec.attr('string', { default: 'private' }),
    allow_caps: spec.attr('list(string)', { default: NOMAD_DEFAULT_CAPS }),
    denied_host_uids: spec.attr('string', { default: '' }),
    denied_host_gids: spec.attr('string', { default: '' }),
    /** drover: Nomad's client chroot_env, host path → chroot path. */
    chroot_env: spec.attr('map(string)'),
    /** drover: max processes per task (pids cgroup); 0 = unlimited, Nomad's behaviour. */
    pids_limit: spec.attr('number', { default: 0, min: 0 }),
});
/** The task config {} schema (Nomad's taskConfigSpec). */
export const taskConfigSchema = spec.object({
    command: spec.attr('string', { required: true }),
    args: spec.attr('list(string)'),
    pid_mode: spec.attr('string'),
    ipc_mode: spec.attr('string'),
    cap_add: spec.attr('list(string)'),
    cap_drop: spec.attr('list(string)'),
    work_dir: spec.attr('string'),
});
/** Decodes and validates the plugin block; throws ValidationError naming each bad field. */
export function decodePluginConfig(raw) {
    const path = 'config';
    const { value: v, problems } = decodeSpec(pluginConfigSchema, raw, path);
    const mode = (key) => {
        const m = v[key];
        if (isMode(m))
            return m;
        // A value of the wrong type was already reported by decodeSpec.
        if (typeof m === 'string')
            problems.push({ field: `${path}.${key}`, message: `${key} must be "private" or "host", got "${m}"` });
        return 'private';
    };
    const allowCaps = v.allow_caps ?? [];
    const bad = unsupported(allowCaps);
    if (bad.length > 0)
        problems.push({ field: `${path}.allow_caps`, message: `allow_caps configured with capabilities not supported by system: ${bad.join(', ')}` });
    const ids = (key, kind) => {
        try {
            return parseIdRanges(v[key] ?? '', kind);
        }
        catch (err) {
            problems.push({ field: `${path}.${key}`, message: errorMessage(err) });
            return parseIdRanges('');
        }
    };
    const cfg = {
        ...camelCased(v),
        defaultPidMode: mode('default_pid_mode'),
        defaultIpcMode: mode('default_ipc_mode'),
        allowCaps,
        deniedHostUids: ids('denied_host_uids', 'deniedHostUIDs'),
        deniedHostGids: ids('denied_host_gids', 'deniedHostGIDs'),
        chrootEnv: v.chroot_env ?? DEFAULT_CHROOT_ENV,
        pidsLimit: integer(v.pids_limit, `${path}.pids_limit`, problems),
    };
    if (problems.length > 0)
        throw new ValidationError(problems);
    return cfg;
}
/** Decodes and validates a task's config {} (Nomad's TaskConfig.validate). */
export function decodeTaskConfig(raw) {
    const path = 'config';
    const { value: v, problems } = decodeSpec(taskConfigSchema, raw, path);
    const mode = (key) => {
        const m = v[key] ?? '';
        if (m === '' || isMode(m))
            return m;
        problems.push({ field: `${path}.${key}`, message: `${key} must be "private" or "host", got "${m}"` });
        return '';
    };
    const caps = (key) => {
        const list = v[key] ?? [];
        const bad = unsupported(list, supportedCapabilities());
        if (bad.length > 0)
            problems.push({ field: `${path}.${key}`, message: `${key} configured with capabilities not supported by system: ${bad.join(', ')}` });
        return list;
    };
    const workDir = v.work_dir ?? '';
    if (workDir !== '' && !workDir.startsWith('/'))
        problems.push({ field: `${path}.work_dir`, message: `work_dir must be absolute but got relative path "${workDir}"` });
    const cfg = {
        ...camelCased(v),
        args: v.args ?? [],
        pidMode: mode('pid_mode'),
        ipcMode: mode('ipc_mode'),
        capAdd: caps('cap_add'),
        capDrop: caps('cap_drop'),
        workDir,
    };
    if (problems.length > 0)
        throw new ValidationError(problems);
    return cfg;
}
/** `n`, with a problem when it is not whole (Nomad decodes it into a Go int). */
function integer(n, field, problems) {
    if (!Number.isInteger(n))
        problems.push({ field, message: `expected a whole number, got ${n}` });
    return n;
}
//# sourceMappingURL=config.js.map