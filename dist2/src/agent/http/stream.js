import { once } from 'node:events';
/** Aborts when the client disconnects or the server closes. */
export function clientGone(req, closing) {
    const ctrl = new AbortController();
    const abort = () => ctrl.abort();
    req.raw.socket.once('close', abort);
    closing.addEventListener('abort', abort, { once: true });
    ctrl.signal.addEventListener('abort', () => closing.removeEventListener('abort', abort), { once: true });
    return ctrl;
}
/** Sends a 200 with `headers` and every chunk of `body`; returns when done or the client left. */
export async function pipeStream(reply, headers, body, ctrl) {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'Cache-Control': 'no-cache', ...headers });
    try {
        for await (const chunk of body) {
            if (ctrl.signal.aborted || res.destroyed)
                break;
            if (!res.write(chunk))
                await Promise.race([once(res, 'drain'), once(res, 'close')]);
        }
    }
    catch {
        // The source failed mid-stream (file removed, …): headers are gone, so just end.
    }
    finally {
        ctrl.abort();
        if (!res.destroyed)
            res.end();
    }
}
//# sourceMappingURL=stream.js.map