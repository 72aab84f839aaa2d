/**
 * What every command that talks to an agent shares (Nomad's command/meta.go):
 * the -address / -token flags, the ApiClient they build, and the mapping of
 * failures to Nomad-style messages and exit codes.
 */
import { ApiClient, ApiError } from '../api/index.js';
import { DroverError, ERROR_CODES, ErrorCode, errorCodeOf } from '../model/errors.js';
import { parseFlags, UsageError, type FlagSpec, type ParsedFlags } from './flags.js';
import type { Io } from './io.js';

/** Flags every API command takes (Nomad's FlagSetClient). */
export const API_FLAGS = {
  address: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean' },
} as const satisfies FlagSpec;

/**
 * A command failure: what to print and the exit code. The code says what
 * went wrong (default: the user's input); the exit code is the table's for
 * it unless a command sets its own (Nomad's 2 for failed placements).
 */
export class CliError extends DroverError {
  readonly exitCode: number;
  constructor(
    message: string,
    exitCode?: number,
    /** Print on stdout instead of stderr (Nomad's "Prefix matched multiple …" listings in status commands). */
    readonly toStdout = false,
    code: ErrorCode = ErrorCode.validation,
    opts: { cause?: unknown } = {},
  ) {
    super(code, message, opts);
    this.exitCode = exitCode ?? ERROR_CODES[code].exit;
  }
}

/** A command's parsed flags and the client they configure. */
export interface Ctx {
  readonly io: Io;
  readonly client: ApiClient;
  readonly values: ParsedFlags['values'];
  readonly args: string[];
}

/** Parses `argv` with API_FLAGS plus `spec`; undefined when -help was asked (usage already printed). */
export function commandContext(argv: readonly string[], spec: FlagSpec, io: Io, usage: string, opts: { stopAtPositional?: boolean } = {}): Ctx | undefined {
  const { values, positionals } = parseFlags(argv, { ...API_FLAGS, ...spec }, opts);
  if (values.help) {
    io.err(usage);
    return undefined;
  }
  const client = new ApiClient({
    ...(typeof values.address === 'string' ? { address: values.address } : {}),
    ...(typeof values.token === 'string' ? { token: values.token } : {}),
  });
  return { io, client, values, args: positionals };
}

/** Runs a command body; CliError and UsageError become a message and an exit code. */
export async function runCommandBody(io: Io, usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof CliError) {
      (err.toStdout ? io.out : io.err)(err.message);
      return err.exitCode;
    }
    if (err instanceof UsageError) {
      io.err(`Error: ${err.message}\n\n${usage}`);
      return ERROR_CODES[err.code].exit;
    }
    throw err;
  }
}

/** Awaits an API call; a refused connection or an agent error becomes a CliError worded like Nomad's ("Error querying job: …"). */
export async function call<T>(ctx: Pick<Ctx, 'client'>, what: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw apiFailure(ctx.client, what, err);
  }
}

/** The CliError for a failed API call. */
export function apiFailure(client: ApiClient, what: string, err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof ApiError) return new CliError(`${what}: ${err.message}`, undefined, false, err.code, { cause: err });
  const transport = transportProblem(err);
  if (transport !== undefined) return new CliError(`Error querying agent: ${transport.replace('{addr}', client.address)}`, undefined, false, ErrorCode.unavailable, { cause: err });
  return new CliError(`${what}: ${err instanceof Error ? err.message : String(err)}`, undefined, false, errorCodeOf(err), { cause: err });
}

/** A connection-level failure described for a person, or undefined when `err` is something else. */
function transportProblem(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  if (err.name === 'TimeoutError') return 'no answer from {addr} in time';
  const cause = (err.cause ?? err) as NodeJS.ErrnoException;
  switch (cause.code) {
    case 'ECONNREFUSED':
      return 'connection refused at {addr} — is "drover agent" running?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'cannot resolve the host of {addr}';
    case 'ECONNRESET':
      return 'connection reset by {addr}';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach {addr} (${cause.code})`;
    default:
      break;
  }
  // Any other socket-level failure (EPIPE, ECONNABORTED, a TLS error...) carries a system or OpenSSL code.
  if (typeof cause.code === 'string' && /^(E[A-Z]+|ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(cause.code)) return `cannot connect to {addr}: ${cause.message}`;
  return undefined;
}

/** Usage text for a command taking API flags: the command's own options plus Nomad's client options. */
export function apiUsage(text: string): string {
  return `${text.trimEnd()}

General Options:
  -address ADDR   Agent address (default $DROVER_ADDR, then $NOMAD_ADDR, then http://127.0.0.1:4646).
  -token TOKEN    ACL secret ID (default $DROVER_TOKEN, then $NOMAD_TOKEN).
`;
}

/** Pretty JSON as Nomad's -json prints it (4-space indent). */
export function toJson(v: unknown): string {
  return JSON.stringify(v, null, 4);
}
