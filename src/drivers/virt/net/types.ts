/**
 * The virt driver's network sub-system contract (nomad-driver-virt's Net
 * interface): the only link between the driver and host networking.
 * drover adds vmArgs because QEMU, not libvirt, creates the VM's devices:
 * the driver asks for the QEMU arguments before the VM starts, so a host
 * that cannot provide the network fails the start with a clear reason.
 */
import type { DriverNetwork, TaskConfig } from '../../types.js';
import type { BridgeConfig } from '../config.js';

/** Node attribute key prefix for network facts. */
export const FINGERPRINT_PREFIX = 'driver.virt.network.';

/** Which VM, on which bridges (at most one), for which task. */
export interface VmNetRequest {
  readonly vmName: string;
  readonly bridges: readonly BridgeConfig[];
  /** For ports: NOMAD_IP_/NOMAD_HOST_PORT_/NOMAD_PORT_<label> in its env. */
  readonly task: TaskConfig;
}

/** Everything needed to undo a VM's network configuration; stored in the task handle. */
export interface TeardownSpec {
  /** iptables rules as [table, chain, ...rule args]. */
  readonly iptablesRules: ReadonlyArray<readonly string[]>;
  /** Tap devices to remove if QEMU left them. */
  readonly taps: readonly string[];
}

/** What vmStartedBuild returns. */
export interface VmStartedBuildResponse {
  readonly driverNetwork?: DriverNetwork;
  readonly teardown?: TeardownSpec;
}

/** The network sub-system. */
export interface VirtNet {
  /** Adds driver.virt.network.* attributes; problems are logged, never fatal. */
  fingerprint(attrs: Record<string, string | number | boolean>): void;
  /** Prepares the host; called at every setConfig, so idempotent. */
  init(): Promise<void>;
  /** QEMU arguments for the VM's interfaces ("-nic none" without any); throws when the host cannot provide them. */
  vmArgs(req: VmNetRequest): string[];
  /** Configures the network of a started VM; an error makes the driver destroy the VM. */
  vmStartedBuild(req: VmNetRequest): Promise<VmStartedBuildResponse>;
  /** Undoes `spec`; safe to call again after a failure or a partial teardown. */
  vmTerminatedTeardown(spec: TeardownSpec | undefined): Promise<void>;
}
