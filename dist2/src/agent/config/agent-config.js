/** Nomad's defaults (127.0.0.1 instead of Nomad's 0.0.0.0: loopback unless asked). */
export const DEFAULT_AGENT_CONFIG = {
    region: 'global',
    datacenter: 'dc1',
    name: '',
    bindAddr: '127.0.0.1',
    httpPort: 4646,
    pluginDir: '',
    plugins: {},
    pluginArgs: {},
    aclEnabled: false,
    client: { meta: {}, chrootEnv: {}, nodeClass: '', nodePool: 'default', userDenylist: [], userCheckedDrivers: [] },
    httpMaxBodyBytes: 8 * 1024 * 1024,
    statsIntervalMs: 1_000,
};
/** Merges partial configs in order over the defaults. */
export function mergeConfigs(dataDir, parts) {
    let out = { ...DEFAULT_AGENT_CONFIG, dataDir: undefined };
    for (const p of parts) {
        const { client, plugins, pluginArgs, ...rest } = p;
        out = {
            ...out,
            ...definedOnly(rest),
            plugins: { ...out.plugins, ...plugins },
            pluginArgs: { ...out.pluginArgs, ...pluginArgs },
            client: { ...out.client, ...definedOnly(client ?? {}), meta: { ...out.client.meta, ...client?.meta } },
        };
    }
    if (dataDir !== undefined)
        out = { ...out, dataDir };
    return out;
}
function definedOnly(o) {
    return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
//# sourceMappingURL=agent-config.js.map