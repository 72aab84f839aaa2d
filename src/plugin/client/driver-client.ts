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
import { capabilitiesFromPb } from '../codec/capabilities.js';
import { encodeCtyConcrete } from '../codec/cty-msgpack.js';
import { exitResultFromPb } from '../codec/exit-result.js';
import { fingerprintFromPb } from '../codec/fingerprint.js';
import { decodeHclBody } from '../codec/hcldec.js';
import { fromHclSpec } from '../codec/hclspec.js';
import { networkFromPb } from '../codec/network.js';
import { networkIsolationFromPb, networkIsolationToPb } from '../codec/network-isolation.js';
import { pluginInfoFromPb, selectApiVersion } from '../codec/plugin-info.js';
import { taskConfigToPb } from '../codec/task-config.js';
import { taskEventFromPb } from '../codec/task-event.js';
import { taskHandleToPb, taskStateFromPb } from '../codec/task-handle.js';
import { taskStatsFromPb } from '../codec/stats.js';
import { taskStatusFromPb } from '../codec/task-status.js';
import { msToDuration } from '../codec/time.js';
import { fromServiceError } from '../errors.js';
import { BasePluginService } from '../wire/base.js';
import { DriverService, type ExecTaskStreamingRequest, type ExecTaskStreamingResponse } from '../wire/driver.js';
import type { Spec } from '../wire/hclspec.js';
import { abortError } from './abort.js';
import { call, type ClientMethod, type PluginConnection } from './connection.js';

/** What open() learns from the plugin. */
interface Described {
  info: PluginInfo;
  apiVersion: string;
  configSpec: Spec | undefined;
  taskSpec: Spec | undefined;
  configSchema: ObjectSpec;
  taskSchema: ObjectSpec;
  capabilities: Capabilities;
}

/** One plugin process as a DriverPlugin. */
export class RemoteDriver implements DriverPlugin, ExecStreamingDriver, DriverShutdowner, DriverNetworkManager {
  private constructor(
    private readonly conn: PluginConnection,
    private d: Described,
  ) {}

  /** Dispenses the driver: PluginInfo (must be a driver with API v0.1.0), schemas, capabilities. */
  static async open(conn: PluginConnection): Promise<RemoteDriver> {
    const rpc = <Req, Res>(m: ClientMethod<Req, Res>, req: NoInfer<Req>): Promise<Res> =>
      call(conn.client, m, req).catch((e: unknown) => Promise.reject(fromServiceError(e)));
    const info = pluginInfoFromPb(await rpc(BasePluginService.pluginInfo, {}));
    const apiVersion = selectApiVersion(info.pluginApiVersions);
    if (!apiVersion) throw new DroverError(ErrorCode.pluginConfig, `plugin ${info.name} speaks driver API ${info.pluginApiVersions.join(', ')}; drover speaks v0.1.0`);
    const configSpec = (await rpc(BasePluginService.configSchema, {})).spec;
    const taskSpec = (await rpc(DriverService.taskConfigSchema, {})).spec;
    const caps = (await rpc(DriverService.capabilities, {})).capabilities;
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
    await this.unary(BasePluginService.setConfig, {
      msgpack_config: this.d.configSpec ? encodeCtyConcrete(value) : Buffer.alloc(0),
      nomad_config: { driver: { ClientMinPort: driver?.clientMinPort ?? 0, ClientMaxPort: driver?.clientMaxPort ?? 0, Topology: undefined } },
      plugin_api_version: this.d.apiVersion,
    });
    // Nomad's Init follows SetConfig; a plugin without it answers UNIMPLEMENTED, which is fine.
    await this.unary(DriverService.init, {}).catch((e: unknown) => {
      if (!(e instanceof DroverError && e.code === ErrorCode.notSupported)) throw e;
    });
    const caps = await this.unary(DriverService.capabilities, {});
    this.d = { ...this.d, capabilities: capabilitiesFromPb(caps.capabilities) };
  }

  taskConfigSchema(): ObjectSpec {
    return this.d.taskSchema;
  }

  capabilities(): Capabilities {
    return this.d.capabilities;
  }

  fingerprint(opts: Signalable): AsyncIterable<Fingerprint> {
    return this.stream(DriverService.fingerprint, {}, opts.signal, fingerprintFromPb);
  }

  async recoverTask(handle: TaskHandle): Promise<void> {
    const id = handle.config.id;
    await this.unary(DriverService.recoverTask, { task_id: id, handle: taskHandleToPb(handle, this.encodeTaskConfig(handle.config, true)) }, id);
  }

  async startTask(config: TaskConfig): Promise<StartResult> {
    const bytes = this.encodeTaskConfig(config, false);
    const res = await this.unary(DriverService.startTask, { task: taskConfigToPb(config, bytes) }, config.id);
    const h = res.handle;
    if (!h) throw new DroverError(ErrorCode.internal, 'plugin returned no task handle');
    if (h.version < 1) throw new DroverError(ErrorCode.internal, `plugin returned task handle version ${h.version}`);
    if (h.config && h.config.id !== config.id) throw new DroverError(ErrorCode.internal, `plugin returned a handle for task ${h.config.id}, not ${config.id}`);
    // The handle keeps drover's own TaskConfig (task dir, driver config) rather than the echo.
    const handle: TaskHandle = { version: h.version, config, state: taskStateFromPb(h.state), driverState: new Uint8Array(h.driver_state) };
    const network = networkFromPb(res.network_override);
    return { handle, ...(network ? { network } : {}) };
  }

  async waitTask(taskId: string, opts: Signalable): Promise<ExitResult> {
    const r = await this.unary(DriverService.waitTask, { task_id: taskId }, taskId, opts.signal);
    return exitResultFromPb(r.result, r.err);
  }

