/**
 * Launches a plugin executable the way Nomad's loader does through
 * go-plugin: the host's environment plus the magic cookie,
 * PLUGIN_PROTOCOL_VERSIONS=2 and PLUGIN_MIN_PORT/PLUGIN_MAX_PORT (0 unless
 * configured); then waits, with a timeout, for the handshake line on stdout.
 * Later stdout lines are drained; stderr lines are hclog JSON, re-logged.
 */
import { spawn } from 'node:child_process';
import * as readline from 'node:readline';
import { APP_PROTOCOL_VERSION, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, parseHandshake } from '../handshake.js';
import { parseHclogLine } from '../logger.js';
const STDERR_TAIL_LINES = 20;
/** Spawns the plugin and reads its handshake; kills it and throws on timeout, early exit or a bad line. */
export async function launchPlugin(o) {
    const t0 = performance.now();
    const env = {
        ...process.env,
        ...o.env,
        [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
        PLUGIN_MIN_PORT: String(o.minPort ?? 0),
        PLUGIN_MAX_PORT: String(o.maxPort ?? 0),
        PLUGIN_PROTOCOL_VERSIONS: String(APP_PROTOCOL_VERSION),
        ...(o.socketDir ? { PLUGIN_UNIX_SOCKET_DIR: o.socketDir } : {}),
    };
    const child = spawn(o.path, [...(o.args ?? [])], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const name = o.path.split('/').pop() ?? o.path;
    const exited = new Promise((resolve) => {
        child.once('exit', (code, signal) => resolve({ code, signal }));
        child.once('error', () => resolve({ code: null, signal: null }));
    });
    const tail = [];
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
        tail.push(line);
        if (tail.length > STDERR_TAIL_LINES)
            tail.shift();
        relogLine(o.logger, name, line);
    });
    const lines = readline.createInterface({ input: child.stdout });
    const first = new Promise((resolve, reject) => {
        lines.once('line', resolve);
        child.once('error', reject);
        // 'close' (not 'exit') fires once stdio has drained, so the error can carry the plugin's last stderr lines.
        child.once('close', (code, signal) => reject(new Error(`plugin exited before we could connect (exit ${code ?? signal})`)));
    });
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout while waiting for plugin to start')), o.startTimeoutMs ?? 60_000);
    });
    try {
        const line = await Promise.race([first, timeout]);
        const handshake = parseHandshake(line);
        if (handshake.appProtocol !== APP_PROTOCOL_VERSION) {
            throw new Error(`Incompatible API version with plugin. Plugin version: ${handshake.appProtocol}, Client versions: [${APP_PROTOCOL_VERSION}]`);
        }
        if (handshake.protocol !== 'grpc')
            throw new Error(`unsupported plugin protocol ${JSON.stringify(handshake.protocol)}. Supported: [grpc]`);
        // Later stdout lines are the plugin's business; drained so the pipe never fills.
        lines.on('line', (l) => o.logger.debug('plugin stdout', { plugin: name, line: l }));
        return { child, pid: child.pid, handshake, exited, handshakeMs: performance.now() - t0 };
    }
    catch (err) {
        child.kill('SIGKILL');
        const stderr = tail.length > 0 ? `\nplugin stderr:\n${tail.join('\n')}` : '';
        throw new Error(`${o.path}: ${err.message}${stderr}`, { cause: err });
    }
    finally {
        clearTimeout(timer);
    }
}
/** Re-logs one stderr line: hclog JSON at its level, anything else at debug. */
function relogLine(logger, plugin, line) {
    const entry = parseHclogLine(line);
    if (!entry)
        return logger.debug(line, { plugin });
    const fields = { plugin, ...entry.fields };
    switch (entry.level) {
        case 'error':
            return logger.error(entry.message, fields);
        case 'warn':
            return logger.warn(entry.message, fields);
        case 'info':
            return logger.info(entry.message, fields);
        default:
            return logger.debug(entry.message, fields);
    }
}
//# sourceMappingURL=launch.js.map