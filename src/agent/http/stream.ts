/** Writes an async stream of chunks to a hijacked reply, with back-pressure, ending when the client goes away. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';

/** Aborts when the client disconnects or the server closes. */
export function clientGone(req: FastifyRequest, closing: AbortSignal): AbortController {
  const ctrl = new AbortController();
  const abort = (): void => ctrl.abort();
  const socket = req.raw.socket;
  socket.once('close', abort);
  closing.addEventListener('abort', abort, { once: true });
  // A kept-alive connection carries many requests: each one's listener goes when it ends, or they pile up on the socket.
  ctrl.signal.addEventListener(
    'abort',
    () => {
      closing.removeEventListener('abort', abort);
      socket.removeListener('close', abort);
    },
    { once: true },
  );
  return ctrl;
}

/** Sends a 200 with `headers` and every chunk of `body`; returns when done or the client left. */
export async function pipeStream(reply: FastifyReply, headers: Record<string, string>, body: AsyncIterable<Uint8Array | string>, ctrl: AbortController): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Cache-Control': 'no-cache', ...headers });
  try {
    for await (const chunk of body) {
      if (ctrl.signal.aborted || res.destroyed) break;
      if (!res.write(chunk)) await drainOrClose(res);
    }
  } catch {
    // The source failed mid-stream (file removed, …): headers are gone, so just end.
  } finally {
    ctrl.abort();
    if (!res.destroyed) res.end();
  }
}

/**
 * Resolves on 'drain' or 'close', whichever comes first, and removes both listeners: a
 * Promise.race of events.once() leaves the loser (and its 'error' listener) on the response,
 * one more each time a long stream is back-pressured.
 */
function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.removeListener('drain', done);
      res.removeListener('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
