/**
 * Starting QEMU under the executor daemon and finding it again after a
 * restart: the LaunchSpec (serial console → the task's stdout log, a cgroup
 * sized for guest RAM plus QEMU's own overhead), and recovery that checks
 * both the executor's record and the VM itself over QMP.
 */
import type { Executor, LaunchSpec, OutputSpec } from '../../executor/types.js';
import { DroverError, DriverStartError, ErrorCode, errorMessage } from '../../model/errors.js';
import type { Logger, TaskConfig } from '../types.js';
import { QmpClient, type QmpStatus } from './qmp.js';
import type { VmProcessState } from './state.js';
import { VmHandle } from './vm-handle.js';

/**
 * Memory QEMU needs beyond guest RAM (its heap, device models, I/O
 * buffers), added to the cgroup limit so the limit never kills a VM that
 * stays within its configured memory. bench/vm.ts measures ~75 MiB for a
 * booted 128 MiB TCG guest; this leaves room for disk and network buffers.
 */
export const QEMU_OVERHEAD_MB = 256;
/** TCG's translation cache may grow to 1 GiB (QEMU's default tb-size for system emulation). */
export const TCG_CACHE_MB = 1024;

/** How long recovery waits for QMP to answer. */
const RECOVER_QMP_MS = 5_000;

/** What to launch. */
export interface VmLaunch {
  readonly config: TaskConfig;
  readonly binary: string;
  readonly args: readonly string[];
  /** Added to the task's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly qmpPath: string;
  /** Extra TaskStatus attributes. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Software emulation: the limit also allows for TCG's translation cache. */
  readonly tcg: boolean;
}

/** Who runs it and where to log. */
export interface VmLaunchContext {
  readonly executor: Pick<Executor, 'launch' | 'wait' | 'shutdown' | 'inspect'>;
  readonly executorDataDir: string;
  readonly logger: Logger;
  readonly now: () => number;
}

/** Launches QEMU; returns the running handle and the state to persist. */
export async function launchVm(l: VmLaunch, ctx: VmLaunchContext): Promise<{ handle: VmHandle; state: VmProcessState }> {
  const cfg = l.config;
  const overhead = QEMU_OVERHEAD_MB + (l.tcg ? TCG_CACHE_MB : 0);
  const spec: LaunchSpec = {
    taskId: cfg.id,
    command: l.binary,
    args: l.args,
    env: { ...cfg.env, ...l.env },
    cwd: cfg.taskDir.dir,
    user: cfg.user,
    output: outputOf(cfg),
    resources: {
      cpuShares: cfg.resources.cpuShares,
      memoryMb: cfg.resources.memoryMb + overhead,
      memoryMaxMb: Math.max(cfg.resources.memoryMaxMb, cfg.resources.memoryMb) + overhead,
      pidsLimit: 0,
    },
    cgroup: process.getuid?.() === 0,
  };
  ctx.logger.debug('starting QEMU VM command', { task_id: cfg.id, args: [l.binary, ...l.args].join(' ') });
  let launched;
  try {
    launched = await ctx.executor.launch(spec);
  } catch (err) {
    if (err instanceof DroverError) throw err;
    throw new DriverStartError(`failed to launch QEMU with executor: ${errorMessage(err)}`, { cause: err });
  }
  const handle = new VmHandle({
    config: cfg,
    executor: ctx.executor,
    executorTaskId: cfg.id,
    pid: launched.pid,
    startedAt: launched.startedAt,
    qmpPath: l.qmpPath,
    logger: ctx.logger,
    now: ctx.now,
    ...(l.attributes ? { attributes: l.attributes } : {}),
  });
  handle.start();
  const state: VmProcessState = {
    executorDataDir: ctx.executorDataDir,
    pid: launched.pid,
    procStartTicks: launched.procStartTicks,
    startedAt: launched.startedAt,
    qmpPath: l.qmpPath,
  };
  return { handle, state };
}

/**
 * Reattaches to a VM after a restart: the executor must still hold the QEMU
 * process named in the state, and a running VM must answer query-status on
 * its QMP socket (a VM that exited meanwhile is recovered as exited).
 */
export async function recoverVm(config: TaskConfig, state: VmProcessState, ctx: VmLaunchContext, attributes?: Readonly<Record<string, string>>): Promise<VmHandle> {
  let info;
  try {
    info = await ctx.executor.inspect(config.id);
  } catch (err) {
    throw new DroverError(ErrorCode.internal, `failed to reattach to executor: ${errorMessage(err)}`, { cause: err });
  }
  if (info.pid !== state.pid) throw new DroverError(ErrorCode.internal, `failed to reattach to executor: QEMU runs as pid ${info.pid}, handle says ${state.pid}`);
  if (info.state === 'running') {
    let status: QmpStatus;
    try {
      const c = await QmpClient.connect(state.qmpPath, { timeoutMs: RECOVER_QMP_MS });
      try {
        status = await c.execute<QmpStatus>('query-status');
      } finally {
        c.close();
      }
    } catch (err) {
      throw new DroverError(ErrorCode.internal, `failed to reattach to VM through its QMP socket ${state.qmpPath}: ${errorMessage(err)}`, { cause: err });
    }
    ctx.logger.debug('reattached to VM', { task_id: config.id, status: status.status });
  }
  const handle = new VmHandle({
    config,
    executor: ctx.executor,
    executorTaskId: config.id,
    pid: state.pid,
    startedAt: state.startedAt,
    qmpPath: state.qmpPath,
    logger: ctx.logger,
    now: ctx.now,
    ...(attributes ? { attributes } : {}),
  });
  handle.start();
  return handle;
}

/** drover rotates the files itself when asked; otherwise the paths are opened as given (FIFOs under Nomad). */
function outputOf(cfg: TaskConfig): OutputSpec {
  if (cfg.logRotation) {
    return { kind: 'rotate', dir: cfg.taskDir.logDir, taskName: cfg.name, maxFiles: cfg.logRotation.maxFiles, maxFileSizeBytes: cfg.logRotation.maxFileSizeBytes };
  }
  return { kind: 'paths', stdoutPath: cfg.stdoutPath, stderrPath: cfg.stderrPath };
}
