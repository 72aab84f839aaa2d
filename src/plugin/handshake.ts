/**
 * go-plugin's handshake as Nomad configures it (plugins/base.Handshake):
 * the magic cookie env var that marks a legitimate launch, protocol version
 * negotiation through PLUGIN_PROTOCOL_VERSIONS, where to listen, and the one
 * line `CORE|APP|NETWORK|ADDRESS|PROTOCOL|CERT` the plugin prints first on
 * stdout so the host can connect.
 */

/** Env var Nomad sets on every plugin it launches. */
export const MAGIC_COOKIE_KEY = 'NOMAD_PLUGIN_MAGIC_COOKIE';
/** Its value (Nomad's base.Handshake.MagicCookieValue). */
export const MAGIC_COOKIE_VALUE = 'e4327c2e01eabfd75a8a67adb114fb34a757d57eee7728d857a8cec6e91a7255';
/** go-plugin's CoreProtocolVersion. */
export const CORE_PROTOCOL_VERSION = 1;
/** Nomad's plugin protocol version (2: the gRPC plugins of Nomad ≥ 0.9). */
export const APP_PROTOCOL_VERSION = 2;

/** What a plugin says when started by hand (go-plugin's wording, naming Nomad). */
export const NOT_A_PLUGIN_MESSAGE =
  'This binary is a plugin for Nomad. These are not meant to be executed directly.\n' +
  'Please execute the program that consumes these plugins (a Nomad client, or a drover\n' +
  'agent), which will load any plugins automatically.\n';

/** The parsed handshake line. */
export interface Handshake {
  readonly coreProtocol: number;
  readonly appProtocol: number;
  readonly network: 'unix' | 'tcp';
  readonly address: string;
  readonly protocol: string;
  /** Base64 DER certificate for AutoMTLS; drover never sends one. */
  readonly serverCert: string;
}

/** True when the launcher set Nomad's magic cookie. */
export function hasMagicCookie(env: NodeJS.ProcessEnv): boolean {
  return env[MAGIC_COOKIE_KEY] === MAGIC_COOKIE_VALUE;
}

/**
 * go-plugin's negotiation: the highest version both sides have, else our
 * lowest (the host then reports the mismatch). drover serves only version 2.
 */
export function negotiateAppProtocol(env: NodeJS.ProcessEnv, served: readonly number[] = [APP_PROTOCOL_VERSION]): number {
  const offered = (env['PLUGIN_PROTOCOL_VERSIONS'] ?? '')
    .split(',')
    .map((s) => Number.parseInt(s, 10))
    .filter((n) => Number.isInteger(n));
  const ours = [...served].sort((a, b) => b - a);
  return ours.find((v) => offered.includes(v)) ?? (ours[ours.length - 1] as number);
}

/** The handshake line (without newline); the certificate field stays empty: no TLS. */
export function formatHandshake(h: Omit<Handshake, 'coreProtocol' | 'serverCert'>): string {
  return `${CORE_PROTOCOL_VERSION}|${h.appProtocol}|${h.network}|${h.address}|${h.protocol}|`;
}

/** Parses a handshake line; throws saying what is wrong. */
export function parseHandshake(line: string): Handshake {
  const parts = line.trim().split('|');
  if (parts.length < 4) throw new Error(`Unrecognized remote plugin message: ${line.trim()}`);
  const [core, app, network, address, protocol, cert] = parts as [string, string, string, string, string?, string?];
  if (Number(core) !== CORE_PROTOCOL_VERSION) throw new Error(`incompatible core API version with plugin: plugin ${core}, ours ${CORE_PROTOCOL_VERSION}`);
  if (network !== 'unix' && network !== 'tcp') throw new Error(`unknown address type: ${network}`);
  return {
    coreProtocol: Number(core),
    appProtocol: Number(app),
    network,
    address,
    protocol: protocol ?? 'netrpc',
    serverCert: cert ?? '',
  };
}

/** PLUGIN_MIN_PORT..PLUGIN_MAX_PORT (TCP listeners only; unset means 0). */
export function portRange(env: NodeJS.ProcessEnv): { min: number; max: number } {
  const read = (key: string): number => {
    const raw = env[key] ?? '';
    if (raw === '') return 0;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`couldn't get value from ${key}: ${JSON.stringify(raw)}`);
    return n;
  };
  const min = read('PLUGIN_MIN_PORT');
  const max = read('PLUGIN_MAX_PORT');
  if (min > max) throw new Error(`PLUGIN_MIN_PORT value of ${min} is greater than PLUGIN_MAX_PORT value of ${max}`);
  return { min, max };
}
