import { errorMessage } from '../../model/errors.js';
import { toServiceError } from '../errors.js';
/** The RPC's name for logs ("StartTask" from "/….Driver/StartTask"). */
function rpcName(m) {
    return m.path.slice(m.path.lastIndexOf('/') + 1);
}
/** A unary handler from `fn(request, signal)`. */
export function unary(method, logger, fn) {
    const name = rpcName(method);
    return (call, callback) => {
        const ac = new AbortController();
        call.on('cancelled', () => ac.abort());
        fn(call.request, ac.signal).then((res) => callback(null, res), (err) => {
            logger.debug(`${name} failed`, { error: errorMessage(err) });
            callback(toServiceError(err));
        });
    };
}
/** A server-streaming handler sending each item of `fn(request, signal)`. */
export function serverStream(method, logger, fn) {
    const name = rpcName(method);
    return (call) => {
        const ac = new AbortController();
        call.on('cancelled', () => ac.abort());
        void (async () => {
            try {
                for await (const item of fn(call.request, ac.signal)) {
                    if (ac.signal.aborted)
                        break;
                    call.write(item);
                }
                if (!ac.signal.aborted)
                    call.end();
            }
            catch (err) {
                if (ac.signal.aborted)
                    return;
                logger.debug(`${name} failed`, { error: errorMessage(err) });
                call.emit('error', toServiceError(err));
            }
        })();
    };
}
//# sourceMappingURL=handler.js.map