/**
 * What qemu and virt share beyond the executor-backed core: a task is a
 * QEMU process plus its QMP socket, recovery checks the VM itself answers
 * over QMP, and neither signals nor execs into the guest.
 */
import type { TaskInspect } from '../../executor/types.js';
import { DroverError, ErrorCode, errorMessage } from '../../model/errors.js';
import { ExecutorDriver, type Launched } from '../shared/executor-driver.js';
import type { PooledExecutor } from '../shared/executor-pool.js';
import { launchedState } from '../shared/executor-task.js';
import type { ExecutorTaskState } from '../shared/executor-state.js';
import type { DriverNetwork, TaskConfig } from '../types.js';
import { vmLaunchSpec, type VmLaunch } from './launch.js';
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
