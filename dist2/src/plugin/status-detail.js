/**
 * The rich gRPC error Nomad uses for start failures: a google.rpc.Status in
 * the grpc-status-details-bin trailer whose first detail is an Any holding
 * hashicorp.nomad.plugins.shared.structs.RecoverableError.
 */
import { Status } from './wire/rpc-status.js';
import { RecoverableError } from './wire/structs.js';
/** The Any type URL of Nomad's RecoverableError detail. */
export const RECOVERABLE_ERROR_TYPE_URL = 'type.googleapis.com/hashicorp.nomad.plugins.shared.structs.RecoverableError';
/** Encodes google.rpc.Status{code, message, details: [Any(RecoverableError{recoverable})]}. */
export function encodeRecoverableStatus(code, message, recoverable) {
    const detail = Buffer.from(RecoverableError.encode({ recoverable }).finish());
    return Buffer.from(Status.encode({ code, message, details: [{ type_url: RECOVERABLE_ERROR_TYPE_URL, value: detail }] }).finish());
}
/** Reads the RecoverableError detail from an encoded google.rpc.Status, if there is one. */
export function decodeRecoverableStatus(status) {
    const any = Status.decode(status).details.find((d) => d.type_url === RECOVERABLE_ERROR_TYPE_URL);
    return any && { recoverable: RecoverableError.decode(any.value).recoverable };
}
//# sourceMappingURL=status-detail.js.map