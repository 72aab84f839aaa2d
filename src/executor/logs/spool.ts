/**
 * Crash-proof capture of one task stream. The task writes straight into a
 * spool file (O_APPEND, a plain file: never SIGPIPE, never blocked by the
 * daemon, kept by the kernel if the daemon dies); the daemon copies new
 * bytes into the sink and records, in a small side file, how far it got
 * together with the sink's position at that moment.
 *
 * Why not a FIFO: a daemon killed between read(2) and write(2) takes the
 * bytes it read with it (measured: 1 lost line in 18 kill -9 trials of a
 * counter loop). Here nothing leaves the spool by being read: after a crash
 * the copy resumes from the recorded spool offset plus the bytes the sink
 * holds beyond the recorded sink position (they were copied from there, in
 * order), so every byte lands exactly once and nothing a reader may have
 * seen is rewritten.
 *
 * The spool does not grow without bound: bytes already copied and recorded
 * are released with `fallocate --punch-hole` (util-linux), leaving a sparse
 * file whose apparent size is the stream's total length.
 */
import * as fs from 'node:fs';
import { openSink, type OutputSink, type SinkPosition, type SinkTarget } from './sinks.js';
import { isErrno } from '../../model/errors.js';

/** How far the copy got: spool offset, and where the sink stood after writing up to it. */
export interface PumpRecord {
  readonly pos: number;
  readonly sink?: SinkPosition;
}

/** Releases copied spool bytes; shared by all pumps of a daemon. */
export interface HolePuncher {
  /** Bytes of recorded data worth one punch (what a punch costs decides it). */
  readonly every: number;
  punch(file: string, length: number, done: () => void): void;
}

/** What a pump needs. */
export interface PumpOptions {
  readonly spool: string;
  /** The side file holding the PumpRecord. */
  readonly record: string;
  readonly target: SinkTarget;
  /** Scratch buffer for reads; pumps drain synchronously, so one buffer serves them all. */
  readonly buffer: Buffer;
  readonly puncher: HolePuncher;
}

/** Record at least this often (and as often as the puncher punches: only recorded bytes can be released). */
const RECORD_EVERY = 8 * 1024 * 1024;
/** A drain yields to the event loop after this much, so one busy task cannot starve the others. */
const DRAIN_SLICE = 32 * 1024 * 1024;

/** Copies one spool into its sink. */
export class SpoolPump {
  private readonly readFd: number;
  private readonly sink: OutputSink;
  private pos: number;
  private recordedPos: number;
  private punchedTo = 0;
  private punching = false;
  private retry: NodeJS.Timeout | undefined;
  private again: NodeJS.Immediate | undefined;
  private closed = false;

  private constructor(private readonly o: PumpOptions, rec: PumpRecord, fresh: boolean) {
    this.readFd = fs.openSync(o.spool, fs.constants.O_RDONLY | fs.constants.O_CREAT, 0o600);
    const { sink, ahead } = openSink(o.target, fresh ? undefined : rec.sink);
    this.sink = sink;
    // What the sink holds beyond the record came from the spool, in order: go on after it (never past the spool's end).
    this.pos = Math.min(rec.pos + ahead, Math.max(rec.pos, fs.fstatSync(this.readFd).size));
    this.recordedPos = -1;
    this.punchedTo = 0;
    // A new spool's record is written before its first byte is copied (drain): most tasks print
    // little or nothing, and a side file less per launch matters where creating a file is slow
    // (ext4 without a journal scans past every recently deleted inode). No record means nothing was copied.
    if (!fresh) this.writeRecord();
  }

  /** A pump for a new task: the spool is created empty. */
  static create(o: PumpOptions): SpoolPump {
    fs.writeFileSync(o.spool, '', { mode: 0o600 });
    return new SpoolPump(o, { pos: 0 }, true);
  }

  /** A pump resumed after a daemon restart: the copy goes on after what the sink holds. */
  static resume(o: PumpOptions): SpoolPump {
    return new SpoolPump(o, readRecord(o.record), false);
  }

