/**
 * Where the executor copies a task stream: drover's rotated files, or a path
 * given by the host (a regular file, /dev/null, or a FIFO Nomad's logmon
 * reads). Sinks that are files can be rolled back to a recorded position,
 * which is what makes the copy exactly-once across a daemon crash.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RotatingWriter } from './rotating-writer.js';
import { isErrno } from '../../model/errors.js';

/** Where the next byte goes: file index (0 for single files) and its size. */
export interface SinkPosition {
  readonly index: number;
  readonly size: number;
}

/** Destination of one stream. */
export type SinkTarget =
  | { readonly kind: 'rotate'; readonly dir: string; readonly baseName: string; readonly maxFiles: number; readonly maxFileSizeBytes: number }
  | { readonly kind: 'path'; readonly path: string };

/** A destination the pump writes to synchronously. */
export interface OutputSink {
  /** Takes what it can now; fewer bytes than given when a FIFO is full. */
  write(chunk: Buffer): number;
  /** Current position; undefined when the sink cannot be rolled back (FIFO, device). */
  position(): SinkPosition | undefined;
  close(): void;
}

/** Opens the sink, first truncating away anything written after `rollbackTo` (a crash mid-copy). */
export function openSink(target: SinkTarget, rollbackTo?: SinkPosition): OutputSink {
  if (target.kind === 'rotate') {
    fs.mkdirSync(target.dir, { recursive: true });
    if (rollbackTo) rollbackRotated(target.dir, target.baseName, rollbackTo);
    return new RotateSink(new RotatingWriter(target));
  }
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(target.path);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
    st = undefined;
  }
  if (st === undefined || st.isFile()) {
    if (rollbackTo && st !== undefined && st.size > rollbackTo.size) fs.truncateSync(target.path, rollbackTo.size);
    return new FileSink(fs.openSync(target.path, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o644));
  }
  // O_RDWR on a FIFO never blocks or fails for want of a reader; O_NONBLOCK makes a full pipe an EAGAIN, not a hang.
  const flags = st.isFIFO() ? fs.constants.O_RDWR : fs.constants.O_WRONLY;
  return new StreamSink(fs.openSync(target.path, flags | fs.constants.O_NONBLOCK));
}

class RotateSink implements OutputSink {
  constructor(private readonly w: RotatingWriter) {}
  write(chunk: Buffer): number {
    this.w.write(chunk);
    return chunk.length;
  }
  position(): SinkPosition {
    return { index: this.w.currentIndex, size: this.w.currentSize };
  }
  close(): void {
    this.w.close();
  }
}

class FileSink implements OutputSink {
  private size: number;
  constructor(private readonly fd: number) {
    this.size = fs.fstatSync(fd).size;
  }
  write(chunk: Buffer): number {
    let off = 0;
    while (off < chunk.length) off += fs.writeSync(this.fd, chunk, off, chunk.length - off);
    this.size += chunk.length;
    return chunk.length;
  }
  position(): SinkPosition {
    return { index: 0, size: this.size };
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

class StreamSink implements OutputSink {
  constructor(private readonly fd: number) {}
  write(chunk: Buffer): number {
    try {
      return fs.writeSync(this.fd, chunk, 0, chunk.length);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return 0;
      throw err;
    }
  }
  position(): undefined {
    return undefined;
  }
  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Deletes rotated files newer than `pos.index` and truncates that one to `pos.size`. */
function rollbackRotated(dir: string, baseName: string, pos: SinkPosition): void {
  const prefix = `${baseName}.`;
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(prefix) || !/^\d+$/.test(name.slice(prefix.length))) continue;
    const index = Number(name.slice(prefix.length));
    const file = path.join(dir, name);
    if (index > pos.index) fs.rmSync(file, { force: true });
    else if (index === pos.index && fs.statSync(file).size > pos.size) fs.truncateSync(file, pos.size);
  }
}
