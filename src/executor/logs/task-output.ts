/**
 * Both output streams of one task: where the task's fds point, the pumps
 * that copy its spools into the OutputSpec's destination, and the inotify
 * watch that wakes them. A stream sent to /dev/null gets /dev/null itself
 * (nothing to copy).
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import type { OutputSpec } from '../types.js';
import type { SinkTarget } from './sinks.js';
import { SpoolPump, type HolePuncher } from './spool.js';

export type StreamName = 'stdout' | 'stderr';

/** Shared by every task of a daemon. */
export interface OutputDeps {
  readonly buffer: Buffer;
  readonly puncher: HolePuncher;
  /** Reports copy errors (a full disk, a vanished log dir); the task keeps running. */
  readonly onError: (stream: StreamName, err: Error) => void;
}

const STREAMS: readonly StreamName[] = ['stdout', 'stderr'];

/** The copy machinery of one task. */
export class TaskOutput {
  private readonly pumps = new Map<StreamName, SpoolPump>();
  private watcher: fs.FSWatcher | undefined;
  private closed = false;

  private constructor(
    private readonly spoolDir: string,
    private readonly deps: OutputDeps,
  ) {}

  /**
   * Sets up a new task's output in the task's state dir `dir` (which must exist) and returns
   * the fds its stdout and stderr must be (close them once the child is spawned). The spools
   * sit beside the journal entry rather than in a directory of their own: one inode less per launch.
   */
  static create(dir: string, spec: OutputSpec, deps: OutputDeps): { output: TaskOutput; fds: [number, number] } {
    const out = new TaskOutput(dir, deps);
    const fds: number[] = [];
    try {
      for (const stream of STREAMS) {
        const target = targetFor(spec, stream);
        if (target === undefined) {
          fds.push(fs.openSync('/dev/null', 'w'));
          continue;
        }
        const spool = join(out.spoolDir, stream);
        out.pumps.set(stream, SpoolPump.create({ spool, record: `${spool}.pos`, target, buffer: deps.buffer, puncher: deps.puncher }));
        fds.push(SpoolPump.openForTask(spool));
      }
    } catch (err) {
      for (const fd of fds) fs.closeSync(fd);
      out.close();
      throw err;
    }
    out.watch();
    return { output: out, fds: fds as [number, number] };
  }

  /** Reattaches after a daemon restart: each copy goes on after what its sink holds, then catches up with what accumulated meanwhile. */
  static resume(dir: string, spec: OutputSpec, deps: OutputDeps): TaskOutput {
    // Earlier drovers kept the spools in a spool/ subdirectory.
    const legacyDir = join(dir, 'spool');
    const out = new TaskOutput(fs.existsSync(legacyDir) ? legacyDir : dir, deps);
    for (const stream of STREAMS) {
      const target = targetFor(spec, stream);
      const spool = join(out.spoolDir, stream);
      if (target === undefined || !fs.existsSync(spool)) continue;
      out.pumps.set(stream, SpoolPump.resume({ spool, record: `${spool}.pos`, target, buffer: deps.buffer, puncher: deps.puncher }));
    }
    out.watch();
    out.drain();
    return out;
  }

  /** Copies whatever is pending on both streams. */
  drain(): void {
    for (const stream of this.pumps.keys()) this.drainStream(stream);
  }

  /** Copies pending bytes of streams the watch may have missed (inotify queue overflow). */
  sweep(): void {
    for (const [stream, pump] of this.pumps) if (pump.pending()) this.drainStream(stream);
  }

  /** Final copy, then stops watching and closes the sinks. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.watcher?.close();
    this.watcher = undefined;
    for (const [stream, pump] of this.pumps) {
      try {
        pump.close();
      } catch (err) {
        this.deps.onError(stream, err as Error);
      }
    }
  }

  private drainStream(stream: StreamName): void {
    const pump = this.pumps.get(stream);
    if (!pump || this.closed) return;
    try {
      pump.drain();
    } catch (err) {
      this.deps.onError(stream, err as Error);
    }
  }

  private watch(): void {
    if (this.pumps.size === 0) return;
    this.watcher = fs.watch(this.spoolDir, { persistent: false }, (_event, name) => {
      if (name === 'stdout' || name === 'stderr') this.drainStream(name);
    });
    this.watcher.on('error', () => undefined);
  }
}

/** The sink a stream is copied to; undefined when it is discarded. */
function targetFor(spec: OutputSpec, stream: StreamName): SinkTarget | undefined {
  if (spec.kind === 'rotate') {
    return { kind: 'rotate', dir: spec.dir, baseName: `${spec.taskName}.${stream}`, maxFiles: spec.maxFiles, maxFileSizeBytes: spec.maxFileSizeBytes };
  }
  const p = stream === 'stdout' ? spec.stdoutPath : spec.stderrPath;
  return p === '/dev/null' || p === '' ? undefined : { kind: 'path', path: p };
}
