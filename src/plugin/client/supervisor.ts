/**
 * The DriverPlugin drover's agent holds for an external plugin. It outlives
 * plugin processes: when one dies unexpectedly it launches a new one,
 * re-applies the config and hands every task handle it knows back through
 * RecoverTask, then retries what was in flight, as Nomad's task runner does
 * on ErrPluginShutdown (waitTask until the task exits; other calls once).
 *
 *   running ──process exits──▶ restarting ──launched, config set, tasks recovered──▶ running
 *                                   └──attempts failed in a row──▶ given up (calls fail, fingerprint
 *                                      undetected) ──still relaunching at maxBackoffMs──▶ running
 *
 * As Nomad's plugin manager, it never stops relaunching a plugin it was not
 * asked to stop: a burst of crashes must not disable the driver for good
 * (and orphan every task it runs) until the agent restarts.
 */
import { DroverError, ErrorCode, TaskNotFoundError, errorMessage } from '../../model/errors.js';
import type {
  AgentConfig,
  Capabilities,
  DriverConfig,
  DriverNetworkManager,
  DriverPlugin,
  DriverShutdowner,
  DriverTaskEvent,
  ExecOptions,
  ExecStreamingDriver,
  ExecTaskResult,
  ExitResult,
  Fingerprint,
  NetworkCreateRequest,
  NetworkIsolationSpec,
  PluginInfo,
  Signalable,
  StartResult,
  TaskConfig,
  TaskHandle,
  TaskResourceUsage,
  TaskStatus,
} from '../../drivers/types.js';
import type { Logger } from '../../model/logger.js';
import type { ObjectSpec } from '../../model/config-spec.js';
import { PluginShutdownError } from '../errors.js';
import { abortError } from './abort.js';
import { reattachGeneration, spawnGeneration, type ExitStatus, type Generation, type ReattachConfig } from './generation.js';
import type { LaunchOptions } from './launch.js';
import type { RemoteDriver } from './driver-client.js';

/** Restart policy after a crash. */
export interface RestartPolicy {
  /** Failed launches in a row after which calls stop waiting and fail (default 5); relaunching goes on. */
  readonly attempts?: number;
  /** First backoff; doubles per failed attempt up to maxBackoffMs (defaults 200 ms, 5 s). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** What happened at a restart. */
export interface RestartReport {
  readonly pid: number;
  readonly restarts: number;
  readonly recovered: readonly string[];
  /** Task id → why RecoverTask failed. */
  readonly lost: Readonly<Record<string, string>>;
}

/** Supervisor settings. */
export interface SupervisorOptions extends LaunchOptions {
  readonly restart?: RestartPolicy;
  readonly reattach?: ReattachConfig;
  readonly onRestart?: (r: RestartReport) => void;
}

/** How long a failed call waits for the process exit that explains it (Nomad's HandleGrpcErr waits 3 s). */
const DEATH_WAIT_MS = 3_000;
/** Graceful stop before SIGKILL (go-plugin's Kill waits 2 s). */
const KILL_GRACE_MS = 2_000;

/** An external driver plugin that survives its own crashes. */
export class PluginSupervisor implements DriverPlugin, ExecStreamingDriver, DriverShutdowner, DriverNetworkManager {
  private gen!: Generation;
  private ready!: Promise<Generation>;
  /** Rejects once the current restart has failed `attempts` times (pending forever while running or still trying). */
  private gaveUp: Promise<never> = new Promise<never>(() => {});
  private config: DriverConfig | undefined;
  private stopping = false;
  private restartCount = 0;
  private readonly tasks = new Map<string, TaskHandle>();
  private readonly lost = new Map<string, string>();
  private readonly logger: Logger;

  constructor(private readonly o: SupervisorOptions) {
    this.logger = o.logger;
  }

  /** Launches (or reattaches to) the plugin; resolves once its driver answered PluginInfo. */
  async start(): Promise<void> {
    let g: Generation | undefined;
    if (this.o.reattach) {
      g = await reattachGeneration(this.o.reattach, this.logger).catch((err: unknown) => {
        this.logger.warn('failed to reattach to plugin, launching a new one', { error: errorMessage(err) });
        return undefined;
      });
    }
    this.adopt(g ?? (await spawnGeneration(this.o)));
  }

  /** The plugin process id. */
  pid(): number {
    return this.gen.pid;
  }

  /** How many times the plugin was restarted after a crash. */
  restarts(): number {
    return this.restartCount;
  }

