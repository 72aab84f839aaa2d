/**
 * The agent's side of allocation networks (bridge, none, cni/<name>): the
 * configurator built from the client config, and the sweep an agent start
 * runs over allocations a crash left with a network.
 */
import { netnsExists } from '../../drivers/shared/netns.js';
import { errorMessage } from '../../model/errors.js';
import type { Logger } from '../../model/logger.js';
import { AllocNetworks } from '../../taskrunner/network/alloc-network.js';
import { bridgeSettings } from '../../taskrunner/network/bridge-conflist.js';
import type { ClientConfig } from '../config/agent-config.js';
import type { AllocRecord } from '../state/state-db.js';

/** The network configurator for this agent's client settings; none unless root (namespaces, veths and iptables need it). */
export function agentNetworks(c: ClientConfig, logger: Logger): AllocNetworks | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return new AllocNetworks({
    bridge: bridgeSettings({ bridge_network_name: c.bridgeNetworkName, bridge_network_subnet: c.bridgeNetworkSubnet, bridge_network_hairpin_mode: c.bridgeNetworkHairpinMode }),
    ...(c.cniPath ? { cniPath: c.cniPath } : {}),
    ...(c.cniConfigDir ? { cniConfigDir: c.cniConfigDir } : {}),
    logger,
  });
}

/**
 * Tears down the network namespace of any of this agent's ended allocations
 * that still has one (the agent died between the tasks' end and the network
 * hook's Postrun). Only this data dir's allocations are looked at: other
 * agents on the host own theirs.
 */
export function sweepEndedNetworks(networks: AllocNetworks, allocs: readonly AllocRecord[], logger: Logger): void {
  for (const rec of allocs) {
    if (!rec.terminal || !netnsExists(rec.id)) continue;
    void networks.teardown(rec.id).catch((err: unknown) => logger.error('tearing down a leftover allocation network failed', { alloc_id: rec.id, error: errorMessage(err) }));
  }
}
