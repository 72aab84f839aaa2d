/**
 * drover errors ↔ gRPC status: one table, read in both directions.
 *
 * What Nomad can see: its client only branches on UNAVAILABLE and CANCELLED
 * (both mean "the plugin died", so no task error may use them), on
 * UNIMPLEMENTED for the optional Init/Shutdown, and on the RecoverableError
 * detail of StartTask failures. Nomad's own drivers return plain Go errors,
 * which gRPC sends as UNKNOWN with the error text: task-not-found is exactly
 * UNKNOWN "task not found for given id", and that text is how it is
 * recognised coming back from a Go plugin. Between drover processes the
 * exact code, recoverability and validation problems ride in trailers.
 */
import * as grpc from '@grpc/grpc-js';
import { DriverStartError, DroverError, ERROR_CODES, ErrorCode, NotSupportedError, TaskAlreadyExistsError, TaskNotFoundError, ValidationError, errorMessage, isErrorCode, } from '../model/errors.js';
import { decodeRecoverableStatus, encodeRecoverableStatus } from './status-detail.js';
/** gRPC status per drover error code: the gRPC column of model's ERROR_CODES (google.rpc numbers are grpc-js's). */
export const STATUS_BY_CODE = Object.fromEntries(Object.values(ErrorCode).map((code) => [code, ERROR_CODES[code].grpc]));
/** Nomad's drivers.ErrTaskNotFound text. */
export const TASK_NOT_FOUND_MESSAGE = 'task not found for given id';
/** Nomad's base/structs.ErrPluginShutdown text. */
export const PLUGIN_SHUTDOWN_MESSAGE = 'plugin is shut down';
const DETAILS_KEY = 'grpc-status-details-bin';
const CODE_KEY = 'drover-error-code';
const RECOVERABLE_KEY = 'drover-error-recoverable';
const PROBLEMS_KEY = 'drover-error-problems-bin';
/** The plugin process is gone (Nomad's ErrPluginShutdown): the call may succeed once it is back. */
export class PluginShutdownError extends DroverError {
    constructor(opts = {}) {
        super(ErrorCode.unavailable, PLUGIN_SHUTDOWN_MESSAGE, { recoverable: true, ...opts });
    }
}
/** The status a handler replies with for `err`. */
export function toServiceError(err) {
    if (err instanceof Error && err.name === 'AbortError')
        return { code: grpc.status.CANCELLED, details: err.message };
    const metadata = new grpc.Metadata();
    if (!(err instanceof DroverError))
        return { code: grpc.status.UNKNOWN, details: errorMessage(err), metadata };
    const code = ERROR_CODES[err.code].grpc;
    metadata.set(CODE_KEY, err.code);
    metadata.set(RECOVERABLE_KEY, String(err.recoverable));
    if (err instanceof ValidationError)
        metadata.set(PROBLEMS_KEY, Buffer.from(JSON.stringify(err.problems)));
    // Nomad reads recoverability of start failures from this detail; it treats its absence as fatal.
    if (err.code === ErrorCode.driverStart)
        metadata.set(DETAILS_KEY, encodeRecoverableStatus(code, err.message, err.recoverable));
    return { code, details: err.message, metadata };
}
/** The drover error a failed call stands for; `taskId` names the task the call was about. */
export function fromServiceError(err, taskId = '') {
    const se = err;
    if (typeof se.code !== 'number')
        return err instanceof Error ? err : new Error(String(err));
    const message = se.details ?? errorMessage(err);
    if (se.code === grpc.status.UNAVAILABLE || se.code === grpc.status.CANCELLED)
        return new PluginShutdownError({ cause: err });
    const md = se.metadata;
    const droverCode = md?.get(CODE_KEY)[0];
    if (typeof droverCode === 'string' && isErrorCode(droverCode)) {
        const recoverable = md?.get(RECOVERABLE_KEY)[0] === 'true';
        return fromDroverCode(droverCode, message, recoverable, md, taskId);
    }
    const details = md?.get(DETAILS_KEY)[0];
    const rec = details instanceof Buffer ? decodeRecoverableStatus(details) : undefined;
    if (rec)
        return new DriverStartError(message, { recoverable: rec.recoverable, cause: err });
    if (message === TASK_NOT_FOUND_MESSAGE || se.code === grpc.status.NOT_FOUND)
        return new TaskNotFoundError(taskId);
    if (se.code === grpc.status.ALREADY_EXISTS)
        return new TaskAlreadyExistsError(taskId);
    if (se.code === grpc.status.UNIMPLEMENTED)
        return new NotSupportedError(message);
    if (se.code === grpc.status.INVALID_ARGUMENT)
        return new ValidationError([{ field: '', message }]);
    return new DroverError(ErrorCode.internal, message, { cause: err });
}
function fromDroverCode(code, message, recoverable, md, taskId) {
    switch (code) {
        case ErrorCode.taskNotFound:
            return new TaskNotFoundError(taskId);
        case ErrorCode.taskAlreadyExists:
            return new TaskAlreadyExistsError(taskId);
        case ErrorCode.notSupported:
            return new NotSupportedError(message);
        case ErrorCode.driverStart:
            return new DriverStartError(message, { recoverable });
        case ErrorCode.validation: {
            const raw = md?.get(PROBLEMS_KEY)[0];
            const problems = raw instanceof Buffer ? JSON.parse(raw.toString('utf8')) : [{ field: '', message }];
            return new ValidationError(problems);
        }
        case ErrorCode.unavailable:
            return recoverable && message === PLUGIN_SHUTDOWN_MESSAGE ? new PluginShutdownError() : new DroverError(code, message, { recoverable });
        case ErrorCode.notFound:
        case ErrorCode.conflict:
        case ErrorCode.permissionDenied:
        case ErrorCode.notRunning:
        case ErrorCode.pluginConfig:
        case ErrorCode.aborted:
        case ErrorCode.internal:
            return new DroverError(code, message, { recoverable });
        default: {
            const never = code;
            return new DroverError(ErrorCode.internal, `${message} (${String(never)})`);
        }
    }
}
//# sourceMappingURL=errors.js.map