/**
 * drover's error taxonomy. Callers branch on `code`, never on message text,
 * because identity is lost once an error crosses a process boundary; `code`
 * and `recoverable` survive the trip (gRPC status, HTTP, executor socket).
 */

export const ErrorCode = {
  /** Bad input: a job file, a config file, flags, an API body. */
  validation: 'validation',
  /** An unknown job, allocation, task name or token. */
  notFound: 'not_found',
  /** A driver does not hold this task id (Nomad's drivers.ErrTaskNotFound). */
  taskNotFound: 'task_not_found',
  /** A driver already holds this task id (Nomad's drivers.ErrTaskAlreadyExists). */
  taskAlreadyExists: 'task_already_exists',
  /** The request clashes with the current state (a held data dir, a concurrent change). */
  conflict: 'conflict',
  /** The caller may not do this. */
  permissionDenied: 'permission_denied',
  /** The task is not running (Nomad's ErrTaskNotRunning). */
  notRunning: 'not_running',
  /** An operation the driver or agent does not implement. */
  notSupported: 'not_supported',
  /** A task could not be started; `recoverable` says whether to retry. */
  driverStart: 'driver_start',
  /** A driver plugin's own configuration is wrong or incompatible. */
  pluginConfig: 'plugin_config',
  /** The caller gave up (an aborted signal, Ctrl-C). */
  aborted: 'aborted',
  /** Something the operation needs is not there right now (a plugin that died, an agent not answering). */
  unavailable: 'unavailable',
  /** Anything else: a bug or an unexpected failure. */
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** google.rpc.Code numbers (the gRPC status codes) that the table below uses. */
export const GrpcCode = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
} as const;
export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];

/** How one error code shows outside the process. */
export interface ErrorCodeMapping {
  /** gRPC status a plugin server replies with. */
  readonly grpc: GrpcCode;
  /** HTTP status the agent's API answers with. */
  readonly http: number;
  /** Exit status of a CLI command that fails with it. */
  readonly exit: number;
}

/**
 * The one table from code to gRPC status, HTTP status and CLI exit code.
 *
 * gRPC follows google.rpc.Code except where Nomad's plugin client forces a
 * choice: it reads UNAVAILABLE and CANCELLED as "the plugin died", so no
 * error a handler returns may use them (`unavailable` and `aborted` become
 * UNKNOWN and ABORTED; drover peers get the exact code from a trailer), and
 * task-not-found is UNKNOWN because Nomad matches it by its text.
 * HTTP follows google.rpc's HTTP mapping, except `not_supported` (400, what
 * the API has always answered). Exit codes are Nomad's: 1 for any failure;
 * only an aborted command exits 130, as a shell reports Ctrl-C.
 */
export const ERROR_CODES: Readonly<Record<ErrorCode, ErrorCodeMapping>> = {
  validation: { grpc: GrpcCode.INVALID_ARGUMENT, http: 400, exit: 1 },
  not_found: { grpc: GrpcCode.NOT_FOUND, http: 404, exit: 1 },
  task_not_found: { grpc: GrpcCode.UNKNOWN, http: 404, exit: 1 },
  task_already_exists: { grpc: GrpcCode.ALREADY_EXISTS, http: 409, exit: 1 },
  conflict: { grpc: GrpcCode.ABORTED, http: 409, exit: 1 },
  permission_denied: { grpc: GrpcCode.PERMISSION_DENIED, http: 403, exit: 1 },
  not_running: { grpc: GrpcCode.FAILED_PRECONDITION, http: 400, exit: 1 },
  not_supported: { grpc: GrpcCode.UNIMPLEMENTED, http: 400, exit: 1 },
  driver_start: { grpc: GrpcCode.FAILED_PRECONDITION, http: 500, exit: 1 },
  plugin_config: { grpc: GrpcCode.INVALID_ARGUMENT, http: 500, exit: 1 },
  aborted: { grpc: GrpcCode.ABORTED, http: 499, exit: 130 },
  unavailable: { grpc: GrpcCode.UNKNOWN, http: 503, exit: 1 },
  internal: { grpc: GrpcCode.UNKNOWN, http: 500, exit: 1 },
};

/** Whether `s` is one of drover's error codes (codes arrive as strings from other processes). */
export function isErrorCode(s: string): s is ErrorCode {
  return Object.hasOwn(ERROR_CODES, s);
}

/** The code an HTTP error status stands for (the API client's side of the table). */
export function codeForHttpStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return ErrorCode.validation;
    case 403:
      return ErrorCode.permissionDenied;
    case 404:
      return ErrorCode.notFound;
    case 409:
      return ErrorCode.conflict;
    case 499:
      return ErrorCode.aborted;
    case 502:
    case 503:
    case 504:
      return ErrorCode.unavailable;
    default:
      return ErrorCode.internal;
  }
}

