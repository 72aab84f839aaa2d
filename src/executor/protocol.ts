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
 * base64 strings. The daemon checks every request's params against its
 * method's shape (requestParams) before acting: a malformed line gets a
 * `validation` error on its id (id null when it has none: not JSON, not an
 * object), an unknown method `not_supported`; malformed input is dropped. Why JSON lines: the daemon must stay small (no gRPC or
 * HTTP in its entry point) and every message is small except log data,
 * which never crosses the socket (the daemon writes log files itself).
 */
import { DroverError, ErrorCode, NotSupportedError, TaskAlreadyExistsError, TaskNotFoundError, ValidationError, isErrorCode } from '../model/errors.js';
import { isRecord, parseShape, shape, type Assert, type Equals, type Infer, type Shape } from '../model/shape.js';
import type { LaunchSpec, ResourceLimits } from './types.js';

/**
 * Bumped on incompatible changes; version() reports it. 2: LaunchSpec.netnsPath
 * (older daemons ignore it). 3: a mount's propagation (older daemons ignore it).
 */
export const PROTOCOL_VERSION = 3;
/** The first protocol whose daemons put a task in LaunchSpec.netnsPath. */
export const NETNS_PROTOCOL = 2;
/** The first protocol whose daemons apply a mount's propagation. */
export const PROPAGATION_PROTOCOL = 3;

const taskId = shape.string();
const num = shape.number();
const mode = shape.literal('private', 'host');

/** Cgroup limits (ResourceLimits). */
export const resourceLimitsShape = shape.object({ cpuShares: num, memoryMb: num, memoryMaxMb: num, pidsLimit: num });

/** A task to launch (LaunchSpec), as the daemon checks it before acting on it. */
export const launchSpecShape = shape.object({
  taskId,
  command: shape.string(),
  args: shape.array(shape.string()),
  env: shape.record(shape.string()),
  cwd: shape.string(),
  user: shape.string(),
  output: shape.variant('kind', {
    rotate: shape.object({ dir: shape.string(), taskName: shape.string(), maxFiles: num, maxFileSizeBytes: num }),
    paths: shape.object({ stdoutPath: shape.string(), stderrPath: shape.string() }),
  }),
  resources: resourceLimitsShape,
  cgroup: shape.boolean(),
  isolation: shape.optional(
    shape.object({
      root: shape.string(),
      chrootEnv: shape.record(shape.string()),
      mounts: shape.array(
        shape.object({ hostPath: shape.string(), taskPath: shape.string(), readonly: shape.boolean(), propagation: shape.optional(shape.literal('private', 'host-to-task', 'bidirectional')) }),
      ),
      pidMode: mode,
      ipcMode: mode,
      hostname: shape.string(),
      capabilities: shape.array(shape.string()),
      noPivotRoot: shape.boolean(),
      devices: shape.optional(shape.array(shape.object({ hostPath: shape.string(), taskPath: shape.string(), permissions: shape.string() }))),
    }),
  ),
  oomScoreAdj: shape.optional(num),
  cgroupOverride: shape.optional(shape.object({ v1: shape.optional(shape.record(shape.string())), v2: shape.optional(shape.string()) })),
  netnsPath: shape.optional(shape.string()),
});

/** A terminal size (execStreaming's size param and resize input). */
export const terminalSizeShape = shape.object({ height: num, width: num });

// The shapes must say exactly what types.ts says: a field missing here would be dropped by the daemon.
type _LaunchSpecMatches = Assert<Equals<Infer<typeof launchSpecShape>, LaunchSpec>>;
type _ResourcesMatch = Assert<Equals<Infer<typeof resourceLimitsShape>, ResourceLimits>>;

const none = shape.object({});

const params = {
  version: none,
  status: none,
  launch: shape.object({ spec: launchSpecShape }),
  wait: shape.object({ taskId }),
  shutdown: shape.object({ taskId, signal: shape.string(), graceMs: num }),
  updateResources: shape.object({ taskId, resources: resourceLimitsShape }),
  stats: shape.object({ taskId }),
  signal: shape.object({ taskId, signal: shape.string() }),
  /** deadlineMs: Unix ms, 0 for none. */
  exec: shape.object({ taskId, deadlineMs: num, command: shape.string(), args: shape.array(shape.string()) }),
  execStreaming: shape.object({ taskId, command: shape.array(shape.string()), tty: shape.boolean(), size: shape.optional(terminalSizeShape) }),
  inspect: shape.object({ taskId }),
  destroy: shape.object({ taskId }),
  stopIfIdle: none,
};

