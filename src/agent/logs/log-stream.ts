/**
 * Reads a task's rotated logs (<task>.<stdout|stderr>.N) from a position
 * given as Nomad's logs API does: `origin` start or end and a byte `offset`
 * from it, counted across the rotated files; then to the end (follow=false,
 * stopping at the newest file present when the read began) or on, across
 * rotations, until aborted. Polls: see follower.ts for why.
 */
import { open, readdir, lstat, type FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { ignoreErrno, isErrno } from '../../model/errors.js';

export interface LogStreamOptions {
  readonly logDir: string;
  readonly task: string;
  readonly type: 'stdout' | 'stderr';
  readonly origin: 'start' | 'end';
  readonly offset: number;
  readonly follow: boolean;
  readonly signal: AbortSignal;
  readonly pollMs?: number;
  /** Checks each file once open, before anything is read from it (the fs API: still inside the alloc dir). */
  readonly verify?: (fh: FileHandle) => Promise<void>;
}

/** One chunk and where it was read from. */
export interface LogChunk {
  /** File name, e.g. "web.stdout.0". */
  readonly file: string;
  /** Byte offset of `data` in that file. */
  readonly offset: number;
  readonly data: Uint8Array;
}

/** The file indexes present, ascending. */
export async function logIndexes(logDir: string, task: string, type: string): Promise<number[]> {
  const prefix = `${task}.${type}.`;
  try {
    return (await readdir(logDir))
      .filter((f) => f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length)))
      .map((f) => Number(f.slice(prefix.length)))
      .sort((a, b) => a - b);
  } catch (err) {
    if (!isErrno(err, 'ENOENT', 'ENOTDIR')) throw err;
    return [];
  }
}

/** Yields chunks from the chosen position; `null` marks "idle, nothing new" while following (for heartbeats). */
export async function* streamLogs(o: LogStreamOptions): AsyncGenerator<LogChunk | null> {
  const pollMs = o.pollMs ?? 100;
  const name = (i: number): string => `${o.task}.${o.type}.${i}`;
  // Log files are never links: one is something the task planted, not a log.
  const size = async (i: number): Promise<number> => (await lstat(join(o.logDir, name(i))).catch(() => undefined))?.size ?? 0;

  let all = await logIndexes(o.logDir, o.task, o.type);
  const lastAtStart = all[all.length - 1];
  let current: number | undefined;
  let pos = 0;
  // Find the starting file and position, walking the offset across files.
  if (all.length > 0) {
    let remaining = Math.max(0, o.offset);
    if (o.origin === 'start') {
      for (const i of all) {
        const s = await size(i);
        current = i;
        if (remaining <= s) {
          pos = remaining;
          break;
        }
        remaining -= s;
        pos = s;
      }
    } else {
      for (const i of [...all].reverse()) {
        const s = await size(i);
        current = i;
        if (remaining <= s) {
          pos = s - remaining;
          break;
        }
        remaining -= s;
        pos = 0;
      }
    }
  }

  const buf = Buffer.allocUnsafe(64 * 1024);
  let fh: FileHandle | undefined;
  try {
    for (;;) {
      if (current === undefined) {
        all = await logIndexes(o.logDir, o.task, o.type);
        current = all[0];
        pos = 0;
      }
      if (current !== undefined && !fh) {
        fh = await open(join(o.logDir, name(current)), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(ignoreErrno('ENOENT'));
        if (fh && o.verify) await o.verify(fh);
      }
      if (fh && current !== undefined) {
        const file = fh;
        const from = current;
        const readToEnd = async function* (): AsyncGenerator<LogChunk> {
          for (;;) {
            const { bytesRead } = await file.read(buf, 0, buf.length, pos);
            if (bytesRead === 0) return;
            yield { file: name(from), offset: pos, data: Uint8Array.prototype.slice.call(buf, 0, bytesRead) };
            pos += bytesRead;
            if (o.signal.aborted) return;
          }
        };
        yield* readToEnd();
        if (o.signal.aborted) return;
        all = await logIndexes(o.logDir, o.task, o.type);
        const next = all.find((i) => i > from);
        if (next !== undefined && (o.follow || lastAtStart === undefined || next <= lastAtStart)) {
          // The writer finishes a file before it creates the next one, so what it wrote between
          // our last read and the listing is the file's tail: read it, or it is skipped.
          yield* readToEnd();
          if (o.signal.aborted) return;
          await fh.close();
          fh = undefined;
          current = next;
          pos = 0;
          continue;
        }
      }
      if (!o.follow || o.signal.aborted) return;
      yield null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, pollMs);
        function done(): void {
          clearTimeout(t);
          o.signal.removeEventListener('abort', done);
          resolve();
        }
        o.signal.addEventListener('abort', done, { once: true });
      });
      if (o.signal.aborted) return;
    }
  } finally {
    await fh?.close();
  }
}