  /** Spawn → handshake time of the current process (0 when reattached). */
  handshakeMs(): number {
    return this.gen.handshakeMs;
  }

  /** What a later host needs to reattach to this process (store it with the agent's state). */
  reattachConfig(): ReattachConfig {
    return { Protocol: 'grpc', Network: this.gen.handshake.network, Addr: this.gen.handshake.address, Pid: this.gen.pid };
  }

  /** Stops the plugin: GRPCController.Shutdown, then SIGKILL if it has not exited within 2 s; resolves how it ended. */
  async kill(): Promise<ExitStatus> {
    this.stopping = true;
    const g = this.gen;
    await g.conn.shutdown(KILL_GRACE_MS).catch(() => {});
    let st = await Promise.race([g.exited, sleep(KILL_GRACE_MS).then(() => undefined)]);
    if (!st) {
      g.signal('SIGKILL');
      st = await Promise.race([g.exited, sleep(KILL_GRACE_MS).then(() => ({ code: null, signal: 'SIGKILL' }))]);
    }
    g.release();
    return st;
  }

  /** Stops supervising and disconnects, leaving the process running for a later host to reattach. */
  detach(): void {
    this.stopping = true;
    this.gen.release();
  }

  /** Kills the plugin process without telling it (tests: a crash). */
  crash(): void {
    this.gen.signal('SIGKILL');
  }

  pluginInfo(): PluginInfo {
    return this.gen.driver.pluginInfo();
  }

  configSchema(): ObjectSpec {
    return this.gen.driver.configSchema();
  }

  async setConfig(cfg: DriverConfig): Promise<void> {
    await this.withPlugin('', 1, (d) => d.setConfig(cfg));
    this.config = cfg;
  }

  taskConfigSchema(): ObjectSpec {
    return this.gen.driver.taskConfigSchema();
  }

  capabilities(): Capabilities {
    return this.gen.driver.capabilities();
  }

  /** The plugin's fingerprints; while it restarts, one "unhealthy", and "undetected" once it is given up. */
  async *fingerprint(opts: Signalable): AsyncIterable<Fingerprint> {
    yield* this.follow(opts.signal, (d) => d.fingerprint(opts), (err) => ({ attributes: {}, health: 'unhealthy', healthDescription: `plugin exited: ${errorMessage(err)}` }));
  }

  async recoverTask(handle: TaskHandle): Promise<void> {
    await this.withPlugin(handle.config.id, 1, (d) => d.recoverTask(handle));
    this.tasks.set(handle.config.id, handle);
    this.lost.delete(handle.config.id);
  }

  async startTask(config: TaskConfig): Promise<StartResult> {
    const res = await this.withPlugin(config.id, 1, (d) => d.startTask(config));
    this.tasks.set(config.id, res.handle);
    return res;
  }

  /** Waits across plugin restarts for as long as the task is recovered each time. */
  waitTask(taskId: string, opts: Signalable): Promise<ExitResult> {
    return this.withPlugin(taskId, Infinity, (d) => d.waitTask(taskId, opts));
  }

  stopTask(taskId: string, timeoutMs: number, signal: string): Promise<void> {
    return this.withPlugin(taskId, 1, (d) => d.stopTask(taskId, timeoutMs, signal));
  }

  async destroyTask(taskId: string, force: boolean): Promise<void> {
    try {
      await this.withPlugin(taskId, 1, (d) => d.destroyTask(taskId, force));
    } catch (err) {
      if (!(err instanceof TaskNotFoundError && this.lost.has(taskId))) throw err;
    }
    this.tasks.delete(taskId);
    this.lost.delete(taskId);
  }

  inspectTask(taskId: string): Promise<TaskStatus> {
    return this.withPlugin(taskId, 1, (d) => d.inspectTask(taskId));
  }

  /** Stats, resumed on the new process after a restart. */
  async *taskStats(taskId: string, intervalMs: number, opts: Signalable): AsyncIterable<TaskResourceUsage> {
    yield* this.follow(opts.signal, (d) => d.taskStats(taskId, intervalMs, opts), undefined, taskId);
  }

  async *taskEvents(opts: Signalable): AsyncIterable<DriverTaskEvent> {
    yield* this.follow(opts.signal, (d) => d.taskEvents(opts));
  }

  signalTask(taskId: string, signal: string): Promise<void> {
    return this.withPlugin(taskId, 1, (d) => d.signalTask(taskId, signal));
  }