  /** Opens the spool for the task to write (the fd goes to the child as stdout or stderr). */
  static openForTask(spool: string): number {
    return fs.openSync(spool, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
  }

  /** Spool bytes copied so far. */
  get copied(): number {
    return this.pos;
  }

  /** True when the spool holds bytes not yet copied. */
  pending(): boolean {
    return !this.closed && fs.fstatSync(this.readFd).size > this.pos;
  }

  /** Copies what the spool holds now (up to a slice; the rest is scheduled). Throws on sink errors. */
  drain(): void {
    if (this.closed || this.retry) return;
    const buf = this.o.buffer;
    let moved = 0;
    for (;;) {
      const n = fs.readSync(this.readFd, buf, 0, buf.length, this.pos);
      if (n === 0) break;
      // Where the sink stood before this spool's first byte: what a crash from here on resumes by.
      if (this.recordedPos < 0) this.writeRecord();
      let off = 0;
      while (off < n) {
        const w = this.sink.write(buf.subarray(off, n));
        if (w === 0) break;
        off += w;
      }
      this.pos += off;
      moved += off;
      if (off < n) {
        // A full FIFO: try again shortly rather than block the daemon.
        this.retry = setTimeout(() => {
          this.retry = undefined;
          this.drain();
        }, 20);
        break;
      }
      // Without a sink position every chunk is recorded, so a crash repeats at most one chunk.
      if (this.pos - this.recordedPos >= Math.min(RECORD_EVERY, this.o.puncher.every) || this.sink.position() === undefined) this.writeRecord();
      if (moved >= DRAIN_SLICE) {
        this.again ??= setImmediate(() => {
          this.again = undefined;
          this.drain();
        });
        break;
      }
    }
    if (this.recordedPos >= 0 && this.pos !== this.recordedPos) this.writeRecord();
  }

  /** Final copy (unless the sink is stuck), then closes everything. */
  close(): void {
    if (this.closed) return;
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    if (this.again) clearImmediate(this.again);
    this.again = undefined;
    try {
      this.drain();
    } finally {
      this.closed = true;
      if (this.retry) clearTimeout(this.retry);
      if (this.again) clearImmediate(this.again);
      fs.closeSync(this.readFd);
      this.sink.close();
    }
  }

  private writeRecord(): void {
    const rec: PumpRecord = { pos: this.pos, ...(this.sink.position() ? { sink: this.sink.position() } : {}) };
    // Fixed width, written in place with one pwrite: a kill can land before or after it, never inside.
    const text = JSON.stringify(rec).padEnd(RECORD_WIDTH - 1, ' ') + '\n';
    const fd = fs.openSync(this.o.record, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o600);
    try {
      fs.writeSync(fd, text, 0, 'latin1');
    } finally {
      fs.closeSync(fd);
    }
    this.recordedPos = this.pos;
    this.maybePunch();
  }

  private maybePunch(): void {
    const upTo = Math.floor(this.recordedPos / (1024 * 1024)) * 1024 * 1024;
    if (this.punching || upTo - this.punchedTo < this.o.puncher.every) return;
    this.punching = true;
    this.o.puncher.punch(this.o.spool, upTo, () => {
      this.punching = false;
      this.punchedTo = upTo;
    });
  }
}

const RECORD_WIDTH = 128;

/** The record, or the start of the stream when none was written yet. */
export function readRecord(file: string): PumpRecord {
  let text: string;
  try {
    text = fs.readFileSync(file, 'latin1');
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
    return { pos: 0 };
  }
  try {
    const v = JSON.parse(text) as Partial<PumpRecord>;
    if (typeof v.pos !== 'number') return { pos: 0 };
    return v.sink && typeof v.sink.index === 'number' && typeof v.sink.size === 'number' ? { pos: v.pos, sink: v.sink } : { pos: v.pos };
  } catch {
    return { pos: 0 };
  }
}
