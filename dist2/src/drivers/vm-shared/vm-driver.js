import { DroverError, ErrorCode, errorMessage } from '../../model/errors.js';
import { ExecutorDriver } from '../shared/executor-driver.js';
import { launchedState, taskOutput } from '../shared/executor-task.js';
import { VmTask } from './vm-task.js';
/** How long recovery waits for QMP to answer. */
const RECOVER_QMP_MS = 5_000;
/** An executor-backed driver whose tasks are VMs. */
export class VmDriver extends ExecutorDriver {
    /** Launches QEMU under the executor and builds the VM's handle. */
    async boot(on, vm) {
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
    async reattach(config, state, extra, on, info) {
        const { qmpPath, gracefulShutdown } = extra;
        if (typeof qmpPath !== 'string')
            throw new DroverError(ErrorCode.internal, 'failed to decode task state from handle: qmpPath is not a string');
        const task = this.vmTask(config, state, on, qmpPath, gracefulShutdown === true, this.recoveredAttributes(extra));
        if (info.state === 'running') {
            try {
                const status = await task.queryStatus(RECOVER_QMP_MS);
                this.ctx.logger.debug('reattached to VM', { task_id: config.id, status: status.status });
            }
            catch (err) {
                throw new DroverError(ErrorCode.internal, `failed to reattach to VM through its QMP socket ${qmpPath}: ${errorMessage(err)}`, { cause: err });
            }
        }
        return task;
    }
    vmTask(config, state, on, qmpPath, graceful, attributes) {
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
/** The executor's LaunchSpec for QEMU. */
export function vmLaunchSpec(l) {
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
    };
}
//# sourceMappingURL=vm-driver.js.map