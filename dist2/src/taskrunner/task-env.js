/** Nomad's default client env.denylist: credentials tasks must not inherit from the agent. */
export const DEFAULT_ENV_DENYLIST = [
    'CONSUL_TOKEN', 'CONSUL_HTTP_TOKEN', 'CONSUL_HTTP_TOKEN_FILE', 'NOMAD_TOKEN', 'VAULT_TOKEN',
    'CONSUL_LICENSE', 'NOMAD_LICENSE', 'VAULT_LICENSE',
    'CONSUL_LICENSE_PATH', 'NOMAD_LICENSE_PATH', 'VAULT_LICENSE_PATH',
    'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_METADATA_URL',
    'GOOGLE_APPLICATION_CREDENTIALS', 'GOOGLE_OAUTH_ACCESS_TOKEN',
];
/**
 * The host environment a task inherits (Nomad's SetHostEnvvars): everything
 * but the deny list. Nomad gives it to tasks of every driver without image
 * isolation, which is how raw_exec and exec tasks get PATH.
 */
export function filterHostEnv(env, denylist = DEFAULT_ENV_DENYLIST) {
    const deny = new Set(denylist);
    const out = {};
    for (const [k, v] of Object.entries(env))
        if (v !== undefined && !deny.has(k))
            out[k] = v;
    return out;
}
/** Builds the env map a task starts with. */
export function buildTaskEnv(input) {
    const { job, group, task, allocId } = input;
    const env = {
        NOMAD_ALLOC_DIR: input.dirs.alloc,
        NOMAD_TASK_DIR: input.dirs.local,
        NOMAD_SECRETS_DIR: input.dirs.secrets,
        NOMAD_MEMORY_LIMIT: String(task.resources.memoryMb),
        NOMAD_CPU_LIMIT: String(task.resources.cpu),
        NOMAD_ALLOC_ID: allocId,
        NOMAD_SHORT_ALLOC_ID: allocId.slice(0, 8),
        NOMAD_ALLOC_NAME: `${job.id}.${group.name}[${input.allocIndex}]`,
        NOMAD_ALLOC_INDEX: String(input.allocIndex),
        NOMAD_GROUP_NAME: group.name,
        NOMAD_TASK_NAME: task.name,
        NOMAD_JOB_ID: job.id,
        NOMAD_JOB_NAME: job.name,
        NOMAD_DC: input.node.datacenter,
        NOMAD_NAMESPACE: job.namespace,
        NOMAD_REGION: job.region,
    };
    if (task.resources.memoryMaxMb > 0)
        env.NOMAD_MEMORY_MAX_LIMIT = String(task.resources.memoryMaxMb);
    // Meta: job < group < task, exposed both as written and upper-cased (as Nomad).
    for (const [k, v] of Object.entries({ ...job.meta, ...group.meta, ...task.meta })) {
        env[`NOMAD_META_${k.toUpperCase()}`] = v;
        env[`NOMAD_META_${k}`] = v;
    }
    Object.assign(env, input.hookEnv);
    // Host variables fill in only what Nomad's own variables and hooks did not set.
    for (const [k, v] of Object.entries(input.hostEnv ?? {}))
        if (!(k in env))
            env[k] = v;
    // The task's own env {} may refer to everything above, and overrides it.
    const lookup = envLookup(env, input.node);
    for (const [k, v] of Object.entries(task.env))
        env[k] = interpolate(v, lookup);
    return env;
}
/** The lookup Nomad's ReplaceEnv uses: task env, then `attr.*`, `node.*`, `meta.*`, and `env["X"]`. */
export function envLookup(env, node) {
    return (name) => {
        const envRef = /^env\[["']?([^"'\]]+)["']?\]$/.exec(name) ?? /^env\.(.+)$/.exec(name);
        if (envRef)
            return env[envRef[1]];
        return env[name] ?? node.attributes[name];
    };
}
const REF = /\$\{([A-Za-z0-9_.\-[\]"']+)\}/g;
/** Replaces every resolvable `${name}` in `text`; unknown names stay as written, as Nomad does. */
export function interpolate(text, lookup) {
    if (!text.includes('${'))
        return text;
    return text.replace(REF, (whole, name) => lookup(name) ?? whole);
}
/** Interpolates every string inside a decoded-HCL value (driver config). */
export function interpolateDeep(value, lookup) {
    if (typeof value === 'string')
        return interpolate(value, lookup);
    if (Array.isArray(value))
        return value.map((v) => interpolateDeep(v, lookup));
    if (value !== null && typeof value === 'object') {
        const out = {};
        for (const [k, v] of Object.entries(value))
            out[k] = interpolateDeep(v, lookup);
        return out;
    }
    return value;
}
//# sourceMappingURL=task-env.js.map