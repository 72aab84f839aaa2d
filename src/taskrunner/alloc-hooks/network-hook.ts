/**
 * network (Nomad's allocrunner network_hook.go): for a group whose network
 * mode is bridge, none or cni/<name>, Prerun gives the allocation its own
 * network namespace (configured by CNI, ports mapped from the host) before
 * any task starts, and hands its path and address to the tasks; Postrun,
 * once every task is done, tears it down. Host mode does nothing.
 *
 * Setup after an agent restart adopts the namespace the allocation already
 * has (AllocNetworks.setup is idempotent per alloc), so running tasks keep
 * their network.
 */
import { DroverError, ErrorCode } from '../../model/errors.js';
import type { Logger } from '../../model/logger.js';
import type { AllocatedNetwork, NetworkSpec } from '../../model/network.js';
import type { Task } from '../../model/job.js';
import type { DriverPlugin } from '../../drivers/types.js';
import { parseNetworkMode, type AllocNetworks } from '../network/alloc-network.js';
import type { AllocNetworkMode, AllocNetworkStatus } from '../network/network-status.js';
import type { AllocPostrunHook, AllocPrerunHook } from './types.js';

export interface NetworkHookConfig {
  readonly allocId: string;
  /** The group's network { } (its first, as Nomad allows one); undefined: none asked for. */
  readonly spec: NetworkSpec | undefined;
  readonly tasks: readonly Task[];
  readonly driver: (name: string) => Pick<DriverPlugin, 'capabilities'> | undefined;
  /** The agent's network configurator; undefined where it cannot make namespaces (not root). */
  readonly networks: AllocNetworks | undefined;
  /** The allocation's network as placed (its host ports); the hook adds the namespace and address. */
  readonly network: () => AllocatedNetwork | undefined;
  readonly setNetwork: (n: AllocatedNetwork) => void;
  readonly logger: Logger;
}

export class NetworkHook implements AllocPrerunHook, AllocPostrunHook {
  readonly name = 'network';
  private readonly mode: AllocNetworkMode | 'host';
  private status: AllocNetworkStatus | undefined;

  constructor(private readonly cfg: NetworkHookConfig) {
    this.mode = parseNetworkMode(cfg.spec?.mode);
  }

  async prerun(): Promise<void> {
    const { cfg, mode } = this;
    if (mode === 'host') return;
    for (const task of cfg.tasks) {
      const modes = cfg.driver(task.driver)?.capabilities().netIsolationModes ?? [];
      if (!modes.includes('group')) throw new DroverError(ErrorCode.validation, `task ${task.name} does not support "${mode}" networking mode`);
    }
    if (!cfg.networks) {
      throw new DroverError(ErrorCode.unavailable, `network mode "${mode}" needs root (a network namespace per allocation and the CNI plugins); this agent is not running as root`);
    }
    const placed = cfg.network();
    this.status = await cfg.networks.setup({ allocId: cfg.allocId, mode, ports: placed?.ports ?? [] });
    cfg.setNetwork({
      mode,
      hostIp: placed?.hostIp ?? '',
      ports: placed?.ports ?? [],
      ...(placed?.taskPorts ? { taskPorts: placed.taskPorts } : {}),
      netnsPath: this.status.netnsPath,
      ...(this.status.address ? { allocIp: this.status.address } : {}),
    });
    cfg.logger.debug('allocation network ready', { mode, netns: this.status.netnsPath, address: this.status.address ?? '' });
  }

  async postrun(): Promise<void> {
    if (this.mode === 'host' || !this.cfg.networks) return;
    // Teardown needs nothing from this process: after a crash the alloc id finds the on-disk record.
    await this.cfg.networks.teardown(this.cfg.allocId, this.status ?? { mode: this.mode });
    this.status = undefined;
  }
}
