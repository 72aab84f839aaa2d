/** Output channels for commands, injectable so tests capture them. */
import type { FieldProblem } from '../model/errors.js';
import { errnoOf, formatProblem } from '../model/errors.js';

/** Channels are plain functions (not methods), so commands may pass them around unbound. */
export interface Io {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly rawOut: (chunk: Uint8Array) => void;
  readonly rawErr: (chunk: Uint8Array) => void;
  /**
   * What to do when the reader of stdout or stderr goes away (`drover … | head`).
   * Without a handler the process exits 0 at once; with one, the command
   * winds down itself (`drover run` stops its job, as on Ctrl-C). Either way
   * later output is dropped. Test Ios need not implement it.
   */
  onOutputClosed?(handler: () => void): void;
}

/**
 * The process's stdout and stderr. A closed pipe is the user going away, not
 * a failure: without this, Node reports EPIPE as an unhandled 'error' event
 * with a stack trace.
 */
export function processIo(): Io {
  let closed = false;
  let handler: (() => void) | undefined;
  const guard = (stream: NodeJS.WriteStream): void => {
    stream.on('error', (err: Error) => {
      // After the first EPIPE, writes already queued fail too; they are the same news.
      if (closed) return;
      if (errnoOf(err) !== 'EPIPE') throw err;
      closed = true;
      if (handler) handler();
      else process.exit(0);
    });
  };
  guard(process.stdout);
  guard(process.stderr);
  const write = (stream: NodeJS.WriteStream, data: string | Uint8Array): void => {
    if (!closed) stream.write(data);
  };
  return {
    out: (line) => write(process.stdout, `${line}\n`),
    err: (line) => write(process.stderr, `${line}\n`),
    rawOut: (chunk) => write(process.stdout, chunk),
    rawErr: (chunk) => write(process.stderr, chunk),
    onOutputClosed: (h) => {
      handler = h;
    },
  };
}

/** Nomad's "Job Warnings:" block. */
export function printWarnings(io: Io, warnings: readonly FieldProblem[]): void {
  if (warnings.length === 0) return;
  io.err('Job Warnings:');
  io.err(`${warnings.length} warning(s):\n`);
  for (const w of warnings) io.err(`* ${formatProblem(w)}`);
  io.err('');
}
