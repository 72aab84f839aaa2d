/**
 * The logger every layer takes from its host (no module-level logger), shaped
 * like hclog: leveled methods with key/value fields, `named()` to extend the
 * module name ("agent" → "agent.alloc_runner") and `with()` to carry fields
 * into every line.
 *
 * Field keys are Nomad's, one spelling everywhere: `alloc_id`, `task` (the
 * task's name), `task_id` (a driver's task id), `driver`, `error`.
 */

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Key/value pairs on a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose module is this one's plus ".name" (hclog's Named). */
  named(name: string): Logger;
  /** A logger that adds `fields` to every line (hclog's With); a line's own fields win. */
  with(fields: LogFields): Logger;
}

/** One line as a sink receives it: the `with()` fields already merged in. */
export interface LogRecord {
  readonly level: Exclude<LogLevel, 'trace'>;
  readonly module: string;
  readonly message: string;
  readonly fields: LogFields;
}

/** A Logger handing every line to `sink`; implementations only format and write. */
export function sinkLogger(sink: (record: LogRecord) => void, module = '', fields: LogFields = {}): Logger {
  const at =
    (level: LogRecord['level']) =>
    (message: string, own?: LogFields): void =>
      sink({ level, module, message, fields: own ? { ...fields, ...own } : fields });
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    named: (name) => sinkLogger(sink, module ? `${module}.${name}` : name, fields),
    with: (more) => sinkLogger(sink, module, { ...fields, ...more }),
  };
}

/** A logger that drops everything (tests, quiet CLI). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  named: () => silentLogger,
  with: () => silentLogger,
};
