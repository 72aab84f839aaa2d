/**
 * A small client for the QEMU Machine Protocol (QMP) over a unix socket:
 * greeting, qmp_capabilities, then commands answered in order and
 * asynchronous events. One JSON object per line (QEMU ends lines with \r\n).
 *
 * Why QMP rather than Nomad's human monitor (`-monitor`, "system_powerdown\n"):
 * QMP answers each command (so a failed powerdown is an error, not silence)
 * and lets recovery ask QEMU who it is and whether it runs (query-name,
 * query-status) before reattaching.
 */
import { connect, type Socket } from 'node:net';
import { DroverError, ErrorCode } from '../../model/errors.js';

/** An error QEMU returned for a command ({"error": {"class", "desc"}}). */
export class QmpError extends DroverError {
  readonly errorClass: string;
  constructor(errorClass: string, desc: string) {
    super(ErrorCode.internal, `QMP error ${errorClass}: ${desc}`);
    this.errorClass = errorClass;
  }
}

/** An asynchronous QMP event such as SHUTDOWN or POWERDOWN. */
export interface QmpEvent {
  readonly event: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** Options for {@link QmpClient.connect}. */
export interface QmpConnectOptions {
  /** Keep retrying a missing or refusing socket this long (QEMU creates it shortly after start). */
  readonly timeoutMs?: number;
  /**
   * How long to wait for QEMU's greeting once connected (default 5 s). QEMU
   * serves one QMP client per socket at a time; a second one is accepted but
   * not greeted until the first leaves.
   */
  readonly greetingTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** One negotiated QMP session. */
export class QmpClient {
  private readonly socket: Socket;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: QmpEvent) => void>();
  private nextId = 1;
  private buffer = '';
  private greeted: Pending | undefined;
  private closedError: Error | undefined;
  /** Resolves when the socket closes (QEMU exited, or close() was called). */
  readonly closed: Promise<void>;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.closedError ??= new Error('QMP connection closed');
        for (const p of this.pending.values()) p.reject(this.closedError);
        this.pending.clear();
        this.greeted?.reject(this.closedError);
        resolve();
      });
    });
    socket.on('error', (err) => {
      // A reset when QEMU exits is just the connection closing; say so either way.
      this.closedError = new Error(`QMP connection closed: ${err.message}`, { cause: err });
    });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
  }

  /** Connects to `path`, waits for the greeting and negotiates capabilities. */
  static async connect(path: string, opts: QmpConnectOptions = {}): Promise<QmpClient> {
    const deadline = Date.now() + (opts.timeoutMs ?? 0);
    for (;;) {
      opts.signal?.throwIfAborted();
      try {
        const socket = await openSocket(path);
        const client = new QmpClient(socket);
        try {
          await client.handshake(opts.greetingTimeoutMs ?? 5_000);
        } catch (err) {
          client.close();
          throw err;
        }
        return client;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const retryable = code === 'ENOENT' || code === 'ECONNREFUSED';
        if (!retryable || Date.now() >= deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  /** Runs one command; resolves with its "return" value, rejects with QmpError. */
  execute<T = unknown>(command: string, args?: Readonly<Record<string, unknown>>): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    const msg = JSON.stringify(args ? { execute: command, arguments: args, id } : { execute: command, id });
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.socket.write(`${msg}\n`);
    });
  }

  /** Calls `cb` for every event until the returned function is called. */
  onEvent(cb: (e: QmpEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Closes the session (QEMU keeps running). */
  close(): void {
    this.socket.destroy();
  }

  private async handshake(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<unknown>((resolve, reject) => {
        this.greeted = { resolve, reject };
        timer = setTimeout(() => reject(new Error(`no QMP greeting within ${timeoutMs} ms (is another client connected?)`)), timeoutMs);
      });
    } finally {
      clearTimeout(timer);
    }
    await this.execute('qmp_capabilities');
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line !== '') this.onMessage(line);
    }
  }

  private onMessage(line: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return; // QEMU never sends partial JSON on a line; ignore anything else
    }
    if ('QMP' in msg) {
      this.greeted?.resolve(msg);
      this.greeted = undefined;
      return;
    }
    if (typeof msg['event'] === 'string') {
      const e: QmpEvent = { event: msg['event'], ...(isRecord(msg['data']) ? { data: msg['data'] } : {}) };
      for (const cb of this.listeners) cb(e);
      return;
    }
    const id = typeof msg['id'] === 'number' ? msg['id'] : undefined;
    const p = id === undefined ? undefined : this.pending.get(id);
    if (!p || id === undefined) return;
    this.pending.delete(id);
    if ('error' in msg) {
      const e = isRecord(msg['error']) ? msg['error'] : {};
      const text = (v: unknown, dflt: string): string => (typeof v === 'string' ? v : dflt);
      p.reject(new QmpError(text(e['class'], 'GenericError'), text(e['desc'], 'unknown error')));
    } else {
      p.resolve(msg['return']);
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function openSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    s.once('connect', () => {
      s.removeListener('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** Connects, runs one command and closes. */
export async function qmpOnce<T = unknown>(path: string, command: string, args?: Record<string, unknown>, opts: QmpConnectOptions = {}): Promise<T> {
  const c = await QmpClient.connect(path, opts);
  try {
    return await c.execute<T>(command, args);
  } finally {
    c.close();
  }
}

/** query-status's answer. */
export interface QmpStatus {
  readonly running: boolean;
  /** "running", "paused", "shutdown", "inmigrate", ... */
  readonly status: string;
}
