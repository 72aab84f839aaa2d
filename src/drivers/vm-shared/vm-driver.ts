/**
 * What qemu and virt share beyond the executor-backed core: a task is a
 * QEMU process plus its QMP socket, launched with a cgroup sized for guest
 * RAM plus QEMU's own overhead and its serial console as the task's stdout;
 * recovery checks the VM itself answers over QMP; neither signals nor execs
 * into the guest.
 *
 * Why QEMU runs under the executor daemon instead of `-daemonize`: the
 * daemon is QEMU's parent, so the driver gets QEMU's real exit status; it
 * writes the serial console (QEMU's stdout with -nographic) to the task's
 * rotated log files even while the agent is down; it puts QEMU in a cgroup;
 * and it outlives agent and driver restarts, which is what lets a VM keep
 * running and be reattached. A self-daemonized QEMU would need a file
 * chardev (no rotation), and its exit code would be lost to init.
 */
import type { LaunchSpec, TaskInspect } from '../../executor/types.js';
import { DroverError, ErrorCode, errorMessage } from '../../model/errors.js';
import { ExecutorDriver, type Launched } from '../shared/executor-driver.js';
import type { PooledExecutor } from '../shared/executor-pool.js';
import { launchedState, taskNetns, taskOutput, type ExecutorTaskState } from '../shared/executor-task.js';
import type { DriverNetwork, TaskConfig } from '../types.js';
import { VmTask } from './vm-task.js';

/** How long recovery waits for QMP to answer. */
const RECOVER_QMP_MS = 5_000;

/** A VM to boot: QEMU's command line and what the driver keeps about it. */
export interface VmStart extends VmLaunch {
  readonly qmpPath: string;
  readonly graceful: boolean;
  /** Extra TaskStatus attributes. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** The driver's own driver_state fields. */
  readonly extra?: Readonly<Record<string, unknown>>;
  readonly network?: DriverNetwork;
}

/** An executor-backed driver whose tasks are VMs. */
export abstract class VmDriver<P> extends ExecutorDriver<P, VmTask> {
  /** TaskStatus attributes of a recovered VM, from its driver_state. */
  protected abstract recoveredAttributes(extra: Readonly<Record<string, unknown>>): Readonly<Record<string, string>>;

  /** Launches QEMU under the executor and builds the VM's handle. */
  protected async boot(on: PooledExecutor, vm: VmStart): Promise<Launched<VmTask>> {
    this.ctx.logger.debug('starting QEMU VM command', { task_id: vm.config.id, args: [vm.binary, ...vm.args].join(' ') });
    const launched = await this.launchOn(on, vmLaunchSpec(vm));
    const task = this.vmTask(vm.config, launchedState(on.dataDir, launched), on, vm.qmpPath, vm.graceful, vm.attributes);
    return { task, extra: { ...vm.extra, qmpPath: vm.qmpPath, gracefulShutdown: vm.graceful }, ...(vm.network ? { network: vm.network } : {}) };
  }

  /**
   * Reattaches to a VM after a restart: a running VM must answer
   * query-status on its QMP socket (one that exited meanwhile is recovered
   * as exited).
   */
  protected async reattach(config: TaskConfig, state: ExecutorTaskState, extra: Readonly<Record<string, unknown>>, on: PooledExecutor, info: TaskInspect): Promise<VmTask> {
    const { qmpPath, gracefulShutdown } = extra;
    if (typeof qmpPath !== 'string') throw new DroverError(ErrorCode.internal, 'failed to decode task state from handle: qmpPath is not a string');
    const task = this.vmTask(config, state, on, qmpPath, gracefulShutdown === true, this.recoveredAttributes(extra));
    if (info.state === 'running') {
      try {
        const status = await task.queryStatus(RECOVER_QMP_MS);
        this.ctx.logger.debug('reattached to VM', { task_id: config.id, status: status.status });
      } catch (err) {
        throw new DroverError(ErrorCode.internal, `failed to reattach to VM through its QMP socket ${qmpPath}: ${errorMessage(err)}`, { cause: err });
      }
    }
    return task;
  }

  private vmTask(config: TaskConfig, state: ExecutorTaskState, on: PooledExecutor, qmpPath: string, graceful: boolean, attributes?: Readonly<Record<string, string>>): VmTask {
    return new VmTask({ config, executor: on.executor, state, logger: this.ctx.logger, now: this.ctx.now, qmpPath, graceful, ...(attributes ? { attributes } : {}) });
  }
}

/**
 * Memory QEMU needs beyond guest RAM (its heap, device models, I/O
 * buffers), added to the cgroup limit so the limit never kills a VM that
 * stays within its configured memory. bench/vm.ts measures ~75 MiB for a
 * booted 128 MiB TCG guest; this leaves room for disk and network buffers.
 */
export const QEMU_OVERHEAD_MB = 256;
/** TCG's translation cache may grow to 1 GiB (QEMU's default tb-size for system emulation). */
export const TCG_CACHE_MB = 1024;

/** What to launch. */
export interface VmLaunch {
  readonly config: TaskConfig;
  readonly binary: string;
  readonly args: readonly string[];
  /** Added to the task's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Software emulation: the limit also allows for TCG's translation cache. */
  readonly tcg: boolean;
  /**
   * Run QEMU in the task's network namespace (TaskConfig.networkIsolation),
   * as Nomad's qemu driver does by passing it to its executor: user-mode
   * networking and its port forwards then live in the allocation's network.
   * virt leaves it off: its tap devices and bridge are on the host.
   */
  readonly joinNetns?: boolean;
}

/** The executor's LaunchSpec for QEMU. */
export function vmLaunchSpec(l: VmLaunch): LaunchSpec {
  const cfg = l.config;
  const overhead = QEMU_OVERHEAD_MB + (l.tcg ? TCG_CACHE_MB : 0);
  return {
    taskId: cfg.id,
    command: l.binary,
    args: l.args,
    env: { ...cfg.env, ...l.env },
    cwd: cfg.taskDir.dir,
    user: cfg.user,
    output: taskOutput(cfg),
    resources: {
      cpuShares: cfg.resources.cpuShares,
      memoryMb: cfg.resources.memoryMb + overhead,
      memoryMaxMb: Math.max(cfg.resources.memoryMaxMb, cfg.resources.memoryMb) + overhead,
      pidsLimit: 0,
    },
    cgroup: process.getuid?.() === 0,
    ...(l.joinNetns ? taskNetns(cfg) : {}),
  };
}