  async stopTask(taskId: string, timeoutMs: number, signal: string): Promise<void> {
    await this.unary(DriverService.stopTask, { task_id: taskId, timeout: msToDuration(timeoutMs), signal }, taskId);
  }

  async destroyTask(taskId: string, force: boolean): Promise<void> {
    await this.unary(DriverService.destroyTask, { task_id: taskId, force }, taskId);
  }

  async inspectTask(taskId: string): Promise<TaskStatus> {
    return taskStatusFromPb(await this.unary(DriverService.inspectTask, { task_id: taskId }, taskId));
  }

  taskStats(taskId: string, intervalMs: number, opts: Signalable): AsyncIterable<TaskResourceUsage> {
    const req = { task_id: taskId, collection_interval: msToDuration(intervalMs) };
    return this.stream(DriverService.taskStats, req, opts.signal, (r) => {
      if (!r.stats) throw new DroverError(ErrorCode.internal, 'plugin sent a TaskStats message without stats');
      return taskStatsFromPb(r.stats);
    }, taskId);
  }

  taskEvents(opts: Signalable): AsyncIterable<DriverTaskEvent> {
    return this.stream(DriverService.taskEvents, {}, opts.signal, taskEventFromPb);
  }

  async signalTask(taskId: string, signal: string): Promise<void> {
    await this.unary(DriverService.signalTask, { task_id: taskId, signal }, taskId);
  }

  async execTask(taskId: string, cmd: readonly string[], timeoutMs: number): Promise<ExecTaskResult> {
    const r = await this.unary(DriverService.execTask, { task_id: taskId, command: [...cmd], timeout: msToDuration(timeoutMs) }, taskId);
    return { stdout: new Uint8Array(r.stdout), stderr: new Uint8Array(r.stderr), exitResult: exitResultFromPb(r.result) };
  }

  /** Bidi exec: setup first, then stdin and resizes; resolves with the final result. */
  execTaskStreaming(taskId: string, opts: ExecOptions & Signalable): Promise<ExitResult> {
    if (opts.signal?.aborted) return Promise.reject(abortError());
    const m = DriverService.execTaskStreaming;
    const s = this.conn.client.makeBidiStreamRequest(m.path, m.requestSerialize, m.responseDeserialize);
    const empty: ExecTaskStreamingRequest = { setup: undefined, tty_size: undefined, stdin: undefined };
    return new Promise<ExitResult>((resolve, reject) => {
      let result: ExitResult | undefined;
      const onAbort = (): void => {
        s.cancel();
        reject(abortError());
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => opts.signal?.removeEventListener('abort', onAbort);
      s.on('data', (msg: ExecTaskStreamingResponse) => {
        if (msg.stdout?.data.length) opts.stdout(msg.stdout.data);
        if (msg.stderr?.data.length) opts.stderr(msg.stderr.data);
        if (msg.exited) result = exitResultFromPb(msg.result);
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
      const pump = async <T>(it: AsyncIterable<T> | undefined, msg: (x: T) => ExecTaskStreamingRequest): Promise<void> => {
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

  /** CreateNetwork: the plugin makes the allocation's namespace (only asked of plugins announcing mustInitiateNetwork). */
  async createNetwork(allocId: string, request: NetworkCreateRequest): Promise<{ spec?: NetworkIsolationSpec; created: boolean }> {
    const r = await this.unary(DriverService.createNetwork, { alloc_id: allocId, hostname: request.hostname });
    const spec = networkIsolationFromPb(r.isolation_spec);
    return { ...(spec ? { spec } : {}), created: r.created };
  }

  /** DestroyNetwork; without a spec there is nothing to destroy and no call is made (as Nomad's client). */
  async destroyNetwork(allocId: string, spec: NetworkIsolationSpec | undefined): Promise<void> {
    if (!spec) return;
    await this.unary(DriverService.destroyNetwork, { alloc_id: allocId, isolation_spec: networkIsolationToPb(spec) });
  }

  /** Driver.Shutdown: the plugin's chance to clean up before it is stopped. */
  async shutdown(opts: Signalable): Promise<void> {
    await this.unary(DriverService.shutdown, {}, '', opts.signal).catch((e: unknown) => {
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

  /** One unary call; failures become drover errors about `taskId`. */
  private unary<Req, Res>(m: ClientMethod<Req, Res>, req: NoInfer<Req>, taskId = '', signal?: AbortSignal): Promise<Res> {
    return call(this.conn.client, m, req, { signal }).catch((e: unknown) => Promise.reject(fromServiceError(e, taskId)));
  }

  /** A server stream as an AsyncIterable of decoded items; ends when `signal` aborts. */
  private async *stream<Req, Res, T>(
    m: ClientMethod<Req, Res>,
    req: NoInfer<Req>,
    signal: AbortSignal | undefined,
    f: (msg: Res) => T,
    taskId = '',
  ): AsyncGenerator<T> {
    if (signal?.aborted) return;
    const s = this.conn.client.makeServerStreamRequest<Req, Res>(m.path, m.requestSerialize, m.responseDeserialize, req);
    const onAbort = (): void => s.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const msg of messages(s)) yield f(msg);
    } catch (err) {
      if (signal?.aborted) return;
      throw fromServiceError(err, taskId);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      s.cancel();
    }
  }
}

/** A readable stream's messages, typed (Readable's own iterator yields `any`). */
async function* messages<T>(s: grpc.ClientReadableStream<T>): AsyncGenerator<T> {
  for await (const msg of s) yield msg;
}
