/** Capabilities ↔ DriverCapabilities. */
import type { Capabilities, FSIsolation } from '../../drivers/types.js';
import * as pb from '../wire/driver.js';
import { NET_MODE_FROM_PB as NET_FROM_PB, NET_MODE_TO_PB as NET_TO_PB } from './network-isolation.js';

const FS = pb.DriverCapabilities_FSIsolation;

const FS_TO_PB: Readonly<Record<FSIsolation, pb.DriverCapabilities_FSIsolation>> = { none: FS.NONE, chroot: FS.CHROOT, image: FS.IMAGE };
// Isolation kinds drover lacks (UNVEIL) read as none.
const FS_FROM_PB: Readonly<Record<pb.DriverCapabilities_FSIsolation, FSIsolation>> = { [FS.NONE]: 'none', [FS.CHROOT]: 'chroot', [FS.IMAGE]: 'image', [FS.UNVEIL]: 'none' };

/** drover → wire. */
export function capabilitiesToPb(c: Capabilities): pb.DriverCapabilities {
  return {
    send_signals: c.sendSignals,
    exec: c.exec,
    fs_isolation: FS_TO_PB[c.fsIsolation],
    network_isolation_modes: c.netIsolationModes.map((m) => NET_TO_PB[m]),
    must_create_network: c.mustInitiateNetwork,
    mount_configs: c.mountConfigs === 'none' ? pb.DriverCapabilities_MountConfigs.NO_MOUNTS : pb.DriverCapabilities_MountConfigs.ANY_MOUNTS,
    disable_log_collection: c.disableLogCollection ?? false,
    dynamic_workload_users: false,
  };
}

/** wire → drover; enum values this proto does not know (a newer peer) read as the defaults. */
export function capabilitiesFromPb(m: pb.DriverCapabilities | undefined): Capabilities {
  return {
    sendSignals: m?.send_signals ?? false,
    exec: m?.exec ?? false,
    fsIsolation: FS_FROM_PB[m?.fs_isolation ?? FS.NONE] ?? 'none',
    netIsolationModes: (m?.network_isolation_modes ?? []).map((n) => NET_FROM_PB[n] ?? 'host'),
    mustInitiateNetwork: m?.must_create_network ?? false,
    mountConfigs: m?.mount_configs === pb.DriverCapabilities_MountConfigs.NO_MOUNTS ? 'none' : 'all',
    ...(m?.disable_log_collection ? { disableLogCollection: true } : {}),
  };
}
