/**
 * The executor contract: what drivers ask of the executor daemon, per task.
 * Mirrors Nomad's executor.Executor (Launch, Wait, Shutdown, UpdateResources,
 * Version, Stats, Signal, Exec, ExecStreaming) but for many tasks in one
 * daemon, so every call names its task. Imports only model-level types.
 */
import type { ExitResult, ExecOptions, TaskResourceUsage } from '../model/task-result.js';

/** Where task output goes. */
export type OutputSpec =
  /** drover's own rotated files: <dir>/<taskName>.stdout.N / .stderr.N */
  | { readonly kind: 'rotate'; readonly dir: string; readonly taskName: string; readonly maxFiles: number; readonly maxFileSizeBytes: number }
  /** Paths opened for writing as given (FIFOs when Nomad hosts the driver, /dev/null when logs are disabled). */
  | { readonly kind: 'paths'; readonly stdoutPath: string; readonly stderrPath: string };

export interface ResourceLimits {
  /** cpu shares (Nomad's MHz → cpu.shares / cpu.weight). */
  readonly cpuShares: number;
  /** Soft limit, MiB (memory.soft_limit_in_bytes / memory.low or memory.high). */
  readonly memoryMb: number;
  /** Hard limit, MiB; 0 = same as memoryMb. */
  readonly memoryMaxMb: number;
  /** Max processes in the task's cgroup; 0 = unlimited. */
  readonly pidsLimit: number;
}

/**
 * Nomad's volume_mount propagation_mode, applied as libcontainer applies it
 * for Nomad's exec driver: private = rprivate, host-to-task = rslave,
 * bidirectional = rshared (on a mount that is already a slave of the host).
 */
export type MountPropagation = 'private' | 'host-to-task' | 'bidirectional';

/** One bind into the chroot. */
export interface IsolatedMount {
  readonly hostPath: string;
  readonly taskPath: string;
  readonly readonly: boolean;
  /** Absent: private. */
  readonly propagation?: MountPropagation;
}

/** Linux isolation for the exec driver (util-linux namespaces + chroot). */
export interface IsolationSpec {
  /** The chroot: the task dir. */
  readonly root: string;
  /** Host path → path inside the chroot, bound read-only (Nomad's chroot_env). */
  readonly chrootEnv: Readonly<Record<string, string>>;
  /** Extra binds (alloc/, local/, secrets/ ...): host path → chroot path, writable unless readonly. */
  readonly mounts: ReadonlyArray<IsolatedMount>;
  readonly pidMode: 'private' | 'host';
  readonly ipcMode: 'private' | 'host';
  readonly hostname: string;
  /** Effective capability set after cap_add / cap_drop, lowercase without "cap_" ("net_bind_service"). */
  readonly capabilities: readonly string[];
  readonly noPivotRoot: boolean;
  /** Host devices bound into the chroot (Nomad's DeviceConfig). Permissions are not enforced: a read-only bind (no "w") does not stop writes to a device node; only a devices cgroup would. */
  readonly devices?: ReadonlyArray<{ readonly hostPath: string; readonly taskPath: string; readonly permissions: string }>;
}

export interface LaunchSpec {
  /** The driver's task id (TaskConfig.id). */
  readonly taskId: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Working dir (inside the chroot when isolated). */
  readonly cwd: string;
  /** Run as this user (name or uid); empty = the daemon's user. */
  readonly user: string;
  readonly output: OutputSpec;
  readonly resources: ResourceLimits;
  /** Put the task in its own cgroup (root only): cleanup of the whole tree, stats, limits. */
  readonly cgroup: boolean;
  readonly isolation?: IsolationSpec;
  /** -1000..1000; undefined leaves the daemon's default. */
  readonly oomScoreAdj?: number;
  /**
   * Join these existing cgroups instead of creating one (raw_exec's
   * cgroup_v1_override: controller → path under its mount; cgroup_v2_override:
   * path under the unified root). Shared, so limits are not written and the
   * cgroup is never mass-killed or removed.
   */
  readonly cgroupOverride?: { readonly v1?: Readonly<Record<string, string>>; readonly v2?: string };
  /**
   * A network namespace file (Nomad's NetworkIsolationSpec.Path, e.g.
   * /var/run/netns/<allocId>) the task and every exec into it join before
   * exec; only the network namespace: isolated tasks still get their own
   * mount, uts, ipc and pid namespaces. Absent: the daemon's (host) network.
   * Kept in the journal with the rest of the spec, so exec sessions after a
   * daemon restart join it too.
   */
  readonly netnsPath?: string;
}

/** What launch returns and the driver keeps in driver_state to reattach. */
export interface LaunchedTask {
  readonly taskId: string;
  readonly pid: number;
  /** Unix ms. */
  readonly startedAt: number;
  /** /proc/<pid>/stat starttime (clock ticks since boot): guards against PID reuse. */
  readonly procStartTicks: number;
  /** cgroup path(s) the task lives in, if any. */
  readonly cgroup?: string;
}

export interface TaskInspect {
  readonly taskId: string;
  readonly state: 'running' | 'exited';
  readonly pid: number;
  readonly startedAt: number;
  readonly completedAt: number;
  readonly exitResult?: ExitResult;
}

export interface ExecResult {
  /** stdout and stderr interleaved, capped like Nomad's check output buffer. */
  readonly output: Uint8Array;
  readonly exitCode: number;
}

/** The per-task executor operations a driver uses (over the daemon's socket). */
export interface Executor {
  /** Daemon version and protocol version. */
  version(): Promise<{ readonly version: string; readonly protocol: number }>;
  launch(spec: LaunchSpec): Promise<LaunchedTask>;
  /** Resolves when the task exits (immediately if it already has); rejects with an AbortError on abort. */
  wait(taskId: string, opts: { readonly signal?: AbortSignal }): Promise<ExitResult>;
  /** Sends `signal` (default SIGINT) to the task's process group, then SIGKILL to the whole tree after graceMs. Resolves once it is gone. */
  shutdown(taskId: string, signal: string, graceMs: number): Promise<void>;
  updateResources(taskId: string, resources: ResourceLimits): Promise<void>;
  /** One sample; the driver polls at its interval. */
  stats(taskId: string): Promise<TaskResourceUsage>;
  signal(taskId: string, signal: string): Promise<void>;
  /** Runs a command in the task's context (same user, env, namespaces, chroot) until done or deadline. */
  exec(taskId: string, deadlineMs: number, command: string, args: readonly string[]): Promise<ExecResult>;
  /** Interactive exec; `tty` allocates a real PTY (resizable). */
  execStreaming(taskId: string, opts: ExecOptions & { readonly signal?: AbortSignal }): Promise<ExitResult>;
  inspect(taskId: string): Promise<TaskInspect>;
  /** Forgets an exited task and removes its cgroup; idempotent. Refuses a running task. */
  destroy(taskId: string): Promise<void>;
}
