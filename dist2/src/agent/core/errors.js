/** Errors the agent raises; their codes pick the HTTP status (model/errors.ts ERROR_CODES). */
import { DroverError, ErrorCode } from '../../model/errors.js';
/** An unknown job, allocation, task or token (HTTP 404). */
export class NotFoundError extends DroverError {
    constructor(message) {
        super(ErrorCode.notFound, message);
    }
}
/** The caller may not do this (HTTP 403, Nomad's "Permission denied"). */
export class PermissionDeniedError extends DroverError {
    constructor(message = 'Permission denied') {
        super(ErrorCode.permissionDenied, message);
    }
}
//# sourceMappingURL=errors.js.map