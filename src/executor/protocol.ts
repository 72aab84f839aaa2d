/**
 * The executor socket protocol: one JSON object per line, both ways.
 *
 *   client → daemon   { id, m: method, p: params }        a request
 *                     { id, in: input, d?: data }         input to an in-flight request
 *                                                          (execStreaming stdin/resize, cancel)
 *   daemon → client   { id, r: result }                   final answer
 *                     { id, e: { code, message, recoverable } }  final error
 *                     { id, ev: 'stdout' | 'stderr', d }  stream data (execStreaming)
 *
 * Requests are answered in any order (wait may take days); bytes travel as
 * base64 strings. Why JSON lines: the daemon must stay small (no gRPC or
 * HTTP in its entry point) and every message is small except log data,
 * which never crosses the socket (the daemon writes log files itself).
 */
import { DroverError, ErrorCode, TaskAlreadyExistsError, TaskNotFoundError, isErrorCode } from '../model/errors.js';

/** Bumped on incompatible changes; version() reports it. */
export const PROTOCOL_VERSION = 1;

/** Methods the daemon serves. */
export type Method =
  | 'version'
  | 'status'
  | 'launch'
  | 'wait'
  | 'shutdown'
  | 'updateResources'
  | 'stats'
  | 'signal'
  | 'exec'
  | 'execStreaming'
  | 'inspect'
  | 'destroy'
  | 'stopIfIdle';

export type InputKind = 'stdin' | 'stdin-end' | 'resize' | 'cancel';

export interface RequestMsg {
  readonly id: number;
  readonly m: Method;
  readonly p?: unknown;
}

export interface InputMsg {
  readonly id: number;
  readonly in: InputKind;
  readonly d?: unknown;
}

export interface WireError {
  readonly code: string;
  readonly message: string;
  readonly recoverable: boolean;
}

export type ReplyMsg =
  | { readonly id: number; readonly r: unknown }
  | { readonly id: number; readonly e: WireError }
  | { readonly id: number; readonly ev: 'stdout' | 'stderr'; readonly d: string };

/** Daemon facts (status method). */
export interface DaemonStatus {
  readonly pid: number;
  readonly tasks: number;
  readonly running: number;
  readonly cgroupMode: 'v1' | 'v2' | 'none';
  /** Where task journals and spools live. */
  readonly stateDir: string;
}

/** Splits a byte stream into lines and parses each as JSON; bad lines go to onError. */
export class LineDecoder {
  private pending = '';

  constructor(
    private readonly onMessage: (msg: unknown) => void,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Feeds a chunk from the socket. */
  push(chunk: Buffer | string): void {
    const text = this.pending + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = text.slice(start, nl);
      start = nl + 1;
      if (line.trim() === '') continue;
      let msg: unknown;
      try {
        msg = JSON.parse(line);
      } catch (err) {
        this.onError(err as Error);
        continue;
      }
      this.onMessage(msg);
    }
    this.pending = text.slice(start);
  }
}

/** One message as a line. */
export function encodeLine(msg: RequestMsg | InputMsg | ReplyMsg): string {
  return `${JSON.stringify(msg)}\n`;
}

/** An error as it crosses the socket: code and recoverability survive, the class does not. */
export function errorToWire(err: unknown): WireError {
  if (err instanceof DroverError) return { code: err.code, message: err.message, recoverable: err.recoverable };
  if (err instanceof Error && err.name === 'AbortError') return { code: ErrorCode.aborted, message: err.message, recoverable: false };
  return { code: ErrorCode.internal, message: err instanceof Error ? err.message : String(err), recoverable: false };
}

/** Rebuilds a DroverError (the specific class where one exists) from the wire. */
export function errorFromWire(e: WireError, taskId?: string): Error {
  switch (e.code) {
    case ErrorCode.taskNotFound:
      return new TaskNotFoundError(taskId ?? '');
    case ErrorCode.taskAlreadyExists:
      return new TaskAlreadyExistsError(taskId ?? '');
    case ErrorCode.aborted: {
      const err = new Error(e.message);
      err.name = 'AbortError';
      return err;
    }
    default:
      return new DroverError(isErrorCode(e.code) ? e.code : ErrorCode.internal, e.message, { recoverable: e.recoverable });
  }
}

/** Base64 of bytes for the wire. */
export function toB64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/** Bytes from the wire. */
export function fromB64(s: unknown): Buffer {
  return typeof s === 'string' ? Buffer.from(s, 'base64') : Buffer.alloc(0);
}
