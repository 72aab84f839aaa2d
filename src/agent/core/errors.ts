/** Errors the agent raises that the HTTP layer maps to a status other than 400. */
import { DroverError } from '../../model/errors.js';

/** An unknown job, allocation, task or token (HTTP 404). */
export class NotFoundError extends DroverError {
  constructor(message: string) {
    super('validation', message);
  }
}

/** The caller may not do this (HTTP 403, Nomad's "Permission denied"). */
export class PermissionDeniedError extends DroverError {
  constructor(message = 'Permission denied') {
    super('validation', message);
  }
}
