/**
 * Glue from async driver methods to grpc-js handlers: one place for
 * cancellation (a cancelled call aborts its AbortSignal), error → status
 * mapping and logging. Each helper takes the generated method definition,
 * which fixes the request and response types (NoInfer: they come from the
 * definition alone, so a reply missing a field of the message fails).
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../../drivers/types.js';
import { errorMessage } from '../../model/errors.js';
import { toServiceError } from '../errors.js';

/** What a handler needs of a generated method definition: its path and message codecs. */
export interface ServerMethod<Req, Res> {
  readonly path: string;
  readonly requestDeserialize: (bytes: Buffer) => Req;
  readonly responseSerialize: (value: Res) => Buffer;
}

/** The RPC's name for logs ("StartTask" from "/….Driver/StartTask"). */
function rpcName(m: ServerMethod<unknown, never>): string {
  return m.path.slice(m.path.lastIndexOf('/') + 1);
}

/** A unary handler from `fn(request, signal)`. */
export function unary<Req, Res>(method: ServerMethod<Req, Res>, logger: Logger, fn: (req: Req, signal: AbortSignal) => Promise<NoInfer<Res>>): grpc.handleUnaryCall<Req, Res> {
  const name = rpcName(method);
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
export function serverStream<Req, Res>(
  method: ServerMethod<Req, Res>,
  logger: Logger,
  fn: (req: Req, signal: AbortSignal) => AsyncIterable<NoInfer<Res>>,
): grpc.handleServerStreamingCall<Req, Res> {
  const name = rpcName(method);
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
