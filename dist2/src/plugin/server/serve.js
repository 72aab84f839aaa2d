/**
 * `drover plugin serve DRIVER`: one drover driver as a go-plugin gRPC plugin
 * loadable by a Nomad client from its plugin_dir.
 *
 *   refuse without the magic cookie → negotiate protocol → bind socket →
 *   print the handshake line (the first stdout output) → redirect stdout and
 *   stderr into GRPCStdio → serve until GRPCController.Shutdown or SIGTERM.
 *
 * SIGINT is ignored, as go-plugin does: a Ctrl-C at the host's terminal
 * reaches the plugin too, and the host decides when its plugins stop.
 */
import * as grpc from '@grpc/grpc-js';
import { brokerHandlers } from '../broker.js';
import { controllerHandlers } from '../controller.js';
import { NOT_A_PLUGIN_MESSAGE, formatHandshake, hasMagicCookie, negotiateAppProtocol } from '../handshake.js';
import { healthHandlers } from '../health.js';
import { hclogLogger } from '../logger.js';
import { StdioCapture } from '../stdio.js';
import { BasePluginService } from '../wire/base.js';
import { DriverService } from '../wire/driver.js';
import { GRPCBrokerService, GRPCControllerService, GRPCStdioService } from '../wire/go-plugin.js';
import { HealthService } from '../wire/health.js';
import { baseHandlers } from './base-service.js';
import { DRIVER_CATALOG, catalogEntry } from '../../drivers/catalog.js';
import { defaultServeDataDir } from './builtin.js';
import { driverHandlers } from './driver-service.js';
import { listenTcp, listenUnix } from './listen.js';
/** How long a stopping server waits for in-flight calls before cutting them. */
const STOP_GRACE_MS = 250;
/** The process's own stdio. */
export function processServeIo() {
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    return { env: process.env, writeStdout: (s) => void out(s), writeStderr: (s) => void err(s), captureStdio: true };
}
/** Serves `driverName` until shutdown; resolves the exit code (1 when refused). */
export async function servePlugin(driverName, io = processServeIo(), opts = {}) {
    const started = await startPluginServer(driverName, io, opts);
    return typeof started === 'number' ? started : started.done;
}
/** Starts serving; a number is an exit code for a refusal (message already written). */
export async function startPluginServer(driverName, io, opts = {}) {
    if (!hasMagicCookie(io.env)) {
        io.writeStderr(NOT_A_PLUGIN_MESSAGE);
        return 1;
    }
    const entry = catalogEntry(driverName);
    if (!entry) {
        io.writeStderr(`drover plugin serve: unknown driver ${JSON.stringify(driverName)} (servable: ${DRIVER_CATALOG.map((d) => d.name).join(', ')})\n`);
        return 1;
    }
    const logger = hclogLogger(driverName, (line) => io.writeStderr(line));
    const driver = await entry.create({ logger, now: Date.now }, { dataDir: opts.dataDir ?? defaultServeDataDir() });
    const appProtocol = negotiateAppProtocol(io.env);
    const stdio = new StdioCapture();
    let finish;
    const done = new Promise((resolve) => (finish = resolve));
    const server = new grpc.Server({ 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
    let listener;
    let stopped = false;
    const stop = (code) => {
        if (stopped)
            return;
        stopped = true;
        process.removeListener('SIGINT', ignore);
        process.removeListener('SIGTERM', onTerm);
        listener?.close();
        stdio.uninstall();
        // Graceful first, so the reply to GRPCController.Shutdown is flushed; long-lived streams are cut after a moment.
        const force = setTimeout(() => {
            server.forceShutdown();
            finish(code);
        }, STOP_GRACE_MS);
        server.tryShutdown(() => {
            clearTimeout(force);
            finish(code);
        });
    };
    const ignore = () => logger.debug('plugin received interrupt signal, ignoring');
    const onTerm = () => stop(0);
    server.addService(HealthService, healthHandlers());
    server.addService(GRPCControllerService, controllerHandlers(() => stop(0)));
    server.addService(GRPCStdioService, stdio.handlers());
    server.addService(GRPCBrokerService, brokerHandlers());
    server.addService(BasePluginService, baseHandlers(driver, logger));
    server.addService(DriverService, driverHandlers(driver, logger));
    try {
        listener = process.platform === 'win32' ? await listenTcp(server, io.env) : await listenUnix(server, io.env);
    }
    catch (err) {
        io.writeStderr(`Error preparing plugin: ${err.message}\n`);
        server.forceShutdown();
        return 1;
    }
    process.on('SIGINT', ignore);
    process.on('SIGTERM', onTerm);
    io.writeStdout(`${formatHandshake({ appProtocol, network: listener.network, address: listener.address, protocol: 'grpc' })}\n`);
    if (io.captureStdio)
        stdio.install();
    logger.debug('plugin address', { network: listener.network, address: listener.address });
    return { listener, driver, done, stop: () => stop(0) };
}
//# sourceMappingURL=serve.js.map