/**
 * HTTP errors and the one table mapping agent errors to status codes. Bodies
 * are plain text, as Nomad's: its clients print "Unexpected response code:
 * 404 (job not found)" from status and body.
 */
import { DroverError, ValidationError } from '../../model/errors.js';
import { NotFoundError, PermissionDeniedError } from '../core/errors.js';

/** An error with its HTTP status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** 400 naming the field: "Job.TaskGroups: expected a list". */
export function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}

/** Status and message for anything a handler threw. */
export function toHttp(err: unknown): { status: number; message: string } {
  if (err instanceof HttpError) return { status: err.statusCode, message: err.message };
  if (err instanceof NotFoundError) return { status: 404, message: err.message };
  if (err instanceof PermissionDeniedError) return { status: 403, message: err.message };
  if (err instanceof ValidationError) return { status: 400, message: err.message };
  if (err instanceof DroverError) {
    if (err.code === 'validation' || err.code === 'not_supported') return { status: 400, message: err.message };
    if (err.code === 'task_not_found') return { status: 404, message: err.message };
    return { status: 500, message: err.message };
  }
  // Fastify's own errors carry statusCode: 413 body too large, 400 bad JSON / content type, 415, …
  const e = err as { statusCode?: unknown; message?: unknown; code?: unknown };
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600) {
    return { status: e.statusCode, message: e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'Request body is too large' : String(e.message) };
  }
  return { status: 500, message: err instanceof Error ? err.message : String(err) };
}
