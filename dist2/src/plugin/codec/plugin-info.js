import { PluginType } from '../wire/base.js';
/** The driver API versions Nomad (and drover as a host) speaks. */
export const DRIVER_API_VERSIONS = ['v0.1.0'];
/** drover → wire. */
export function pluginInfoToPb(i) {
    return {
        type: PluginType.DRIVER,
        plugin_api_versions: i.pluginApiVersions.map((v) => (/^\d/.test(v) ? `v${v}` : v)),
        plugin_version: i.pluginVersion,
        name: i.name,
    };
}
/** wire → drover; anything but a driver plugin is refused. */
export function pluginInfoFromPb(m) {
    if (m.type !== PluginType.DRIVER)
        throw new Error(`plugin ${JSON.stringify(m.name)} is not a driver plugin (type ${m.type})`);
    return { type: 'driver', pluginApiVersions: [...m.plugin_api_versions], pluginVersion: m.plugin_version, name: m.name };
}
/** The API version both sides speak (compared without the "v"), or undefined. */
export function selectApiVersion(offered) {
    const bare = (v) => v.replace(/^v/, '');
    return DRIVER_API_VERSIONS.find((ours) => offered.some((o) => bare(o) === bare(ours)));
}
//# sourceMappingURL=plugin-info.js.map