  execTask(taskId: string, cmd: readonly string[], timeoutMs: number): Promise<ExecTaskResult> {
    return this.withPlugin(taskId, 1, (d) => d.execTask(taskId, cmd, timeoutMs));
  }

  /** Interactive sessions are not retried: their input cannot be replayed. */
  execTaskStreaming(taskId: string, opts: ExecOptions & Signalable): Promise<ExitResult> {
    return this.withPlugin(taskId, 0, (d) => d.execTaskStreaming(taskId, opts));
  }

  shutdown(opts: Signalable): Promise<void> {
    return this.withPlugin('', 0, (d) => d.shutdown(opts));
  }

  /** CreateNetwork on the live plugin, retried once on its replacement (creating is idempotent: it adopts an existing namespace). */
  createNetwork(allocId: string, request: NetworkCreateRequest): Promise<{ spec?: NetworkIsolationSpec; created: boolean }> {
    return this.withPlugin('', 1, (d) => d.createNetwork(allocId, request));
  }

  /** DestroyNetwork on the live plugin, retried once (idempotent). */
  destroyNetwork(allocId: string, spec: NetworkIsolationSpec | undefined): Promise<void> {
    return this.withPlugin('', 1, (d) => d.destroyNetwork(allocId, spec));
  }

  /** Runs `fn` on the live driver; on a plugin death, after the restart, again up to `retries` times. */
  private async withPlugin<T>(taskId: string, retries: number, fn: (d: RemoteDriver) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      // A wait for a task's exit outlasts any outage (the task runs on); other calls fail once the restart gave up.
      const g = await (retries === Infinity ? this.ready : Promise.race([this.ready, this.gaveUp]));
      const lost = taskId === '' ? undefined : this.lost.get(taskId);
      if (lost !== undefined) throw new DroverError(ErrorCode.internal, `task was lost when its plugin restarted: ${lost}`);
      try {
        return await fn(g.driver);
      } catch (err) {
        if (!(err instanceof PluginShutdownError) || this.stopping || attempt >= retries) throw err;
        if (!(await this.died(g))) throw err;
        this.logger.debug('plugin exited during a call; retrying on its replacement', { task_id: taskId });
      }
    }
  }

  /** Streams from the live driver, reopened on each replacement; `onCrash` may report the gap. */
  private async *follow<T>(
    signal: AbortSignal | undefined,
    open: (d: RemoteDriver) => AsyncIterable<T>,
    onCrash?: (err: unknown) => T,
    taskId = '',
  ): AsyncGenerator<T> {
    while (!signal?.aborted) {
      let g: Generation;
      try {
        g = await Promise.race([this.ready, this.gaveUp]);
      } catch (err) {
        if (onCrash) yield { ...onCrash(err), health: 'undetected' } as T;
        try {
          // Still relaunching: the stream resumes when the plugin is back, unless stopped.
          g = await abortable(this.ready, signal);
        } catch {
          return;
        }
      }
      if (taskId !== '' && this.lost.has(taskId)) return;
      try {
        for await (const item of open(g.driver)) yield item;
        return;
      } catch (err) {
        if (signal?.aborted || !(err instanceof PluginShutdownError) || this.stopping) {
          if (signal?.aborted || this.stopping) return;
          throw err;
        }
        if (onCrash) yield onCrash(err);
        if (!(await this.died(g))) throw err;
      }
    }
  }

  /** True once `g` has exited (waiting up to DEATH_WAIT_MS): the failure was the plugin dying. */
  private async died(g: Generation): Promise<boolean> {
    if (g.isExited()) return true;
    return Promise.race([g.exited.then(() => true), sleep(DEATH_WAIT_MS).then(() => false)]);
  }

  private adopt(g: Generation): void {
    this.gen = g;
    this.ready = Promise.resolve(g);
    this.gaveUp = new Promise<never>(() => {});
    void g.exited.then(() => {
      if (this.stopping || this.gen !== g) return;
      this.logger.warn('plugin exited unexpectedly; restarting it', { pid: g.pid });
      g.release();
      this.ready = this.restart();
      this.ready.catch(() => {}); // observed by callers; unobserved here is not an error
    });
  }

