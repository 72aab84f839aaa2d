import { DroverError, ErrorCode, ValidationError, errorMessage } from '../../model/errors.js';
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
import { taskHandleToPb, taskStateFromPb } from '../codec/task-handle.js';
import { taskStatsFromPb } from '../codec/stats.js';
import { taskStatusFromPb } from '../codec/task-status.js';
import { msToDuration } from '../codec/time.js';
import { fromServiceError } from '../errors.js';
import { BasePluginService } from '../wire/base.js';
import { DriverService } from '../wire/driver.js';
import { abortError } from './abort.js';
import { call } from './connection.js';
/** One plugin process as a DriverPlugin. */
export class RemoteDriver {
    conn;
    d;
    constructor(conn, d) {
        this.conn = conn;
        this.d = d;
    }
    /** Dispenses the driver: PluginInfo (must be a driver with API v0.1.0), schemas, capabilities. */
    static async open(conn) {
        const rpc = (m, req) => call(conn.client, m, req).catch((e) => Promise.reject(fromServiceError(e)));
        const info = pluginInfoFromPb(await rpc(BasePluginService.pluginInfo, {}));
        const apiVersion = selectApiVersion(info.pluginApiVersions);
        if (!apiVersion)
            throw new DroverError(ErrorCode.pluginConfig, `plugin ${info.name} speaks driver API ${info.pluginApiVersions.join(', ')}; drover speaks v0.1.0`);
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
    pluginInfo() {
        return this.d.info;
    }
    configSchema() {
        return this.d.configSchema;
    }
    /** Encodes the plugin config against the plugin's schema (ValidationError naming fields), sends it, refreshes capabilities. */
    async setConfig(cfg) {
        const value = decodeHclBody(this.d.configSpec, cfg.pluginConfig, 'config');
        const driver = cfg.agentConfig?.driver;
        await this.unary(BasePluginService.setConfig, {
            msgpack_config: this.d.configSpec ? encodeCtyConcrete(value) : Buffer.alloc(0),
            nomad_config: { driver: { ClientMinPort: driver?.clientMinPort ?? 0, ClientMaxPort: driver?.clientMaxPort ?? 0, Topology: undefined } },
            plugin_api_version: this.d.apiVersion,
        });
        // Nomad's Init follows SetConfig; a plugin without it answers UNIMPLEMENTED, which is fine.
        await this.unary(DriverService.init, {}).catch((e) => {
            if (!(e instanceof DroverError && e.code === ErrorCode.notSupported))
                throw e;
        });
        const caps = await this.unary(DriverService.capabilities, {});
        this.d = { ...this.d, capabilities: capabilitiesFromPb(caps.capabilities) };
    }
    taskConfigSchema() {
        return this.d.taskSchema;
    }
    capabilities() {
        return this.d.capabilities;
    }
    fingerprint(opts) {
        return this.stream(DriverService.fingerprint, {}, opts.signal, fingerprintFromPb);
    }
    async recoverTask(handle) {
        const id = handle.config.id;
        await this.unary(DriverService.recoverTask, { task_id: id, handle: taskHandleToPb(handle, this.encodeTaskConfig(handle.config, true)) }, id);
    }
    async startTask(config) {
        const bytes = this.encodeTaskConfig(config, false);
        const res = await this.unary(DriverService.startTask, { task: taskConfigToPb(config, bytes) }, config.id);
        const h = res.handle;
        if (!h)
            throw new DroverError(ErrorCode.internal, 'plugin returned no task handle');
        if (h.version < 1)
            throw new DroverError(ErrorCode.internal, `plugin returned task handle version ${h.version}`);
        if (h.config && h.config.id !== config.id)
            throw new DroverError(ErrorCode.internal, `plugin returned a handle for task ${h.config.id}, not ${config.id}`);
        // The handle keeps drover's own TaskConfig (task dir, driver config) rather than the echo.
        const handle = { version: h.version, config, state: taskStateFromPb(h.state), driverState: new Uint8Array(h.driver_state) };
        const network = networkFromPb(res.network_override);
        return { handle, ...(network ? { network } : {}) };
    }
    async waitTask(taskId, opts) {
        const r = await this.unary(DriverService.waitTask, { task_id: taskId }, taskId, opts.signal);
        return exitResultFromPb(r.result, r.err);
    }
    async stopTask(taskId, timeoutMs, signal) {
        await this.unary(DriverService.stopTask, { task_id: taskId, timeout: msToDuration(timeoutMs), signal }, taskId);
    }
    async destroyTask(taskId, force) {
        await this.unary(DriverService.destroyTask, { task_id: taskId, force }, taskId);
    }
    async inspectTask(taskId) {
        return taskStatusFromPb(await this.unary(DriverService.inspectTask, { task_id: taskId }, taskId));
    }
    taskStats(taskId, intervalMs, opts) {
        const req = { task_id: taskId, collection_interval: msToDuration(intervalMs) };
        return this.stream(DriverService.taskStats, req, opts.signal, (r) => {
            if (!r.stats)
                throw new DroverError(ErrorCode.internal, 'plugin sent a TaskStats message without stats');
            return taskStatsFromPb(r.stats);
        }, taskId);
    }
    taskEvents(opts) {
        return this.stream(DriverService.taskEvents, {}, opts.signal, taskEventFromPb);
    }
    async signalTask(taskId, signal) {
        await this.unary(DriverService.signalTask, { task_id: taskId, signal }, taskId);
    }
    async execTask(taskId, cmd, timeoutMs) {
        const r = await this.unary(DriverService.execTask, { task_id: taskId, command: [...cmd], timeout: msToDuration(timeoutMs) }, taskId);
        return { stdout: new Uint8Array(r.stdout), stderr: new Uint8Array(r.stderr), exitResult: exitResultFromPb(r.result) };
    }
    /** Bidi exec: setup first, then stdin and resizes; resolves with the final result. */
    execTaskStreaming(taskId, opts) {
        if (opts.signal?.aborted)
            return Promise.reject(abortError());
        const m = DriverService.execTaskStreaming;
        const s = this.conn.client.makeBidiStreamRequest(m.path, m.requestSerialize, m.responseDeserialize);
        const empty = { setup: undefined, tty_size: undefined, stdin: undefined };
        return new Promise((resolve, reject) => {
            let result;
            const onAbort = () => {
                s.cancel();
                reject(abortError());
            };
            opts.signal?.addEventListener('abort', onAbort, { once: true });
            const done = () => opts.signal?.removeEventListener('abort', onAbort);
            s.on('data', (msg) => {
                if (msg.stdout?.data.length)
                    opts.stdout(msg.stdout.data);
                if (msg.stderr?.data.length)
                    opts.stderr(msg.stderr.data);
                if (msg.exited)
                    result = exitResultFromPb(msg.result);
            });
            s.on('end', () => {
                done();
                if (result)
                    resolve(result);
                else
                    reject(new DroverError(ErrorCode.internal, 'exec stream ended without a result'));
            });
            s.on('error', (err) => {
                done();
                if (!opts.signal?.aborted)
                    reject(fromServiceError(err, taskId));
            });
            s.write({ ...empty, setup: { task_id: taskId, command: [...opts.command], tty: opts.tty } });
            const pump = async (it, msg) => {
                if (!it)
                    return;
                for await (const x of it)
                    s.write(msg(x));
            };
            // A stdin or resize source that fails ends the session with its error instead of leaving it waiting.
            const pumpFailed = (err) => {
                if (result || opts.signal?.aborted)
                    return;
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
    async shutdown(opts) {
        await this.unary(DriverService.shutdown, {}, '', opts.signal).catch((e) => {
            if (!(e instanceof DroverError && e.code === ErrorCode.notSupported))
                throw e;
        });
    }
    /** The task's config {} as Nomad would send it; a recovered handle may lack it, and then sends none. */
    encodeTaskConfig(config, recovering) {
        try {
            return encodeCtyConcrete(decodeHclBody(this.d.taskSpec, config.driverConfig, 'config'));
        }
        catch (err) {
            if (recovering)
                return Buffer.alloc(0);
            if (err instanceof ValidationError)
                throw err;
            throw new ValidationError([{ field: 'config', message: errorMessage(err) }], { cause: err });
        }
    }
    /** One unary call; failures become drover errors about `taskId`. */
    unary(m, req, taskId = '', signal) {
        return call(this.conn.client, m, req, { signal }).catch((e) => Promise.reject(fromServiceError(e, taskId)));
    }
    /** A server stream as an AsyncIterable of decoded items; ends when `signal` aborts. */
    async *stream(m, req, signal, f, taskId = '') {
        if (signal?.aborted)
            return;
        const s = this.conn.client.makeServerStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, req);
        const onAbort = () => s.cancel();
        signal?.addEventListener('abort', onAbort, { once: true });
        try {
            for await (const msg of messages(s))
                yield f(msg);
        }
        catch (err) {
            if (signal?.aborted)
                return;
            throw fromServiceError(err, taskId);
        }
        finally {
            signal?.removeEventListener('abort', onAbort);
            s.cancel();
        }
    }
}
/** A readable stream's messages, typed (Readable's own iterator yields `any`). */
async function* messages(s) {
    for await (const msg of s)
        yield msg;
}
//# sourceMappingURL=driver-client.js.map