/** Methods the daemon serves. */
export type Method = keyof typeof params;

/** The params of a method's request. */
export type RequestParams<M extends Method> = Infer<(typeof params)[M]>;

/** Every method the daemon serves, with the params it takes (`p`; absent means {}). */
export const requestParams: { readonly [M in Method]: Shape<RequestParams<M>> } = params;

/** True for a method the daemon serves. */
export function isMethod(m: unknown): m is Method {
  return typeof m === 'string' && Object.hasOwn(requestParams, m);
}

/** A method's params checked against its shape; a ValidationError names the bad field ("launch.spec.cwd: expected a string, got number 1"). */
export function parseParams<M extends Method>(method: M, p: unknown): RequestParams<M> {
  return parseShape(requestParams[method], p ?? {}, method);
}

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
  /** id null: the line had no usable id (not JSON, not an object, no numeric id). */
  | { readonly id: number | null; readonly e: WireError }
  | { readonly id: number; readonly ev: 'stdout' | 'stderr'; readonly d: string };

/** Input after its data was checked: base64 stdin, a terminal size. */
export type Input =
  | { readonly id: number; readonly in: 'stdin'; readonly d: string }
  | { readonly id: number; readonly in: 'resize'; readonly d: Infer<typeof terminalSizeShape> }
  | { readonly id: number; readonly in: 'stdin-end' | 'cancel' };

/** Checks an input message's kind and data; a ValidationError names what is wrong. */
export function parseInput(msg: UncheckedInput): Input {
  const id = msg.id;
  switch (msg.in) {
    case 'stdin':
      return { id, in: 'stdin', d: parseShape(shape.string(), msg.d, 'stdin') };
    case 'resize':
      return { id, in: 'resize', d: parseShape(terminalSizeShape, msg.d, 'resize') };
    case 'stdin-end':
    case 'cancel':
      return { id, in: msg.in };
    default:
      throw new ValidationError([{ field: '', message: `unknown input ${JSON.stringify(msg.in)}` }]);
  }
}

/** Input for a request as it arrived. */
export interface UncheckedInput {
  readonly id: number;
  readonly in: unknown;
  readonly d?: unknown;
}

/** A line from a client, sorted: a request or input (neither checked further yet), or why it is neither. */
export type ClientMessage =
  | { readonly kind: 'request'; readonly id: number; readonly m: Method; readonly p: unknown }
  | { readonly kind: 'input'; readonly msg: UncheckedInput }
  | { readonly kind: 'bad'; readonly id: number | null; readonly error: DroverError };

/** Sorts a parsed line from a client; never throws. */
export function classifyClientMessage(raw: unknown): ClientMessage {
  if (!isRecord(raw)) return bad(null, `a message must be a JSON object, got ${Array.isArray(raw) ? 'a list' : JSON.stringify(raw)}`);
  const id = raw['id'];
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return bad(null, `a message needs an integer "id", got ${JSON.stringify(id) ?? 'nothing'}`);
  if ('m' in raw) {
    const m = raw['m'];
    if (!isMethod(m)) return { kind: 'bad', id, error: new NotSupportedError(`unknown method ${JSON.stringify(m) ?? 'undefined'}`) };
    return { kind: 'request', id, m, p: raw['p'] };
  }
  if ('in' in raw) return { kind: 'input', msg: { id, in: raw['in'], d: raw['d'] } };
  return bad(id, 'a message needs a method ("m") or input ("in")');
}

function bad(id: number | null, message: string): ClientMessage {
  return { kind: 'bad', id, error: new ValidationError([{ field: '', message }]) };
}

const wireErrorShape = shape.object({ code: shape.string(), message: shape.string(), recoverable: shape.boolean() });

/** A parsed line from the daemon as a reply, or undefined when it is none (dropped by the client). */
export function parseReply(raw: unknown): ReplyMsg | undefined {
  if (!isRecord(raw)) return undefined;
  const id = raw['id'];
  if (typeof id !== 'number') return undefined;
  if ('r' in raw) return { id, r: raw['r'] };
  const ev = raw['ev'];
  const d = raw['d'];
  if ((ev === 'stdout' || ev === 'stderr') && typeof d === 'string') return { id, ev, d };
  if ('e' in raw) {
    try {
      return { id, e: parseShape(wireErrorShape, raw['e'], 'e') };
    } catch {
      // An error we cannot read still ends its request.
      return { id, e: { code: ErrorCode.internal, message: 'malformed error reply from the executor daemon', recoverable: false } };
    }
  }
  return undefined;
}

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
        this.onError(err instanceof Error ? err : new Error(String(err)));
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