  /** Launches a replacement with backoff, re-applies the config and recovers every known task. */
  private async restart(): Promise<Generation> {
    const attempts = this.o.restart?.attempts ?? 5;
    let backoff = this.o.restart?.initialBackoffMs ?? 200;
    let last: unknown;
    let giveUp!: (err: unknown) => void;
    this.gaveUp = new Promise<never>((_, reject) => (giveUp = reject));
    this.gaveUp.catch(() => {}); // observed by callers
    for (let i = 0; !this.stopping; i++) {
      if (i === attempts) {
        this.logger.error('plugin could not be restarted; calls fail until it is back, relaunching goes on', { attempts, error: errorMessage(last) });
        giveUp(new DroverError(ErrorCode.internal, `plugin could not be restarted after ${attempts} attempts: ${errorMessage(last)}`, { cause: last }));
      }
      if (i > 0) {
        // Ref'd, unlike the other waits: a supervised plugin keeps its host up, also between two launches.
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, this.o.restart?.maxBackoffMs ?? 5_000);
      }
      let g: Generation | undefined;
      try {
        g = await spawnGeneration(this.o);
        if (this.config) await g.driver.setConfig(this.config);
      } catch (err) {
        last = err;
        g?.signal('SIGKILL');
        g?.release();
        this.logger.warn('plugin restart attempt failed', { attempt: i + 1, error: errorMessage(err) });
        continue;
      }
      const recovered: string[] = [];
      const lost: Record<string, string> = {};
      let died = false;
      for (const [id, h] of this.tasks) {
        try {
          await g.driver.recoverTask(h);
          recovered.push(id);
        } catch (err) {
          // The replacement died too (a crash loop): that says nothing about the task; the next one recovers it.
          if (err instanceof PluginShutdownError && (await this.died(g))) {
            last = err;
            died = true;
            break;
          }
          lost[id] = errorMessage(err);
        }
      }
      if (this.stopping) {
        // Stopped while this one launched: it must not outlive its host.
        g.signal('SIGKILL');
        g.release();
        break;
      }
      if (died) {
        g.release();
        this.logger.warn('plugin exited while recovering tasks; restarting it again', { attempt: i + 1, pid: g.pid });
        continue;
      }
      for (const [id, why] of Object.entries(lost)) {
        this.lost.set(id, why);
        this.tasks.delete(id);
      }
      this.restartCount++;
      this.adopt(g);
      this.logger.info('plugin restarted', { pid: g.pid, recovered: recovered.length, lost: Object.keys(lost).length });
      this.o.onRestart?.({ pid: g.pid, restarts: this.restartCount, recovered, lost });
      return g;
    }
    throw new PluginShutdownError({ cause: last });
  }
}

/** `p`, or an AbortError once `signal` aborts. */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Options of loadExternalDriver. */
export interface ExternalDriverOptions extends Omit<SupervisorOptions, 'logger'> {
  readonly logger: Logger;
  /** The plugin "NAME" { config { } } block, in hcl2json's shape. */
  readonly config?: Readonly<Record<string, unknown>>;
  readonly agentConfig?: AgentConfig;
}

/** A loaded external driver plugin. */
export interface ExternalDriver {
  /** Register this under driver.pluginInfo().name. */
  readonly driver: PluginSupervisor;
  /** The plugin's name (PluginInfo.Name): the driver name jobs use. */
  readonly name: string;
  pid(): number;
  reattachConfig(): ReattachConfig;
  restarts(): number;
  /** GRPCController.Shutdown, then SIGKILL after 2 s; resolves how the process ended. */
  kill(): Promise<ExitStatus>;
  /** Disconnects and leaves the plugin running (for reattach by the next agent). */
  detach(): void;
}

/**
 * Loads an external Nomad driver plugin as Nomad's loader does: launch (or
 * reattach), handshake, health check, PluginInfo (driver, API v0.1.0),
 * schemas, SetConfig with `config` encoded against the plugin's schema.
 * A bad config rejects with a ValidationError and the process is stopped.
 */
export async function loadExternalDriver(o: ExternalDriverOptions): Promise<ExternalDriver> {
  const sup = new PluginSupervisor(o);
  await sup.start();
  try {
    await sup.setConfig({ pluginConfig: o.config ?? {}, ...(o.agentConfig ? { agentConfig: o.agentConfig } : {}) });
  } catch (err) {
    await sup.kill();
    throw err;
  }
  return {
    driver: sup,
    name: sup.pluginInfo().name,
    pid: () => sup.pid(),
    reattachConfig: () => sup.reattachConfig(),
    restarts: () => sup.restarts(),
    kill: () => sup.kill(),
    detach: () => sup.detach(),
  };
}
