/**
 * The CNI wire shapes drover reads and writes (containernetworking/cni
 * SPEC.md): a network configuration list, a plugin's result and a plugin's
 * error. Results are kept as the plugins wrote them (they travel back as the
 * next plugin's `prevResult` and the DEL's), and read through `parseCniResult`,
 * which checks only the fields drover uses.
 */
import { ValidationError } from '../../model/errors.js';

/** One plugin's entry in a conflist: `type` names the binary; the rest is the plugin's own. */
export interface CniPluginConf {
  readonly type: string;
  /** Runtime capabilities the plugin accepts in `runtimeConfig` (portMappings, …). */
  readonly capabilities?: Readonly<Record<string, boolean>>;
  readonly [key: string]: unknown;
}

/** A network configuration list (a `.conflist`, or a single `.conf` wrapped as one). */
export interface CniConfList {
  readonly cniVersion: string;
  readonly name: string;
  readonly disableCheck?: boolean;
  readonly plugins: readonly CniPluginConf[];
}

/** An interface a plugin made or configured; `sandbox` is set for those inside the namespace. */
export interface CniInterface {
  readonly name: string;
  readonly mac?: string;
  readonly sandbox?: string;
}

/** An address a plugin assigned; `interface` indexes the result's `interfaces`. */
export interface CniIpConfig {
  /** CIDR form, e.g. "172.26.64.2/20". */
  readonly address: string;
  readonly gateway?: string;
  readonly interface?: number;
}

/** DNS settings a plugin (or its IPAM) handed back. */
export interface CniDns {
  readonly nameservers?: readonly string[];
  readonly domain?: string;
  readonly search?: readonly string[];
  readonly options?: readonly string[];
}

/** A plugin's ADD result, as far as drover reads it. The raw JSON is kept beside it. */
export interface CniResult {
  readonly cniVersion: string;
  readonly interfaces: readonly CniInterface[];
  readonly ips: readonly CniIpConfig[];
  readonly dns?: CniDns;
  /** Exactly what the plugin printed, parsed: passed on as prevResult. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A plugin's error object (printed on stdout with a non-zero exit). */
export interface CniErrorBody {
  readonly code: number;
  readonly msg: string;
  readonly details?: string;
}

/** Well-known CNI error codes (SPEC.md "Error"). */
export const CNI_ERROR = {
  incompatibleVersion: 1,
  unsupportedField: 2,
  containerUnknown: 3,
  invalidEnv: 4,
  io: 5,
  decode: 6,
  invalidConfig: 7,
  tryAgainLater: 11,
} as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

/** Reads a conflist's JSON; `source` names the file in errors. */
export function parseConfList(json: unknown, source: string): CniConfList {
  const bad = (message: string): ValidationError => new ValidationError([{ field: '', file: source, message }]);
  if (!isRecord(json)) throw bad('a CNI network config list must be a JSON object');
  const name = optString(json, 'name');
  const cniVersion = optString(json, 'cniVersion');
  if (name === undefined || name === '') throw bad('CNI config list has no "name"');
  if (cniVersion === undefined || cniVersion === '') throw bad(`CNI config list "${name}" has no "cniVersion"`);
  const plugins = json['plugins'];
  if (!Array.isArray(plugins) || plugins.length === 0) throw bad(`CNI config list "${name}" has no "plugins"`);
  const out: CniPluginConf[] = [];
  for (const [i, p] of plugins.entries()) {
    if (!isRecord(p) || typeof p['type'] !== 'string' || p['type'] === '') throw bad(`CNI config list "${name}": plugins[${i}] has no "type"`);
    out.push(pluginConf(p));
  }
  return { name, cniVersion, plugins: out, ...(json['disableCheck'] === true ? { disableCheck: true } : {}) };
}

/** Wraps a single-plugin `.conf` as a one-entry list, as libcni's ConfListFromConf does. */
export function confToConfList(json: unknown, source: string): CniConfList {
  if (!isRecord(json)) throw new ValidationError([{ field: '', file: source, message: 'a CNI network config must be a JSON object' }]);
  const { name, cniVersion, ...plugin } = json;
  return parseConfList({ name, cniVersion, plugins: [plugin] }, source);
}

function pluginConf(p: Record<string, unknown>): CniPluginConf {
  const type = p['type'];
  if (typeof type !== 'string') throw new TypeError('plugin type checked by caller');
  const caps = p['capabilities'];
  const capabilities: Record<string, boolean> | undefined = isRecord(caps)
    ? Object.fromEntries(Object.entries(caps).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'))
    : undefined;
  return { ...p, type, ...(capabilities ? { capabilities } : {}) };
}

/** Reads a plugin's printed result; undefined when it is not a result object (the caller reports). */
export function parseCniResult(json: unknown): CniResult | undefined {
  if (!isRecord(json)) return undefined;
  const interfaces: CniInterface[] = [];
  for (const i of Array.isArray(json['interfaces']) ? json['interfaces'] : []) {
    if (!isRecord(i) || typeof i['name'] !== 'string') continue;
    const mac = optString(i, 'mac');
    const sandbox = optString(i, 'sandbox');
    interfaces.push({ name: i['name'], ...(mac ? { mac } : {}), ...(sandbox ? { sandbox } : {}) });
  }
  const ips: CniIpConfig[] = [];
  for (const a of Array.isArray(json['ips']) ? json['ips'] : []) {
    if (!isRecord(a) || typeof a['address'] !== 'string') continue;
    const gateway = optString(a, 'gateway');
    const iface = a['interface'];
    ips.push({ address: a['address'], ...(gateway ? { gateway } : {}), ...(typeof iface === 'number' ? { interface: iface } : {}) });
  }
  const d = json['dns'];
  let dns: CniDns | undefined;
  if (isRecord(d)) {
    const nameservers = stringList(d['nameservers']);
    const search = stringList(d['search']);
    const options = stringList(d['options']);
    const domain = optString(d, 'domain');
    dns = { ...(nameservers ? { nameservers } : {}), ...(search ? { search } : {}), ...(options ? { options } : {}), ...(domain ? { domain } : {}) };
  }
  return { cniVersion: optString(json, 'cniVersion') ?? '', interfaces, ips, ...(dns ? { dns } : {}), raw: json };
}

/** Reads a plugin's printed error object; undefined when the output is not one. */
export function parseCniError(json: unknown): CniErrorBody | undefined {
  if (!isRecord(json) || typeof json['code'] !== 'number') return undefined;
  const details = optString(json, 'details');
  return { code: json['code'], msg: optString(json, 'msg') ?? '', ...(details ? { details } : {}) };
}
