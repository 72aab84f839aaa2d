/**
 * NetworkIsolationSpec ↔ its proto (Nomad's NetworkIsolationSpecToProto /
 * FromProto in plugins/drivers/utils.go): TaskConfig.network_isolation_spec,
 * and the CreateNetwork / DestroyNetwork messages. An unset message stays
 * undefined both ways, as Nomad keeps a nil spec nil.
 */
import type { NetIsolationMode, NetworkIsolationSpec } from '../../drivers/types.js';
import * as pb from '../wire/driver.js';

const NET = pb.NetworkIsolationSpec_NetworkIsolationMode;

/** drover's isolation mode → the proto enum. */
export const NET_MODE_TO_PB: Readonly<Record<NetIsolationMode, pb.NetworkIsolationSpec_NetworkIsolationMode>> = { host: NET.HOST, group: NET.GROUP, task: NET.TASK, none: NET.NONE };
/** The proto enum → drover's isolation mode. */
export const NET_MODE_FROM_PB: Readonly<Record<pb.NetworkIsolationSpec_NetworkIsolationMode, NetIsolationMode>> = { [NET.HOST]: 'host', [NET.GROUP]: 'group', [NET.TASK]: 'task', [NET.NONE]: 'none' };

/** drover → wire. */
export function networkIsolationToPb(s: NetworkIsolationSpec | undefined): pb.NetworkIsolationSpec | undefined {
  if (!s) return undefined;
  return {
    mode: NET_MODE_TO_PB[s.mode],
    path: s.path,
    labels: { ...s.labels },
    hostsConfig: s.hostsConfig ? { hostname: s.hostsConfig.hostname, address: s.hostsConfig.address } : undefined,
  };
}

/** wire → drover; a mode a newer peer added reads as host (no namespace to join). */
export function networkIsolationFromPb(m: pb.NetworkIsolationSpec | undefined): NetworkIsolationSpec | undefined {
  if (!m) return undefined;
  return {
    mode: NET_MODE_FROM_PB[m.mode] ?? 'host',
    path: m.path,
    labels: { ...m.labels },
    ...(m.hostsConfig ? { hostsConfig: { hostname: m.hostsConfig.hostname, address: m.hostsConfig.address } } : {}),
  };
}
