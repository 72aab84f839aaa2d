/**
 * drover's error taxonomy. Callers branch on `code`, never on message text,
 * because identity is lost once an error crosses a process boundary; `code`
 * and `recoverable` survive the trip (gRPC status, HTTP, executor socket).
 */

export const ErrorCode = {
  validation: 'validation',
  taskNotFound: 'task_not_found',
  taskAlreadyExists: 'task_already_exists',
  notSupported: 'not_supported',
  driverStart: 'driver_start',
  pluginConfig: 'plugin_config',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

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
