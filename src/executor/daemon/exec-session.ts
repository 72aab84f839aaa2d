/**
 * An interactive exec (Nomad's ExecStreaming): a command in the task's
 * context with stdin fed by the client and stdout/stderr streamed back; with
 * `tty` it runs on a real pseudo-terminal (node-pty, loaded on first use)
 * that the client can resize.
 */
import type { ChildProcess } from 'node:child_process';
import { readSync } from 'node:fs';
import type { ExitResult } from '../../model/task-result.js';
import { trySignal } from '../proc.js';
import { signalNumber } from '../signals.js';
import { spawnDetached } from './spawn.js';
import { withShellSetup, type SpawnPlan } from './command.js';

/** Output callback: which stream, and the bytes. */
export type SessionOutput = (stream: 'stdout' | 'stderr', data: Buffer) => void;

interface PtyLike {
  readonly pid: number;
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): void;
  onData(cb: (d: string | Buffer) => void): unknown;
  onExit(cb: (e: { exitCode: number; signal?: number }) => void): unknown;
}

/** One running exec session. */
export class ExecSession {
  /** Settles with the command's exit. */
  readonly done: Promise<ExitResult>;
  private pty: PtyLike | undefined;
  private child: ChildProcess | undefined;

  private constructor(done: Promise<ExitResult>, pty: PtyLike | undefined, child: ChildProcess | undefined) {
    this.done = done;
    this.pty = pty;
    this.child = child;
  }

  /** Starts `plan`; on a TTY when `tty` (sized `size`, default 80x24). */
  static async start(planned: SpawnPlan, tty: boolean, size: { height: number; width: number } | undefined, out: SessionOutput): Promise<ExecSession> {
    if (tty) {
      // node-pty spawns itself: the setup (cgroup, user) goes in as the /bin/sh prefix.
      const plan = withShellSetup(planned);
      const ptyMod = await import('node-pty');
      const p = ptyMod.spawn(plan.file, plan.args as string[], {
        name: plan.env['TERM'] ?? 'xterm',
        cols: size?.width ?? 80,
        rows: size?.height ?? 24,
        cwd: plan.cwd,
        env: plan.env,
        encoding: null,
      }) as unknown as PtyLike;
      const done = new Promise<ExitResult>((resolve) => {
        p.onExit(({ exitCode, signal }) => resolve(signal ? { exitCode: -1, signal, oomKilled: false } : { exitCode, signal: 0, oomKilled: false }));
      });
      p.onData((d) => out('stdout', typeof d === 'string' ? Buffer.from(d) : d));
      keepTailOnExit(p, out);
      return new ExecSession(done, p, undefined);
    }
    const { child, started } = spawnDetached(planned, ['pipe', 'pipe', 'pipe']);
    await started;
    child.stdout?.on('data', (b: Buffer) => out('stdout', b));
    child.stderr?.on('data', (b: Buffer) => out('stderr', b));
    child.stdin?.on('error', () => undefined); // the command may exit without reading its input
    const done = new Promise<ExitResult>((resolve) => {
      child.once('close', (code: number | null, sig: NodeJS.Signals | null) =>
        resolve(sig !== null ? { exitCode: -1, signal: signalNumber(sig) ?? 0, oomKilled: false } : { exitCode: code ?? -1, signal: 0, oomKilled: false }),
      );
    });
    return new ExecSession(done, undefined, child);
  }

  /** Feeds stdin. */
  write(data: Buffer): void {
    if (this.pty) this.pty.write(data);
    else this.child?.stdin?.write(data);
  }

  /** Closes stdin (on a TTY: sends end-of-file, ^D). */
  endInput(): void {
    if (this.pty) this.pty.write('\x04');
    else this.child?.stdin?.end();
  }

  /** Resizes the terminal (no-op without a TTY). */
  resize(height: number, width: number): void {
    if (this.pty && height > 0 && width > 0) this.pty.resize(width, height);
  }

  /** Kills the command's whole process group. */
  kill(): void {
    const pid = this.pty?.pid ?? this.child?.pid;
    if (pid !== undefined && !trySignal(-pid, 'SIGKILL')) trySignal(pid, 'SIGKILL');
  }
}

/**
 * node-pty waits at most 200 ms after the command's exit for the terminal's
 * last output, then destroys its stream with whatever is unread (its
 * unixTerminal onexit). On a loaded host the last line can reach the master
 * side later than that (the kernel hands pty data over in a worker), and it
 * was lost: a CI run saw `exit 5` arrive without the `echo` before it. So
 * the master is read dry right before that destroy: the kernel returns what
 * the command wrote, then EIO once the terminal is hung up (EAGAIN while a
 * background process still holds it: the fd is non-blocking).
 */
function keepTailOnExit(p: PtyLike, out: SessionOutput): void {
  const internals = p as unknown as { _fd?: unknown; _socket?: { destroyed?: boolean; read(): unknown; destroy: (...args: unknown[]) => unknown } };
  const fd = internals._fd;
  const socket = internals._socket;
  if (typeof fd !== 'number' || !socket || typeof socket.destroy !== 'function') return; // another node-pty: its own behaviour
  const destroy = socket.destroy.bind(socket);
  socket.destroy = (...args: unknown[]) => {
    // Only while the stream still owns the fd: once destroyed, the number may belong to another file.
    if (!socket.destroyed) {
      // What the stream holds unread (a paused stream), then what the kernel still has.
      for (let c = socket.read(); c !== null; c = socket.read()) out('stdout', Buffer.isBuffer(c) ? c : Buffer.from(c as string));
      readDry(fd, out);
    }
    return destroy(...args);
  };
}

function readDry(fd: number, out: SessionOutput): void {
  const buf = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch {
      return; // EIO: hung up, all read; EAGAIN: nothing more now
    }
    if (n <= 0) return;
    out('stdout', Buffer.from(buf.subarray(0, n)));
  }
}
