/**
 * The client's end of the executor socket: request/response matching by id,
 * stream events, and reconnection. When the daemon goes away (crash,
 * restart), requests marked retryable (wait, inspect, stats, …: safe to send
 * twice) are sent again over a new connection — starting a new daemon if
 * needed, which re-adopts the tasks — so a driver waiting on a task never
 * notices; the others fail with a recoverable error.
 */
import * as net from 'node:net';
import { DroverError, ErrorCode } from '../../model/errors.js';
import type { DaemonPaths } from '../paths.js';
import { LineDecoder, encodeLine, errorFromWire, parseReply, type InputKind, type Method, type ReplyMsg, type RequestParams } from '../protocol.js';
import { logTail, spawnDaemon, type DaemonExit } from './start-daemon.js';

/** Connection behaviour. */
export interface ConnectionOptions {
  /** Start a daemon when none answers (default true). */
  readonly autoStart?: boolean;
  /** How long to keep trying to reach (or start) the daemon before failing requests. */
  readonly connectTimeoutMs?: number;
}

interface Call {
  readonly id: number;
  readonly method: Method;
  readonly params: unknown;
  readonly retry: boolean;
  readonly taskId?: string;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
  readonly onEvent?: (ev: 'stdout' | 'stderr', data: string) => void;
  /** Sent over the current socket. */
  sent: boolean;
}

/** A multiplexed connection to one daemon. */
export class Connection {
  private sock: net.Socket | undefined;
  private connecting: Promise<void> | undefined;
  private readonly calls = new Map<number, Call>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly paths: DaemonPaths,
    private readonly opts: ConnectionOptions = {},
  ) {}

  /** Sends a request; `retry` marks it safe to resend after a reconnect. */
  request<T, M extends Method = Method>(method: M, params: RequestParams<M>, o: { retry: boolean; taskId?: string; onEvent?: Call['onEvent'] }): { id: number; result: Promise<T> } {
    const id = this.nextId++;
    const result = new Promise<T>((resolve, reject) => {
      if (this.closed) return reject(new DroverError(ErrorCode.internal, 'executor client is closed'));
      this.calls.set(id, { id, method, params, retry: o.retry, taskId: o.taskId, resolve: resolve as (v: unknown) => void, reject, onEvent: o.onEvent, sent: false });
      this.flush();
    });
    return { id, result };
  }

  /** Sends input for an in-flight request (stdin, resize, cancel). */
  input(id: number, kind: InputKind, data?: unknown): void {
    if (kind === 'cancel') this.calls.delete(id);
    if (this.sock && !this.sock.destroyed) this.sock.write(encodeLine({ id, in: kind, ...(data === undefined ? {} : { d: data }) }));
    this.updateRef();
  }

  /** Closes the socket; pending requests fail. The daemon keeps running. */
  close(): void {
    this.closed = true;
    this.sock?.destroy();
    this.sock = undefined;
    this.failAll(new DroverError(ErrorCode.internal, 'executor client is closed'), true);
  }

  private flush(): void {
    if (!this.sock) {
      void this.ensureConnected();
      return;
    }
    for (const c of this.calls.values()) {
      if (c.sent) continue;
      c.sent = true;
      this.sock.write(encodeLine({ id: c.id, m: c.method, p: c.params }));
    }
    this.updateRef();
  }

  private ensureConnected(): Promise<void> {
    this.connecting ??= this.connect()
      .then((sock) => {
        this.attach(sock);
        this.flush();
      })
      .catch((err: Error) => this.failAll(err, true))
      .finally(() => {
        this.connecting = undefined;
      });
    return this.connecting;
  }

  /** Connects, starting a daemon if none answers, until connectTimeoutMs. */
  private async connect(): Promise<net.Socket> {
    const end = Date.now() + (this.opts.connectTimeoutMs ?? 15_000);
    let started: { exited: Promise<DaemonExit> } | undefined;
    let earlyExit: number | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        return await dial(this.paths.socket);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ECONNREFUSED' && code !== 'EAGAIN' && code !== 'ECONNRESET') throw err;
      }
      if (this.closed) throw new DroverError(ErrorCode.internal, 'executor client is closed');
      if (earlyExit !== undefined && earlyExit !== 0) {
        throw new DroverError(ErrorCode.internal, `executor daemon exited with status ${earlyExit}: ${logTail(this.paths)}`, { recoverable: true });
      }
      if (Date.now() > end) throw new DroverError(ErrorCode.internal, `executor daemon at ${this.paths.socket} is not answering`, { recoverable: true });
      if (this.opts.autoStart === false && attempt === 0) {
        throw new DroverError(ErrorCode.internal, `no executor daemon at ${this.paths.socket}`, { recoverable: true });
      }
      if (!started) {
        started = spawnDaemon(this.paths);
        void started.exited.then(({ code }) => {
          // The loser of a start race exits 0; let a later attempt start another if the winner dies too.
          // So does a daemon killed by a signal (SIGKILL, the OOM killer) before it answered: that is
          // a crash, not a daemon that cannot start, and the tasks it would have re-adopted still
          // need one. Only an exit status says the daemon itself refused (bad data dir, …).
          if (code === null || code === 0) started = undefined;
          else earlyExit = code;
        });
      }
      await new Promise((r) => setTimeout(r, Math.min(5 + attempt * 5, 50)));
    }
  }

  private attach(sock: net.Socket): void {
    this.sock = sock;
    sock.setNoDelay(true);
    const decoder = new LineDecoder(
      (m) => {
        const reply = parseReply(m);
        if (reply) this.onMessage(reply);
      },
      () => undefined,
    );
    sock.on('data', (b) => decoder.push(b));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      if (this.sock !== sock) return;
      this.sock = undefined;
      const lost = new DroverError(ErrorCode.internal, 'executor connection lost', { recoverable: true });
      for (const c of [...this.calls.values()]) {
        if (c.retry) c.sent = false;
        else {
          this.calls.delete(c.id);
          c.reject(lost);
        }
      }
      if (this.calls.size > 0 && !this.closed) void this.ensureConnected();
    });
    this.updateRef();
  }

  private onMessage(msg: ReplyMsg): void {
    // id null answers a line the daemon could not read at all: none of ours is waiting for it by id.
    if (msg.id === null) return;
    const c = this.calls.get(msg.id);
    if (!c) return;
    if ('ev' in msg) {
      c.onEvent?.(msg.ev, msg.d);
      return;
    }
    this.calls.delete(msg.id);
    if ('e' in msg) c.reject(errorFromWire(msg.e, c.taskId));
    else c.resolve(msg.r);
    this.updateRef();
  }

  private failAll(err: Error, includingRetryable: boolean): void {
    for (const c of [...this.calls.values()]) {
      if (!includingRetryable && c.retry) continue;
      this.calls.delete(c.id);
      c.reject(err);
    }
  }

  /** An idle connection must not keep its process alive (a CLI that ran its last task exits). */
  private updateRef(): void {
    if (!this.sock) return;
    if (this.calls.size > 0) this.sock.ref();
    else this.sock.unref();
  }
}

function dial(path: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(path);
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}
