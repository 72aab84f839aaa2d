/**
 * A DriverPlugin backed by one plugin process's gRPC connection. Its
 * synchronous getters (pluginInfo, schemas, capabilities) answer from values
 * fetched at open() and after setConfig. Task configs are encoded as Nomad
 * does: decoded against the plugin's own hclspec, then cty msgpack.
 */
import type * as grpc from '@grpc/grpc-js';
import type { ObjectSpec } from '../../model/config-spec.js';
import { DroverError, ErrorCode, ValidationError, errorMessage } from '../../model/errors.js';
import type {
  Capabilities,
  DriverConfig,
  DriverPlugin,
  DriverShutdowner,
  DriverTaskEvent,
  ExecOptions,
  ExecStreamingDriver,
  ExecTaskResult,
  ExitResult,
  Fingerprint,
  PluginInfo,
  Signalable,
  StartResult,
  TaskConfig,
  TaskHandle,
  TaskResourceUsage,
  TaskStatus,
} from '../../drivers/types.js';
import { capabilitiesFromPb } from '../codec/capabilities.js';
import { encodeCtyConcrete } from '../codec/cty-msgpack.js';
import { exitResultFromPb } from '../codec/exit-result.js';
import { fingerprintFromPb } from '../codec/fingerprint.js';
import { decodeHclBody } from '../codec/hcldec.js';
import { fromHclSpec } from '../codec/hclspec.js';
import { networkFromPb } from '../codec/network.js';
import { pluginInfoFromPb, selectApiVersion } from '../codec/plugin-info.js';
import { taskConfigToPb } from '../codec/task-config.js';
import { taskEventFromPb } from '../codec/task-event.js';
import { taskHandleToPb } from '../codec/task-handle.js';
import { taskStatsFromPb } from '../codec/stats.js';
import { taskStatusFromPb } from '../codec/task-status.js';
import { msToDuration } from '../codec/time.js';
import { fromServiceError } from '../errors.js';
import type { PbConfigSchemaResponse, PbPluginInfoResponse } from '../wire/base.js';
import type { PbSpec } from '../wire/hclspec.js';
import type {
  PbDriverCapabilities,
  PbDriverTaskEvent,
  PbExecStreamingRequest,
  PbExecStreamingResponse,
  PbExitResult,
  PbFingerprintResponse,
  PbInspectTaskResponse,
  PbNetworkOverride,
  PbTaskHandle,
  PbTaskStats,
} from '../wire/driver.js';
import { abortError } from './abort.js';
import { call, type PluginConnection } from './connection.js';

/** What open() learns from the plugin. */
interface Described {
  info: PluginInfo;
  apiVersion: string;
  configSpec: PbSpec | null;
  taskSpec: PbSpec | null;
  configSchema: ObjectSpec;
  taskSchema: ObjectSpec;
  capabilities: Capabilities;
}

/** One plugin process as a DriverPlugin. */
export class RemoteDriver implements DriverPlugin, ExecStreamingDriver, DriverShutdowner {
  private constructor(
    private readonly conn: PluginConnection,
    private d: Described,
  ) {}

  /** Dispenses the driver: PluginInfo (must be a driver with API v0.1.0), schemas, capabilities. */
  static async open(conn: PluginConnection): Promise<RemoteDriver> {
    const rpc = <T>(client: grpc.Client, m: string): Promise<T> => call<T>(client, m, {}).catch((e: unknown) => Promise.reject(fromServiceError(e)));
    const info = pluginInfoFromPb(await rpc<PbPluginInfoResponse>(conn.base, 'PluginInfo'));
    const apiVersion = selectApiVersion(info.pluginApiVersions);
    if (!apiVersion) throw new DroverError(ErrorCode.pluginConfig, `plugin ${info.name} speaks driver API ${info.pluginApiVersions.join(', ')}; drover speaks v0.1.0`);
    const configSpec = (await rpc<PbConfigSchemaResponse>(conn.base, 'ConfigSchema')).spec;
    const taskSpec = (await rpc<PbConfigSchemaResponse>(conn.driver, 'TaskConfigSchema')).spec;
    const caps = (await rpc<{ capabilities: PbDriverCapabilities | null }>(conn.driver, 'Capabilities')).capabilities;
    return new RemoteDriver(conn, {
      info,
      apiVersion,
      configSpec,
      taskSpec,
      configSchema: fromHclSpec(configSpec),
      taskSchema: fromHclSpec(taskSpec),
      capabilities: capabilitiesFromPb(caps),
    });
  }

  pluginInfo(): PluginInfo {
    return this.d.info;
  }

  configSchema(): ObjectSpec {
    return this.d.configSchema;
  }

