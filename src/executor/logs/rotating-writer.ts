/**
 * A size-rotated set of log files `<dir>/<baseName>.<N>`, the layout Nomad's
 * logmon FileRotator (client/logmon/logging/rotator.go) produces and
 * `nomad alloc logs` reads: N grows by one per rotation, the highest N is the
 * live file, and only the newest `maxFiles` files are kept.
 *
 * Writes are synchronous on a plain file descriptor: memory stays bounded (no
 * buffer beyond the caller's chunk) and a chunk is on disk when write returns,
 * so nothing is lost if the process dies right after.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where and how to rotate. */
export interface RotatingWriterOptions {
  readonly dir: string;
  /** File name without the index, e.g. "web.stdout". */
  readonly baseName: string;
  /** Files kept, counting the live one (≥ 1). */
  readonly maxFiles: number;
  /** No file grows beyond this many bytes (≥ 1). */
  readonly maxFileSizeBytes: number;
}

/** Writes a byte stream across rotated files, splitting at exact byte boundaries. */
export class RotatingWriter {
  private readonly dir: string;
  private readonly baseName: string;
  private readonly maxFiles: number;
  private readonly maxFileSizeBytes: number;
  /** Indices of this set's files on disk, ascending; the last is the live file. */
  private readonly indices: number[];
  private fd = -1;
  private size = 0;
  private closed = false;

  /** Opens (appending to) the highest-numbered existing file, or `<baseName>.0`. */
  constructor(opts: RotatingWriterOptions) {
    if (!Number.isInteger(opts.maxFiles) || opts.maxFiles < 1) throw new RangeError(`maxFiles must be an integer ≥ 1, got ${opts.maxFiles}`);
    if (!Number.isInteger(opts.maxFileSizeBytes) || opts.maxFileSizeBytes < 1) {
      throw new RangeError(`maxFileSizeBytes must be an integer ≥ 1, got ${opts.maxFileSizeBytes}`);
    }
    this.dir = opts.dir;
    this.baseName = opts.baseName;
    this.maxFiles = opts.maxFiles;
    this.maxFileSizeBytes = opts.maxFileSizeBytes;
    this.indices = existingIndices(this.dir, this.baseName);
    if (this.indices.length === 0) this.indices.push(0);
    this.openLive();
  }

  /** Index N of the file currently written. */
  get currentIndex(): number {
    return this.indices[this.indices.length - 1] as number;
  }

  /** Path of the file currently written. */
  get currentPath(): string {
    return this.fileName(this.currentIndex);
  }

  /** Bytes in the file currently written (the executor records it to roll back after a crash). */
  get currentSize(): number {
    return this.size;
  }

  /** Appends `chunk`, rotating whenever the live file is full. Throws on I/O errors. */
  write(chunk: Uint8Array): void {
    if (this.closed) throw new Error(`rotating writer for ${this.baseName} is closed`);
    let off = 0;
    while (off < chunk.length) {
      // Rotate lazily, like logmon: a file filled exactly to the limit stays live until more bytes come.
      if (this.size >= this.maxFileSizeBytes) this.rotate();
      const n = Math.min(this.maxFileSizeBytes - this.size, chunk.length - off);
      writeAll(this.fd, chunk, off, n);
      off += n;
      this.size += n;
    }
  }

  /** Closes the live file; further writes throw. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
    this.fd = -1;
  }

  private fileName(index: number): string {
    return path.join(this.dir, `${this.baseName}.${index}`);
  }

  private openLive(): void {
    // The logs dir is the task's to write: a link it planted at a log's name must not make this
    // (privileged) writer append task output to whatever it points to.
    this.fd = fs.openSync(this.fileName(this.currentIndex), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND | fs.constants.O_NOFOLLOW, 0o644);
    this.size = fs.fstatSync(this.fd).size;
  }

  private rotate(): void {
    fs.closeSync(this.fd);
    this.fd = -1;
    let next = this.currentIndex + 1;
    // As logmon: skip a name already taken by a directory or a full file (written by someone else), and a link.
    for (;;) {
      const st = fs.lstatSync(this.fileName(next), { throwIfNoEntry: false });
      if (st === undefined || (st.isFile() && st.size < this.maxFileSizeBytes)) break;
      next++;
    }
    this.indices.push(next);
    this.openLive();
    while (this.indices.length > this.maxFiles) {
      const oldest = this.indices.shift() as number;
      fs.rmSync(this.fileName(oldest), { force: true });
    }
  }
}

/** Indices N of the files `<baseName>.<N>` in `dir`, ascending. */
function existingIndices(dir: string, baseName: string): number[] {
  const prefix = `${baseName}.`;
  const out: number[] = [];
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    // Only regular files are logs: a directory or a link at a log's name is someone else's.
    if (!ent.isFile() || !ent.name.startsWith(prefix)) continue;
    const rest = ent.name.slice(prefix.length);
    if (/^\d+$/.test(rest)) out.push(Number(rest));
  }
  return out.sort((a, b) => a - b);
}

function writeAll(fd: number, buf: Uint8Array, off: number, len: number): void {
  while (len > 0) {
    const n = fs.writeSync(fd, buf, off, len);
    off += n;
    len -= n;
  }
}
