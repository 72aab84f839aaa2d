/**
 * Plain results shared by drivers and the executor: how a task ended, what
 * it uses, and the streams of an interactive exec. They live in model/ so
 * the executor (below drivers in the layering) can use them too.
 */

/** How a task ended (Nomad's drivers.ExitResult). */
export interface ExitResult {
  readonly exitCode: number;
  readonly signal: number;
  readonly oomKilled: boolean;
  /** Set when the exit was not the task's own doing (driver error, unknown exit). */
  readonly err?: string;
}

/** Nomad's ExitResult.Successful(): exit 0, no signal, no error. */
export function exitSuccessful(r: ExitResult): boolean {
  return r.exitCode === 0 && r.signal === 0 && r.err === undefined;
}

export interface MemoryUsage {
  readonly rss: number;
  readonly cache: number;
  readonly swap: number;
  readonly usage: number;
  readonly maxUsage: number;
  readonly kernelUsage: number;
  readonly kernelMaxUsage: number;
  /** Which of the above the source really measured (Nomad's Measured list). */
  readonly measured: readonly string[];
}

export interface CpuUsage {
  readonly systemMode: number;
  readonly userMode: number;
  readonly totalTicks: number;
  readonly throttledPeriods: number;
  readonly throttledTime: number;
  readonly percent: number;
  readonly measured: readonly string[];
}

/** Nomad's TaskResourceUsage. */
export interface TaskResourceUsage {
  readonly memory: MemoryUsage;
  readonly cpu: CpuUsage;
  /** Unix ms. */
  readonly timestamp: number;
  /** Per-pid usage when the driver tracks processes. */
  readonly pids?: Readonly<Record<string, { memory: MemoryUsage; cpu: CpuUsage }>>;
}

export interface TerminalSize {
  readonly height: number;
  readonly width: number;
}

/** Streams for an interactive exec (Nomad's ExecOptions). */
export interface ExecOptions {
  readonly command: readonly string[];
  readonly tty: boolean;
  readonly stdin?: AsyncIterable<Uint8Array>;
  readonly stdout: (chunk: Uint8Array) => void;
  readonly stderr: (chunk: Uint8Array) => void;
  readonly resize?: AsyncIterable<TerminalSize>;
  /** The terminal's size when the command starts (tty only; later sizes come through `resize`). */
  readonly size?: TerminalSize;
}