  /** Encodes the plugin config against the plugin's schema (ValidationError naming fields), sends it, refreshes capabilities. */
  async setConfig(cfg: DriverConfig): Promise<void> {
    const value = decodeHclBody(this.d.configSpec, cfg.pluginConfig, 'config');
    const driver = cfg.agentConfig?.driver;
    await this.unary('SetConfig', this.conn.base, {
      msgpack_config: this.d.configSpec ? encodeCtyConcrete(value) : Buffer.alloc(0),
      nomad_config: { driver: { ClientMinPort: driver?.clientMinPort ?? 0, ClientMaxPort: driver?.clientMaxPort ?? 0 } },
      plugin_api_version: this.d.apiVersion,
    });
    // Nomad's Init follows SetConfig; a plugin without it answers UNIMPLEMENTED, which is fine.
    await this.unary('Init', this.conn.driver, {}).catch((e: unknown) => {
      if (!(e instanceof DroverError && e.code === ErrorCode.notSupported)) throw e;
    });
    const caps = await this.unary<{ capabilities: PbDriverCapabilities | null }>('Capabilities', this.conn.driver, {});
    this.d = { ...this.d, capabilities: capabilitiesFromPb(caps.capabilities) };
  }

  taskConfigSchema(): ObjectSpec {
    return this.d.taskSchema;
  }

  capabilities(): Capabilities {
    return this.d.capabilities;
  }

  fingerprint(opts: Signalable): AsyncIterable<Fingerprint> {
    return this.stream<PbFingerprintResponse, Fingerprint>('Fingerprint', {}, opts.signal, fingerprintFromPb);
  }

  async recoverTask(handle: TaskHandle): Promise<void> {
    const id = handle.config.id;
    await this.unary('RecoverTask', this.conn.driver, { task_id: id, handle: taskHandleToPb(handle, this.encodeTaskConfig(handle.config, true)) }, id);
  }

  async startTask(config: TaskConfig): Promise<StartResult> {
    const bytes = this.encodeTaskConfig(config, false);
    const res = await this.unary<{ handle: PbTaskHandle | null; network_override: PbNetworkOverride | null }>(
      'StartTask',
      this.conn.driver,
      { task: taskConfigToPb(config, bytes) },
      config.id,
    );
    const h = res.handle;
    if (!h) throw new DroverError(ErrorCode.internal, 'plugin returned no task handle');
    if (h.version < 1) throw new DroverError(ErrorCode.internal, `plugin returned task handle version ${h.version}`);
    if (h.config && h.config.id !== config.id) throw new DroverError(ErrorCode.internal, `plugin returned a handle for task ${h.config.id}, not ${config.id}`);
    // The handle keeps drover's own TaskConfig (task dir, driver config) rather than the echo.
    const handle: TaskHandle = { version: h.version, config, state: h.state === 2 ? 'exited' : h.state === 1 ? 'running' : 'unknown', driverState: new Uint8Array(h.driver_state) };
    const network = networkFromPb(res.network_override);
    return { handle, ...(network ? { network } : {}) };
  }

  waitTask(taskId: string, opts: Signalable): Promise<ExitResult> {
    return this.unary<{ result: PbExitResult | null; err: string }>('WaitTask', this.conn.driver, { task_id: taskId }, taskId, opts.signal).then((r) =>
      exitResultFromPb(r.result, r.err),
    );
  }

  async stopTask(taskId: string, timeoutMs: number, signal: string): Promise<void> {
    await this.unary('StopTask', this.conn.driver, { task_id: taskId, timeout: msToDuration(timeoutMs), signal }, taskId);
  }

  async destroyTask(taskId: string, force: boolean): Promise<void> {
    await this.unary('DestroyTask', this.conn.driver, { task_id: taskId, force }, taskId);
  }

  async inspectTask(taskId: string): Promise<TaskStatus> {
    return taskStatusFromPb(await this.unary<PbInspectTaskResponse>('InspectTask', this.conn.driver, { task_id: taskId }, taskId));
  }

  taskStats(taskId: string, intervalMs: number, opts: Signalable): AsyncIterable<TaskResourceUsage> {
    const req = { task_id: taskId, collection_interval: msToDuration(intervalMs) };
    return this.stream<{ stats: PbTaskStats | null }, TaskResourceUsage>('TaskStats', req, opts.signal, (r) => taskStatsFromPb(r.stats as PbTaskStats), taskId);
  }

  taskEvents(opts: Signalable): AsyncIterable<DriverTaskEvent> {
    return this.stream<PbDriverTaskEvent, DriverTaskEvent>('TaskEvents', {}, opts.signal, taskEventFromPb);
  }

  async signalTask(taskId: string, signal: string): Promise<void> {
    await this.unary('SignalTask', this.conn.driver, { task_id: taskId, signal }, taskId);
  }

  async execTask(taskId: string, cmd: readonly string[], timeoutMs: number): Promise<ExecTaskResult> {
    const r = await this.unary<{ stdout: Buffer; stderr: Buffer; result: PbExitResult | null }>(
      'ExecTask',
      this.conn.driver,
      { task_id: taskId, command: [...cmd], timeout: msToDuration(timeoutMs) },
      taskId,
    );
    return { stdout: new Uint8Array(r.stdout), stderr: new Uint8Array(r.stderr), exitResult: exitResultFromPb(r.result) };
  }

