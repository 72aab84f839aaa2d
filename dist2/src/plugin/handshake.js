/**
 * go-plugin's handshake as Nomad configures it (plugins/base.Handshake):
 * the magic cookie env var that marks a legitimate launch, protocol version
 * negotiation through PLUGIN_PROTOCOL_VERSIONS, where to listen, and the one
 * line `CORE|APP|NETWORK|ADDRESS|PROTOCOL|CERT` the plugin prints first on
 * stdout so the host can connect.
 */
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
/** Env var Nomad sets on every plugin it launches. */
export const MAGIC_COOKIE_KEY = 'NOMAD_PLUGIN_MAGIC_COOKIE';
/** Its value (Nomad's base.Handshake.MagicCookieValue). */
export const MAGIC_COOKIE_VALUE = 'e4327c2e01eabfd75a8a67adb114fb34a757d57eee7728d857a8cec6e91a7255';
/** go-plugin's CoreProtocolVersion. */
export const CORE_PROTOCOL_VERSION = 1;
/** Nomad's plugin protocol version (2: the gRPC plugins of Nomad ≥ 0.9). */
export const APP_PROTOCOL_VERSION = 2;
/** What a plugin says when started by hand (go-plugin's wording, naming Nomad). */
export const NOT_A_PLUGIN_MESSAGE = 'This binary is a plugin for Nomad. These are not meant to be executed directly.\n' +
    'Please execute the program that consumes these plugins (a Nomad client, or a drover\n' +
    'agent), which will load any plugins automatically.\n';
/** True when the launcher set Nomad's magic cookie. */
export function hasMagicCookie(env) {
    return env[MAGIC_COOKIE_KEY] === MAGIC_COOKIE_VALUE;
}
/**
 * go-plugin's negotiation: the highest version both sides have, else our
 * lowest (the host then reports the mismatch). drover serves only version 2.
 */
export function negotiateAppProtocol(env, served = [APP_PROTOCOL_VERSION]) {
    const offered = (env['PLUGIN_PROTOCOL_VERSIONS'] ?? '')
        .split(',')
        .map((s) => Number.parseInt(s, 10))
        .filter((n) => Number.isInteger(n));
    const ours = [...served].sort((a, b) => b - a);
    return ours.find((v) => offered.includes(v)) ?? ours[ours.length - 1];
}
/** The handshake line (without newline); the certificate field stays empty: no TLS. */
export function formatHandshake(h) {
    return `${CORE_PROTOCOL_VERSION}|${h.appProtocol}|${h.network}|${h.address}|${h.protocol}|`;
}
/** Parses a handshake line; throws saying what is wrong. */
export function parseHandshake(line) {
    const parts = line.trim().split('|');
    if (parts.length < 4)
        throw new Error(`Unrecognized remote plugin message: ${line.trim()}`);
    const [core, app, network, address, protocol, cert] = parts;
    if (Number(core) !== CORE_PROTOCOL_VERSION)
        throw new Error(`incompatible core API version with plugin: plugin ${core}, ours ${CORE_PROTOCOL_VERSION}`);
    if (network !== 'unix' && network !== 'tcp')
        throw new Error(`unknown address type: ${network}`);
    return {
        coreProtocol: Number(core),
        appProtocol: Number(app),
        network,
        address,
        protocol: protocol ?? 'netrpc',
        serverCert: cert ?? '',
    };
}
/** A fresh socket path like go-plugin's os.CreateTemp(PLUGIN_UNIX_SOCKET_DIR, "plugin"). */
export function unixSocketPath(env) {
    const dir = env['PLUGIN_UNIX_SOCKET_DIR'] || os.tmpdir();
    return path.join(dir, `plugin${crypto.randomInt(1e9, 1e10)}`);
}
/** PLUGIN_MIN_PORT..PLUGIN_MAX_PORT (TCP listeners only; unset means 0). */
export function portRange(env) {
    const read = (key) => {
        const raw = env[key] ?? '';
        if (raw === '')
            return 0;
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 0 || n > 65535)
            throw new Error(`couldn't get value from ${key}: ${JSON.stringify(raw)}`);
        return n;
    };
    const min = read('PLUGIN_MIN_PORT');
    const max = read('PLUGIN_MAX_PORT');
    if (min > max)
        throw new Error(`PLUGIN_MIN_PORT value of ${min} is greater than PLUGIN_MAX_PORT value of ${max}`);
    return { min, max };
}
//# sourceMappingURL=handshake.js.map