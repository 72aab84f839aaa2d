/**
 * ExecutorClient: the Executor contract over the daemon's unix socket. It
 * starts the daemon for its data dir when none is running, survives daemon
 * restarts (waits and other idempotent calls are re-sent; launch is
 * idempotent per task id), and never keeps its process alive while idle.
 */
import type { ExitResult, ExecOptions, TaskResourceUsage } from '../model/task-result.js';
import { Connection, type ConnectionOptions } from './client/connection.js';
import { daemonPaths } from './paths.js';
import { DroverError, ErrorCode } from '../model/errors.js';
import { NETNS_PROTOCOL, PROPAGATION_PROTOCOL, fromB64, toB64, type DaemonStatus, type Method, type RequestParams } from './protocol.js';
import type { ExecResult, Executor, LaunchedTask, LaunchSpec, ResourceLimits, TaskInspect } from './types.js';

/** Where the daemon lives and how to reach it. */
export interface ExecutorClientOptions extends ConnectionOptions {
  /** The executor data dir (socket, journal, logs of the daemon). */
  readonly dataDir: string;
}

/** A client for the executor daemon of one data dir. */
export class ExecutorClient implements Executor {
  private readonly conn: Connection;
  /** The data dir, as given. */
  readonly dataDir: string;

  constructor(opts: ExecutorClientOptions) {
    this.dataDir = opts.dataDir;
    this.conn = new Connection(daemonPaths(opts.dataDir), opts);
  }

  /** Daemon version and protocol version. */
  version(): Promise<{ readonly version: string; readonly protocol: number }> {
    return this.call('version', {}, true);
  }

  /** Daemon pid, task counts and cgroup mode. */
  status(): Promise<DaemonStatus> {
    return this.call('status', {}, true);
  }

  /** Starts a task; safe to retry with the same task id. */
  async launch(spec: LaunchSpec): Promise<LaunchedTask> {
    // Daemons outlive agent upgrades, and one from before network namespaces would
    // drop netnsPath and run the task in the host's network: refuse instead.
    const needs = [
      ...(spec.netnsPath !== undefined ? [{ protocol: NETNS_PROTOCOL, what: "predates network namespaces and would run this task outside its allocation's network" }] : []),
      ...(spec.isolation?.mounts.some((m) => m.propagation !== undefined && m.propagation !== 'private')
        ? [{ protocol: PROPAGATION_PROTOCOL, what: 'predates mount propagation and would mount host volumes private' }]
        : []),
    ];
    if (needs.length > 0) {
      const { protocol } = await this.version();
      const missing = needs.find((n) => protocol < n.protocol);
      if (missing) {
        const { pid } = await this.status();
        throw new DroverError(
          ErrorCode.driverStart,
          `the running executor daemon (pid ${pid}, protocol ${protocol}) ${missing.what}; ` +
            `stop it (kill ${pid}): the next task start runs the current daemon, which adopts the running tasks`,
        );
      }
    }
    return this.call('launch', { spec }, true, spec.taskId);
  }

