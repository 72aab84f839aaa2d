/**
 * PluginInfo ↔ PluginInfoResponse. Nomad's drivers announce API version
 * "v0.1.0" (drivers.ApiVersion010); a bare "0.1.0" is sent in that spelling.
 */
import type { PluginInfo } from '../../drivers/types.js';
import { PluginType, type PluginInfoResponse } from '../wire/base.js';

/** The driver API versions Nomad (and drover as a host) speaks. */
export const DRIVER_API_VERSIONS = ['v0.1.0'] as const;

/** drover → wire. */
export function pluginInfoToPb(i: PluginInfo): PluginInfoResponse {
  return {
    type: PluginType.DRIVER,
    plugin_api_versions: i.pluginApiVersions.map((v) => (/^\d/.test(v) ? `v${v}` : v)),
    plugin_version: i.pluginVersion,
    name: i.name,
  };
}

/** wire → drover; anything but a driver plugin is refused. */
export function pluginInfoFromPb(m: PluginInfoResponse): PluginInfo {
  if (m.type !== PluginType.DRIVER) throw new Error(`plugin ${JSON.stringify(m.name)} is not a driver plugin (type ${m.type})`);
  return { type: 'driver', pluginApiVersions: [...m.plugin_api_versions], pluginVersion: m.plugin_version, name: m.name };
}

/** The API version both sides speak (compared without the "v"), or undefined. */
export function selectApiVersion(offered: readonly string[]): string | undefined {
  const bare = (v: string): string => v.replace(/^v/, '');
  return DRIVER_API_VERSIONS.find((ours) => offered.some((o) => bare(o) === bare(ours)));
}
