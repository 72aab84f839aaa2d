/**
 * Where the executor copies a task stream: drover's rotated files, or a path
 * given by the host (a regular file, /dev/null, or a FIFO Nomad's logmon
 * reads). Sinks that are files tell, after a daemon crash, how many bytes
 * they hold beyond a recorded position, which is what makes the copy
 * exactly-once without rewriting anything a reader may already have seen.
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
  /** Current position; undefined when the sink cannot tell what it holds (FIFO, device). */
  position(): SinkPosition | undefined;
  close(): void;
}

/**
 * Opens the sink. After a crash mid-copy, `resumeFrom` is where the sink
 * stood at the last record; `ahead` is how many bytes it holds beyond that,
 * copied before the crash but not yet recorded: the copy goes on after them.
 */
export function openSink(target: SinkTarget, resumeFrom?: SinkPosition): { sink: OutputSink; ahead: number } {
  if (target.kind === 'rotate') {
    fs.mkdirSync(target.dir, { recursive: true });
    const ahead = resumeFrom ? rotatedBytesAfter(target, resumeFrom) : 0;
    return { sink: new RotateSink(new RotatingWriter(target)), ahead };
  }
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(target.path);
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
    st = undefined;
  }
  if (st === undefined || st.isFile()) {
    const ahead = resumeFrom && st !== undefined ? Math.max(0, st.size - resumeFrom.size) : 0;
    return { sink: new FileSink(fs.openSync(target.path, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o644)), ahead };
  }
  // O_RDWR on a FIFO never blocks or fails for want of a reader; O_NONBLOCK makes a full pipe an EAGAIN, not a hang.
  const flags = st.isFIFO() ? fs.constants.O_RDWR : fs.constants.O_WRONLY;
  return { sink: new StreamSink(fs.openSync(target.path, flags | fs.constants.O_NONBLOCK)), ahead: 0 };
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

/**
 * Bytes the rotated set holds beyond `pos`: the rest of file `pos.index` and
 * every later file. Files are never truncated or deleted to undo a copy
 * (a reader following them, like `nomad alloc logs -f`, would have seen the
 * bytes, and a set rolled back past the files rotation deleted would start
 * again at .0). A later file that is gone was deleted by rotation, which
 * leaves a file only once it is full, so it counts max_file_size; a
 * directory in the way was skipped (see RotatingWriter) and counts nothing.
 */
function rotatedBytesAfter(target: Extract<SinkTarget, { kind: 'rotate' }>, pos: SinkPosition): number {
  const prefix = `${target.baseName}.`;
  const sizes = new Map<number, number>();
  for (const ent of fs.readdirSync(target.dir, { withFileTypes: true })) {
    if (!ent.name.startsWith(prefix) || !/^\d+$/.test(ent.name.slice(prefix.length))) continue;
    const index = Number(ent.name.slice(prefix.length));
    if (index < pos.index) continue;
    sizes.set(index, ent.isDirectory() ? 0 : fs.statSync(path.join(target.dir, ent.name)).size);
  }
  const newest = Math.max(-1, ...sizes.keys());
  let ahead = 0;
  for (let i = pos.index; i <= newest; i++) {
    const held = sizes.get(i) ?? target.maxFileSizeBytes;
    ahead += i === pos.index ? Math.max(0, held - pos.size) : held;
  }
  return ahead;
}
