/**
 * How a VM runs under the executor daemon: the LaunchSpec for QEMU (serial
 * console → the task's stdout log, a cgroup sized for guest RAM plus QEMU's
 * own overhead).
 *
 * Why QEMU runs under the executor daemon instead of `-daemonize`: the
 * daemon is QEMU's parent, so the driver gets QEMU's real exit status; it
 * writes the serial console (QEMU's stdout with -nographic) to the task's
 * rotated log files even while the agent is down; it puts QEMU in a cgroup;
 * and it outlives agent and driver restarts, which is what lets a VM keep
 * running and be reattached. A self-daemonized QEMU would need a file
 * chardev (no rotation), and its exit code would be lost to init.
 */
import type { LaunchSpec } from '../../executor/types.js';
import { taskOutput } from '../shared/task-output.js';
import type { TaskConfig } from '../types.js';

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
  };
}