/**
 * The reason for aborting a controller on a hot path (a task's exit, a restart): abort() without one
 * builds a DOMException with a stack trace each time, ~4% of the agent's CPU in a crash loop.
 */
export const ABORTED: Error = Object.freeze(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }));

/** The code of anything thrown: a DroverError's own, `aborted` for an AbortError, else `internal`. */
export function errorCodeOf(err: unknown): ErrorCode {
  if (err instanceof DroverError) return err.code;
  if (err instanceof Error && err.name === 'AbortError') return ErrorCode.aborted;
  return ErrorCode.internal;
}

/** Base class: every error drover raises on purpose. */
export class DroverError extends Error {
  readonly code: ErrorCode;
  /** Whether retrying the same operation may succeed (Nomad's structs.RecoverableError). */
  readonly recoverable: boolean;

  constructor(code: ErrorCode, message: string, opts: { recoverable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.recoverable = opts.recoverable ?? false;
  }
}

/** One problem in user input, located by field path and (for files) line. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
  readonly line?: number;
  readonly file?: string;
}

/** Bad input: a job file, a config file, an API body. Carries every problem found, not just the first. */
export class ValidationError extends DroverError {
  readonly problems: readonly FieldProblem[];

  constructor(problems: readonly FieldProblem[], opts: { cause?: unknown } = {}) {
    super(ErrorCode.validation, formatProblems(problems), opts);
    this.problems = problems;
  }

  /** The first problem's field path (most callers only need one). */
  get field(): string {
    return this.problems[0]?.field ?? '';
  }

  /** The first problem's line, when known. */
  get line(): number | undefined {
    return this.problems[0]?.line;
  }
}

/** Formats one problem as "file:line: field: message". */
export function formatProblem(p: FieldProblem): string {
  const where = p.file ? `${p.file}${p.line ? `:${p.line}` : ''}: ` : p.line ? `line ${p.line}: ` : '';
  return `${where}${p.field ? `${p.field}: ` : ''}${p.message}`;
}

function formatProblems(problems: readonly FieldProblem[]): string {
  if (problems.length === 1) return formatProblem(problems[0] as FieldProblem);
  return `${problems.length} errors occurred:\n${problems.map((p) => `\t* ${formatProblem(p)}`).join('\n')}`;
}

/** Raised by drivers for an id they do not hold (Nomad's drivers.ErrTaskNotFound). */
export class TaskNotFoundError extends DroverError {
  readonly taskId: string;
  constructor(taskId: string) {
    super(ErrorCode.taskNotFound, 'task not found for given id');
    this.taskId = taskId;
  }
}

/** Raised by startTask for an id already running (Nomad's drivers.ErrTaskAlreadyExists... message kept). */
export class TaskAlreadyExistsError extends DroverError {
  readonly taskId: string;
  constructor(taskId: string) {
    super(ErrorCode.taskAlreadyExists, 'task with that ID already loaded');
    this.taskId = taskId;
  }
}

/** An operation the driver does not implement (signal, exec, …). */
export class NotSupportedError extends DroverError {
  constructor(message: string) {
    super(ErrorCode.notSupported, message);
  }
}

/** A start failure; `recoverable` tells the restart tracker whether to retry. */
export class DriverStartError extends DroverError {
  constructor(message: string, opts: { recoverable?: boolean; cause?: unknown } = {}) {
    super(ErrorCode.driverStart, message, opts);
  }
}

/** True when the error says a retry may succeed (Nomad's structs.IsRecoverable). */
export function isRecoverable(err: unknown): boolean {
  return err instanceof DroverError ? err.recoverable : false;
}

/** The message of anything thrown. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The errno code ("ENOENT", …) of a Node system error, or undefined for anything else. */
export function errnoOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return typeof err.code === 'string' && /^E[A-Z0-9]+$/.test(err.code) ? err.code : undefined;
}

/** Whether `err` is a system error with one of `codes`: what a filesystem probe expects (ENOENT, …). */
export function isErrno(err: unknown, ...codes: readonly string[]): boolean {
  const code = errnoOf(err);
  return code !== undefined && codes.includes(code);
}

/** A `.catch()` handler for probes: undefined for the expected `codes`, anything else is rethrown. */
export function ignoreErrno(...codes: readonly string[]): (err: unknown) => undefined {
  return (err) => {
    if (isErrno(err, ...codes)) return undefined;
    throw err;
  };
}
