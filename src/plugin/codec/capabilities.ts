/** Capabilities ↔ DriverCapabilities. */
import type { Capabilities, FSIsolation, NetIsolationMode } from '../../drivers/types.js';
import type { PbDriverCapabilities } from '../wire/driver.js';

const FS: readonly FSIsolation[] = ['none', 'chroot', 'image'];
const NET: readonly NetIsolationMode[] = ['host', 'group', 'task', 'none'];
/** MountConfigs enum: ANY_MOUNTS = 0, NO_MOUNTS = 1. */
const NO_MOUNTS = 1;

/** drover → wire. */
export function capabilitiesToPb(c: Capabilities): PbDriverCapabilities {
  return {
    send_signals: c.sendSignals,
    exec: c.exec,
    fs_isolation: Math.max(0, FS.indexOf(c.fsIsolation)),
    network_isolation_modes: c.netIsolationModes.map((m) => Math.max(0, NET.indexOf(m))),
    must_create_network: c.mustInitiateNetwork,
    mount_configs: c.mountConfigs === 'none' ? NO_MOUNTS : 0,
    disable_log_collection: c.disableLogCollection ?? false,
    dynamic_workload_users: false,
  };
}

/** wire → drover; isolation kinds drover lacks (UNVEIL) read as none. */
export function capabilitiesFromPb(pb: PbDriverCapabilities | null | undefined): Capabilities {
  return {
    sendSignals: pb?.send_signals ?? false,
    exec: pb?.exec ?? false,
    fsIsolation: FS[pb?.fs_isolation ?? 0] ?? 'none',
    netIsolationModes: (pb?.network_isolation_modes ?? []).map((m) => NET[m] ?? 'host'),
    mustInitiateNetwork: pb?.must_create_network ?? false,
    mountConfigs: pb?.mount_configs === NO_MOUNTS ? 'none' : 'all',
    ...(pb?.disable_log_collection ? { disableLogCollection: true } : {}),
  };
}
