/**
 * HTTP errors and the one table mapping agent errors to status codes. Bodies
 * are plain text, as Nomad's: its clients print "Unexpected response code:
 * 404 (job not found)" from status and body.
 */
import { DroverError, ERROR_CODES, codeForHttpStatus } from '../../model/errors.js';

/** An error raised by an HTTP handler with the status it wants; its code is the one that status stands for. */
export class HttpError extends DroverError {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(codeForHttpStatus(statusCode), message);
  }
}

/** 400 naming the field: "Job.TaskGroups: expected a list". */
export function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}

/** Status and message for anything a handler threw: drover errors by their code (ERROR_CODES), Fastify's by their own status. */
export function toHttp(err: unknown): { status: number; message: string } {
  if (err instanceof HttpError) return { status: err.statusCode, message: err.message };
  if (err instanceof DroverError) return { status: ERROR_CODES[err.code].http, message: err.message };
  // SQLite refusing a write for lack of space (better-sqlite3's SqliteError): the write was rolled back, nothing stored changed.
  if ((err as { code?: unknown }).code === 'SQLITE_FULL') {
    return { status: 507, message: `the agent's data dir is full, so this write was not stored (${err instanceof Error ? err.message : String(err)}); free space and retry` };
  }
  // Fastify's own errors carry statusCode: 413 body too large, 400 bad JSON / content type, 415, …
  const e = err as { statusCode?: unknown; message?: unknown; code?: unknown };
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600) {
    return { status: e.statusCode, message: e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'Request body is too large' : String(e.message) };
  }
  return { status: ERROR_CODES.internal.http, message: err instanceof Error ? err.message : String(err) };
}