  /** Resolves at the task's exit; rejects with an AbortError when `signal` aborts first. */
  wait(taskId: string, opts: { readonly signal?: AbortSignal } = {}): Promise<ExitResult> {
    const signal = opts.signal;
    if (signal?.aborted) return Promise.reject(abortError());
    const { id, result } = this.conn.request<ExitResult>('wait', { taskId }, { retry: true, taskId });
    if (!signal) return result;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.conn.input(id, 'cancel');
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      result.then(
        (r) => {
          signal.removeEventListener('abort', onAbort);
          resolve(r);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  /** Signal (default SIGINT) to the group, SIGKILL to the whole tree after graceMs; resolves once gone. */
  shutdown(taskId: string, signal: string, graceMs: number): Promise<void> {
    return this.call('shutdown', { taskId, signal, graceMs }, true, taskId);
  }

  /** New cgroup limits. */
  updateResources(taskId: string, resources: ResourceLimits): Promise<void> {
    return this.call('updateResources', { taskId, resources }, true, taskId);
  }

  /** One usage sample. */
  stats(taskId: string): Promise<TaskResourceUsage> {
    return this.call('stats', { taskId }, true, taskId);
  }

  /** Sends a signal ("SIGHUP") to the task. */
  signal(taskId: string, signal: string): Promise<void> {
    return this.call('signal', { taskId, signal }, false, taskId);
  }

  /** Runs a command in the task's context; `deadlineMs` is a Unix ms deadline (0: none). */
  async exec(taskId: string, deadlineMs: number, command: string, args: readonly string[]): Promise<ExecResult> {
    const r = await this.call<{ output: string; exitCode: number }>('exec', { taskId, deadlineMs, command, args }, false, taskId);
    return { output: fromB64(r.output), exitCode: r.exitCode };
  }

  /** Interactive exec: stdin and resizes flow to the daemon, output back through the callbacks. */
  async execStreaming(taskId: string, opts: ExecOptions & { readonly signal?: AbortSignal }): Promise<ExitResult> {
    if (opts.signal?.aborted) throw abortError();
    const { id, result } = this.conn.request<ExitResult>(
      'execStreaming',
      { taskId, command: opts.command, tty: opts.tty, ...(opts.size ? { size: opts.size } : {}) },
      {
        retry: false,
        taskId,
        onEvent: (ev, data) => (ev === 'stdout' ? opts.stdout : opts.stderr)(fromB64(data)),
      },
    );
    let finished = false;
    const settled = result.finally(() => {
      finished = true;
    });
    settled.catch(() => undefined);
    if (opts.stdin) void forward(opts.stdin, () => finished, (b) => this.conn.input(id, 'stdin', toB64(b)), () => this.conn.input(id, 'stdin-end'));
    if (opts.resize) void forward(opts.resize, () => finished, (s) => this.conn.input(id, 'resize', { height: s.height, width: s.width }), () => undefined);
    if (!opts.signal) return settled;
    const signal = opts.signal;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.conn.input(id, 'cancel');
        reject(abortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      settled.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** State and exit of a task. */
  inspect(taskId: string): Promise<TaskInspect> {
    return this.call('inspect', { taskId }, true, taskId);
  }

  /** Forgets an exited task (cgroup, spools, journal); idempotent; refuses a running task. */
  destroy(taskId: string): Promise<void> {
    return this.call('destroy', { taskId }, true, taskId);
  }

  /**
   * Stops the daemon if it supervises no running task (e.g. when `drover run`
   * ends). True when it stopped or was not running.
   */
  async stopDaemonIfIdle(): Promise<boolean> {
    const probe = new Connection(daemonPaths(this.dataDir), { autoStart: false, connectTimeoutMs: 0 });
    try {
      const r = await probe.request<{ stopped: boolean }>('stopIfIdle', {}, { retry: false }).result;
      return r.stopped;
    } catch (err) {
      // Nothing listening: nothing to stop.
      if (/no executor daemon|not answering/.test((err as Error).message)) return true;
      throw err;
    } finally {
      probe.close();
    }
  }

  /** Closes the connection (the daemon and its tasks keep running). */
  close(): void {
    this.conn.close();
  }

  private call<T, M extends Method = Method>(method: M, params: RequestParams<M>, retry: boolean, taskId?: string): Promise<T> {
    return this.conn.request<T, M>(method, params, { retry, ...(taskId === undefined ? {} : { taskId }) }).result;
  }
}

/** Feeds an async iterable to `send` until it ends or `stop()` turns true. */
async function forward<T>(src: AsyncIterable<T>, stop: () => boolean, send: (v: T) => void, end: () => void): Promise<void> {
  const it = src[Symbol.asyncIterator]();
  try {
    for (;;) {
      const n = await it.next();
      if (stop()) break;
      if (n.done) {
        end();
        break;
      }
      send(n.value);
    }
  } catch {
    // the caller's stream failed: stop feeding
  } finally {
    if (stop()) await it.return?.();
  }
}

function abortError(): Error {
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  return err;
}
