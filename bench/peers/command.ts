/** Running the peers' CLIs with a hard timeout, and waiting for conditions. */
import { spawn } from 'node:child_process';

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Wall time from spawn to exit. */
  readonly ms: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly timeoutMs?: number;
}

/** Runs argv to completion; a command past its timeout is killed (SIGKILL) and reported as such. */
export function runCommand(argv: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new Error('runCommand: empty argv'));
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: performance.now() - t0, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

/** Throws, with the command's output, unless it exited 0. */
export function check(what: string, r: CommandResult): CommandResult {
  if (r.code === 0) return r;
  const why = r.signal ? `killed by ${r.signal}` : `exit ${r.code}`;
  throw new Error(`${what}: ${why}\n${(r.stdout + r.stderr).trim().slice(-2000)}`);
}

export async function mustRun(what: string, argv: readonly string[], opts: CommandOptions = {}): Promise<CommandResult> {
  return check(what, await runCommand(argv, opts));
}

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
}

/** Polls `probe` until it returns a value other than undefined; throws after the timeout or on abort. */
export async function waitFor<T>(what: string, probe: () => T | undefined, opts: WaitOptions): Promise<T> {
  const end = performance.now() + opts.timeoutMs;
  for (;;) {
    opts.signal?.throwIfAborted();
    const v = probe();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}`);
    await delay(opts.intervalMs ?? 5);
  }
}

/** Rejects when `p` has not settled within `ms`, aborting `ac` so the work behind it stops polling. */
export async function withTimeout<T>(what: string, ms: number, ac: AbortController, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`${what}: hard timeout of ${ms} ms`);
      ac.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
