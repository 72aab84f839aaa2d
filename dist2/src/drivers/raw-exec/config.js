/**
 * raw_exec's plugin config and task config {} (Nomad's drivers/rawexec
 * configSpec / taskConfigSpec), decoded once into typed values, plus the
 * start-time checks Nomad's TaskConfig.validate makes.
 */
import { camelCased, decodeSpec, spec } from '../../model/config-spec.js';
import { errorMessage, ValidationError } from '../../model/errors.js';
import { parseIdRanges } from '../shared/id-ranges.js';
/** plugin "raw_exec" { config { } }. */
export const pluginConfigSchema = spec.object({
    enabled: spec.attr('bool', { default: false }),
    /** drover: every task gets its own cgroup when the agent is root, unless this is set. (Nomad ≤ 1.6 had this knob.) */
    no_cgroups: spec.attr('bool', { default: false }),
    denied_host_uids: spec.attr('string', { default: '' }),
    denied_host_gids: spec.attr('string', { default: '' }),
    denied_envvars: spec.attr('list(string)', { default: [] }),
});
/** A task's config {}. */
export const taskConfigSchema = spec.object({
    command: spec.attr('string', { required: true }),
    args: spec.attr('list(string)', { default: [] }),
    cgroup_v2_override: spec.attr('string', { default: '' }),
    cgroup_v1_override: spec.attr('map(string)', { default: {} }),
    oom_score_adj: spec.attr('number', { default: 0 }),
    work_dir: spec.attr('string', { default: '' }),
    denied_envvars: spec.attr('list(string)', { default: [] }),
});
/** Decodes the plugin block; bad fields (including malformed id ranges) throw ValidationError. */
export function decodePluginConfig(raw) {
    const { value, problems } = decodeSpec(pluginConfigSchema, raw, 'config');
    const ranges = (key, label) => {
        try {
            return parseIdRanges(value[key], label);
        }
        catch (err) {
            problems.push({ field: `config.${key}`, message: errorMessage(err) });
            return parseIdRanges('');
        }
    };
    const deniedHostUids = ranges('denied_host_uids', 'deniedHostUIDs');
    const deniedHostGids = ranges('denied_host_gids', 'deniedHostGIDs');
    if (problems.length > 0)
        throw new ValidationError(problems);
    return { ...camelCased(value), deniedHostUids, deniedHostGids };
}
/** The config a driver has before setConfig: the schema's defaults (disabled, as Nomad). */
export const DEFAULT_PLUGIN_CONFIG = decodePluginConfig({});
/** Decodes a task's config {}; wrong types and unknown keys throw ValidationError. */
export function decodeTaskConfig(raw) {
    const { value, problems } = decodeSpec(taskConfigSchema, raw, 'config');
    const oom = value.oom_score_adj;
    if (typeof oom === 'number' && !Number.isInteger(oom))
        problems.push({ field: 'config.oom_score_adj', message: `expected a whole number, got ${oom}` });
    if (problems.length > 0)
        throw new ValidationError(problems);
    return camelCased(value);
}
/** Nomad's TaskConfig.validate: the first violation, in Nomad's words. */
export function validateTaskConfig(tc) {
    if (Object.keys(tc.cgroupV1Override).length > 0 && tc.cgroupV2Override !== '') {
        return { field: 'config.cgroup_v1_override', message: 'only one of cgroups_v1_override and cgroups_v2_override may be set' };
    }
    if (tc.oomScoreAdj < 0)
        return { field: 'config.oom_score_adj', message: 'oom_score_adj must not be negative' };
    if (tc.workDir !== '' && !tc.workDir.startsWith('/'))
        return { field: 'config.work_dir', message: 'work_dir must be an absolute path' };
    return undefined;
}
//# sourceMappingURL=config.js.map