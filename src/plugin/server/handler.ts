/**
 * Glue from async driver methods to grpc-js handlers: one place for
 * cancellation (a cancelled call aborts its AbortSignal), error → status
 * mapping and logging.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../drivers/types.js';
import { errorMessage } from '../../model/errors.js';
import { toServiceError } from '../errors.js';

/** A unary handler from `fn(request, signal)`. */
export function unary<Req, Res>(name: string, logger: Logger, fn: (req: Req, signal: AbortSignal) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const ac = new AbortController();
    call.on('cancelled', () => ac.abort());
    fn(call.request, ac.signal).then(
      (res) => callback(null, res),
      (err: unknown) => {
        logger.debug(`${name} failed`, { error: errorMessage(err) });
        callback(toServiceError(err));
      },
    );
  };
}

/** A server-streaming handler sending each item of `fn(request, signal)`. */
export function serverStream<Req, Res>(name: string, logger: Logger, fn: (req: Req, signal: AbortSignal) => AsyncIterable<Res>): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    const ac = new AbortController();
    call.on('cancelled', () => ac.abort());
    void (async () => {
      try {
        for await (const item of fn(call.request, ac.signal)) {
          if (ac.signal.aborted) break;
          call.write(item);
        }
        if (!ac.signal.aborted) call.end();
      } catch (err) {
        if (ac.signal.aborted) return;
        logger.debug(`${name} failed`, { error: errorMessage(err) });
        call.emit('error', toServiceError(err));
      }
    })();
  };
}
