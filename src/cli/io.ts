/** Output channels for commands, injectable so tests capture them. */
import type { FieldProblem } from '../model/errors.js';
import { formatProblem } from '../model/errors.js';

export interface Io {
  out(line: string): void;
  err(line: string): void;
  rawOut(chunk: Uint8Array): void;
  rawErr(chunk: Uint8Array): void;
}

export const processIo: Io = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
  rawOut: (chunk) => void process.stdout.write(chunk),
  rawErr: (chunk) => void process.stderr.write(chunk),
};

/** Nomad's "Job Warnings:" block. */
export function printWarnings(io: Io, warnings: readonly FieldProblem[]): void {
  if (warnings.length === 0) return;
  io.err('Job Warnings:');
  io.err(`${warnings.length} warning(s):\n`);
  for (const w of warnings) io.err(`* ${formatProblem(w)}`);
  io.err('');
}
