/**
 * The task API server (Nomad's builtinAPI plus authMiddleware): each task's
 * secrets/api.sock serves the agent's own HTTP API. Every request there must
 * carry a token, even with ACLs off (401 without one, 403 for a bad one);
 * past that check it is an ordinary API request, ACLs applied by the routes.
 *
 * Tasks ask for sockets while the agent recovers allocations, before the
 * HTTP API exists: sockets listen at once and answer 503 until the API is
 * attached (Nomad's builtinAPI waits for SetServer the same way).
 */
import { chmodSync, chownSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TaskApiListener } from '../../taskrunner/hooks/api-hook.js';
import { lookupUser } from '../../executor/users.js';
import type { Logger } from '../../model/logger.js';
import { errorMessage } from '../../model/errors.js';

/** The agent's HTTP API as the task API forwards to it. */
export interface TaskApiTarget {
  /** The credentials check: 'ok', or the status to answer with. */
  authenticate(headers: IncomingMessage['headers']): 'ok' | 'unauthorized' | 'forbidden';
  /** Serves a plain request. */
  route(req: IncomingMessage, res: ServerResponse): void;
  /** Serves a WebSocket upgrade (exec). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

const STATUS_TEXT = { unauthorized: [401, 'Unauthorized'], forbidden: [403, 'Forbidden'] } as const;

export class TaskApiServer implements TaskApiListener {
  private target: TaskApiTarget | undefined;
  private readonly open = new Set<{ close(): Promise<void> }>();

  constructor(private readonly logger: Logger) {}

  /** Points every socket at the agent's API (once it listens); undefined detaches it. */
  attach(target: TaskApiTarget | undefined): void {
    this.target = target;
  }

  async listen(path: string, user: string): Promise<{ close(): Promise<void> }> {
    const sockets = new Set<Socket>();
    const server = createServer((req, res) => {
      const target = this.target;
      if (!target) return void res.writeHead(503, { 'Content-Type': 'text/plain' }).end('Task API not ready');
      const auth = target.authenticate(req.headers);
      if (auth !== 'ok') {
        const [code, text] = STATUS_TEXT[auth];
        return void res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
      }
      target.route(req, res);
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const target = this.target;
      const auth = target?.authenticate(req.headers) ?? 'forbidden';
      if (!target || auth !== 'ok') {
        const [code, text] = STATUS_TEXT[auth === 'ok' ? 'forbidden' : auth];
        socket.end(`HTTP/1.1 ${code} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
        return;
      }
      target.upgrade(req, socket, head);
    });
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    setSocketOwner(path, user, this.logger);
    const handle = {
      close: async (): Promise<void> => {
        this.open.delete(handle);
        // Closing the server unlinks the socket file; open connections (a follow, an exec) end with it.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await closed;
      },
    };
    this.open.add(handle);
    return handle;
  }

  /** Closes every socket (agent shutdown: tasks keep running and get theirs back when the agent returns). */
  async shutdown(): Promise<void> {
    this.target = undefined;
    await Promise.all([...this.open].map((h) => h.close()));
  }
}

/** Nomad's SocketFileFor: owner-only for the task's user when it has one and chown works, else open to all. */
function setSocketOwner(path: string, user: string, logger: Logger): void {
  if (user !== '') {
    try {
      chownSync(path, lookupUser(user).uid, -1);
      chmodSync(path, 0o600);
      return;
    } catch (err) {
      logger.debug('failed to set user on socket', { path, user, error: errorMessage(err) });
    }
  }
  chmodSync(path, 0o666);
}
