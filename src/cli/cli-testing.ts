/**
 * Test harness for the API commands: runs the real `drover` binary as a
 * child (as a user would), with a clean environment pointing at a test
 * agent. Children still running when the test process exits are killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { scaled } from '../model/testing/eventually.js';

/** The compiled entry point. */
export const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface DroverOptions {
  /** Extra environment (DROVER_ADDR, DROVER_TOKEN…); inherited DROVER_ and NOMAD_ variables are dropped. */
  readonly env?: Record<string, string>;
  /** Written to stdin, which is then closed (default: stdin closed at once). */
  readonly input?: string;
  /** Called on each stdout chunk with everything so far; may signal the child. */
  readonly onStdout?: (all: string, child: ChildProcess) => void;
  readonly timeoutMs?: number;
}

/** The environment a child gets: this process's, minus agent settings, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(DROVER|NOMAD)_(ADDR|TOKEN)$/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Runs `drover ARGS…` to completion (killed after `timeoutMs`, default 30 s). */
export function drover(args: readonly string[], o: DroverOptions = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: cleanEnv(o.env) });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      o.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), scaled(o.timeoutMs ?? 30_000)); // a hang guard
    child.on('close', (code) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The first capture group of `re` in `text`; throws when absent. */
export function grab(re: RegExp, text: string): string {
  const m = re.exec(text);
  if (!m?.[1]) throw new Error(`${re} not found in:\n${text}`);
  return m[1];
}