  /** Bidi exec: setup first, then stdin and resizes; resolves with the final result. */
  execTaskStreaming(taskId: string, opts: ExecOptions & Signalable): Promise<ExitResult> {
    const method = (this.conn.driver as unknown as Record<string, () => grpc.ClientDuplexStream<PbExecStreamingRequest, PbExecStreamingResponse>>)['ExecTaskStreaming'];
    if (!method) return Promise.reject(new DroverError(ErrorCode.internal, 'no ExecTaskStreaming method'));
    if (opts.signal?.aborted) return Promise.reject(abortError());
    const s = method.call(this.conn.driver);
    const empty = { setup: null, tty_size: null, stdin: null };
    return new Promise<ExitResult>((resolve, reject) => {
      let result: ExitResult | undefined;
      const onAbort = (): void => {
        s.cancel();
        reject(abortError());
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => opts.signal?.removeEventListener('abort', onAbort);
      s.on('data', (m: PbExecStreamingResponse) => {
        if (m.stdout?.data.length) opts.stdout(m.stdout.data);
        if (m.stderr?.data.length) opts.stderr(m.stderr.data);
        if (m.exited) result = exitResultFromPb(m.result);
      });
      s.on('end', () => {
        done();
        if (result) resolve(result);
        else reject(new DroverError(ErrorCode.internal, 'exec stream ended without a result'));
      });
      s.on('error', (err) => {
        done();
        if (!opts.signal?.aborted) reject(fromServiceError(err, taskId));
      });
      s.write({ ...empty, setup: { task_id: taskId, command: [...opts.command], tty: opts.tty } });
      const pump = async <T>(it: AsyncIterable<T> | undefined, msg: (x: T) => PbExecStreamingRequest): Promise<void> => {
        if (!it) return;
        for await (const x of it) s.write(msg(x));
      };
      // A stdin or resize source that fails ends the session with its error instead of leaving it waiting.
      const pumpFailed = (err: unknown): void => {
        if (result || opts.signal?.aborted) return;
        done();
        reject(err);
        s.cancel();
      };
      void pump(opts.stdin, (data) => ({ ...empty, stdin: { data: Buffer.from(data), close: false } }))
        .then(() => s.write({ ...empty, stdin: { data: Buffer.alloc(0), close: true } }))
        .catch(pumpFailed);
      void pump(opts.resize, (sz) => ({ ...empty, tty_size: { height: sz.height, width: sz.width } })).catch(pumpFailed);
    });
  }

  /** Driver.Shutdown: the plugin's chance to clean up before it is stopped. */
  async shutdown(opts: Signalable): Promise<void> {
    await this.unary('Shutdown', this.conn.driver, {}, '', opts.signal).catch((e: unknown) => {
      if (!(e instanceof DroverError && e.code === ErrorCode.notSupported)) throw e;
    });
  }

  /** The task's config {} as Nomad would send it; a recovered handle may lack it, and then sends none. */
  private encodeTaskConfig(config: TaskConfig, recovering: boolean): Buffer {
    try {
      return encodeCtyConcrete(decodeHclBody(this.d.taskSpec, config.driverConfig, 'config'));
    } catch (err) {
      if (recovering) return Buffer.alloc(0);
      if (err instanceof ValidationError) throw err;
      throw new ValidationError([{ field: 'config', message: errorMessage(err) }], { cause: err });
    }
  }

  private unary<T>(method: string, client: grpc.Client, req: unknown, taskId = '', signal?: AbortSignal): Promise<T> {
    if (!signal) return call<T>(client, method, req).catch((e: unknown) => Promise.reject(fromServiceError(e, taskId)));
    if (signal.aborted) return Promise.reject(abortError());
    const fn = (client as unknown as Record<string, (r: unknown, cb: grpc.requestCallback<T>) => grpc.ClientUnaryCall>)[method];
    if (!fn) return Promise.reject(new Error(`no method ${method}`));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        c.cancel();
        reject(abortError());
      };
      const c = fn.call(client, req, (err, res) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return;
        if (err) reject(fromServiceError(err, taskId));
        else resolve(res as T);
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async *stream<P, T>(method: string, req: unknown, signal: AbortSignal | undefined, f: (p: P) => T, taskId = ''): AsyncGenerator<T> {
    if (signal?.aborted) return;
    const fn = (this.conn.driver as unknown as Record<string, (r: unknown) => grpc.ClientReadableStream<P>>)[method];
    if (!fn) throw new Error(`no method ${method}`);
    const s = fn.call(this.conn.driver, req);
    const onAbort = (): void => s.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const msg of s as AsyncIterable<P>) yield f(msg);
    } catch (err) {
      if (signal?.aborted) return;
      throw fromServiceError(err, taskId);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      s.cancel();
    }
  }
}
