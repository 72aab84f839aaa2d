/**
 * Runs CNI plugins as the spec says a runtime does (containernetworking/cni
 * SPEC.md, "Execution protocol" and "Network configuration lists"): each
 * plugin binary is found by its `type` in the plugin directories and run with
 * CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS and CNI_PATH in
 * its environment and its configuration on stdin. For a list, ADD runs the
 * plugins in order, each given the previous one's result as `prevResult`;
 * DEL runs them in reverse with the ADD's final result; CHECK in order.
 * Capabilities a plugin declares (`"capabilities": {"portMappings": true}`)
 * receive the runtime's matching arguments under `runtimeConfig`.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { DroverError, ErrorCode, errorMessage, type ErrorCode as Code } from '../../model/errors.js';
import { CNI_ERROR, parseCniError, parseCniResult, type CniConfList, type CniErrorBody, type CniPluginConf, type CniResult } from './cni-types.js';

/** The three CNI operations drover uses (VERSION and GC are not needed). */
export type CniCommand = 'ADD' | 'DEL' | 'CHECK';

/** Who the network is for: what the spec calls the runtime configuration. */
export interface CniRuntimeConf {
  /** CNI_CONTAINERID: drover passes the allocation id, as Nomad does. */
  readonly containerId: string;
  /** CNI_NETNS: the namespace file. */
  readonly netnsPath: string;
  /** CNI_IFNAME: the interface inside the namespace ("eth0"). */
  readonly ifName: string;
  /** CNI_ARGS as key=value pairs. */
  readonly args?: Readonly<Record<string, string>>;
  /** Capability arguments, handed to plugins that declare the capability (portMappings, …). */
  readonly capabilityArgs?: Readonly<Record<string, unknown>>;
}

/** A CNI plugin that failed, or a plugin binary that could not be run. Names the plugin and the operation. */
export class CniPluginError extends DroverError {
  readonly plugin: string;
  readonly command: CniCommand;
  /** The plugin's CNI error code, when it printed one. */
  readonly cniCode: number | undefined;

  constructor(plugin: string, command: CniCommand, message: string, opts: { code: Code; cniCode?: number; recoverable?: boolean; cause?: unknown }) {
    super(opts.code, `CNI plugin "${plugin}" failed on ${command}: ${message}`, opts);
    this.plugin = plugin;
    this.command = command;
    this.cniCode = opts.cniCode;
  }
}

/** Options for one invocation. */
export interface InvokeOptions {
  readonly signal?: AbortSignal;
}

/** ADD's options: `onResult` sees each plugin's result as the chain goes (to record it before the next runs). */
export interface AddOptions extends InvokeOptions {
  readonly onResult?: (result: CniResult) => Promise<void>;
}

// Plugins run iptables and friends by name, so they get a root PATH of system directories, never the agent's own.
const PLUGIN_PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Runs plugins found in `pluginDirs` (CNI_PATH order). */
export class CniInvoker {
  readonly pluginDirs: readonly string[];

  constructor(pluginDirs: readonly string[]) {
    this.pluginDirs = pluginDirs;
  }

  /** The executable for `type`, first match in the plugin directories. */
  findPlugin(type: string): string | undefined {
    if (type.includes('/') || type === '.' || type === '..') return undefined;
    for (const dir of this.pluginDirs) {
      const path = join(dir, type);
      try {
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // not in this directory
      }
    }
    return undefined;
  }

  /** ADD through the whole list; returns the last plugin's result. */
  async addNetworkList(list: CniConfList, rt: CniRuntimeConf, opts: AddOptions = {}): Promise<CniResult> {
    let prev: CniResult | undefined;
    for (const plugin of list.plugins) {
      const out = await this.exec('ADD', list, plugin, rt, prev, opts);
      const result = parseCniResult(out);
      if (result === undefined) {
        throw new CniPluginError(plugin.type, 'ADD', 'printed no result object', { code: ErrorCode.internal });
      }
      prev = result;
      await opts.onResult?.(result);
    }
    if (prev === undefined) throw new DroverError(ErrorCode.validation, `CNI config list "${list.name}" has no plugins`);
    return prev;
  }

  /** CHECK through the list with the ADD's result (skipped when the list sets disableCheck). */
  async checkNetworkList(list: CniConfList, rt: CniRuntimeConf, prevResult: CniResult, opts: InvokeOptions = {}): Promise<void> {
    if (list.disableCheck === true) return;
    for (const plugin of list.plugins) await this.exec('CHECK', list, plugin, rt, prevResult, opts);
  }

  /**
   * DEL through the list in reverse, with the ADD's result when the caller
   * still has it. Every plugin runs even when an earlier one fails (a
   * teardown should release all it can); the failures are thrown together
   * afterwards. Plugins must already accept a DEL of something gone (spec:
   * "Plugins should generally complete a DEL action without error even if
   * some resources are missing"), so a second teardown succeeds.
   */
  async delNetworkList(list: CniConfList, rt: CniRuntimeConf, prevResult: CniResult | undefined, opts: InvokeOptions = {}): Promise<void> {
    const failures: CniPluginError[] = [];
    for (const plugin of [...list.plugins].reverse()) {
      try {
        await this.exec('DEL', list, plugin, rt, prevResult, opts);
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        failures.push(err instanceof CniPluginError ? err : new CniPluginError(plugin.type, 'DEL', errorMessage(err), { code: ErrorCode.internal, cause: err }));
      }
    }
    if (failures.length === 1) throw failures[0] as CniPluginError;
    if (failures.length > 1) {
      throw new DroverError(ErrorCode.internal, `CNI DEL of "${list.name}" failed in ${failures.length} plugins: ${failures.map((f) => f.message).join('; ')}`, {
        cause: failures,
      });
    }
  }

  /** The stdin configuration one plugin of `list` gets (libcni's buildOneConfig). */
  pluginStdin(list: CniConfList, plugin: CniPluginConf, rt: CniRuntimeConf, prevResult: CniResult | undefined): Record<string, unknown> {
    const conf: Record<string, unknown> = { ...plugin, name: list.name, cniVersion: list.cniVersion };
    if (prevResult !== undefined) conf['prevResult'] = prevResult.raw;
    const runtimeConfig: Record<string, unknown> = {};
    for (const [cap, on] of Object.entries(plugin.capabilities ?? {})) {
      const arg = rt.capabilityArgs?.[cap];
      if (on && arg !== undefined) runtimeConfig[cap] = arg;
    }
    if (Object.keys(runtimeConfig).length > 0) conf['runtimeConfig'] = runtimeConfig;
    return conf;
  }

  /** Runs one plugin; resolves its parsed stdout (undefined when it printed nothing). */
  private async exec(command: CniCommand, list: CniConfList, plugin: CniPluginConf, rt: CniRuntimeConf, prev: CniResult | undefined, opts: InvokeOptions): Promise<unknown> {
    const bin = this.findPlugin(plugin.type);
    if (bin === undefined) {
      throw new CniPluginError(plugin.type, command, `no executable "${plugin.type}" in the CNI path ${this.pluginDirs.join(':')}`, { code: ErrorCode.unavailable });
    }
    const env: Record<string, string> = {
      PATH: PLUGIN_PATH_ENV,
      CNI_COMMAND: command,
      CNI_CONTAINERID: rt.containerId,
      CNI_NETNS: rt.netnsPath,
      CNI_IFNAME: rt.ifName,
      CNI_PATH: this.pluginDirs.join(':'),
    };
    const args = Object.entries(rt.args ?? {});
    if (args.length > 0) env['CNI_ARGS'] = args.map(([k, v]) => `${k}=${v}`).join(';');
    const stdin = JSON.stringify(this.pluginStdin(list, plugin, rt, prev));
    const { code, stdout, stderr, spawnError } = await run(bin, env, stdin, opts.signal);
    if (spawnError !== undefined) {
      if (opts.signal?.aborted) throw spawnError;
      throw new CniPluginError(plugin.type, command, `cannot run ${bin}: ${spawnError.message}`, { code: ErrorCode.unavailable, cause: spawnError });
    }
    let parsed: unknown;
    const text = stdout.trim();
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (code === 0) {
      if (text !== '' && parsed === undefined) throw new CniPluginError(plugin.type, command, `printed output that is not JSON: ${clip(text)}`, { code: ErrorCode.internal });
      return parsed;
    }
    const body = parseCniError(parsed);
    if (body !== undefined) throw fromErrorBody(plugin.type, command, body);
    const said = clip(stderr.trim() || text) || 'no output';
    throw new CniPluginError(plugin.type, command, `exited with status ${code ?? 'signal'}: ${said}`, { code: ErrorCode.internal });
  }
}

function fromErrorBody(plugin: string, command: CniCommand, body: CniErrorBody): CniPluginError {
  const message = `${body.msg}${body.details ? ` (${body.details})` : ''} [CNI error ${body.code}]`;
  switch (body.code) {
    case CNI_ERROR.incompatibleVersion:
    case CNI_ERROR.unsupportedField:
    case CNI_ERROR.decode:
    case CNI_ERROR.invalidConfig:
    case CNI_ERROR.invalidEnv:
      return new CniPluginError(plugin, command, message, { code: ErrorCode.validation, cniCode: body.code });
    case CNI_ERROR.tryAgainLater:
      return new CniPluginError(plugin, command, message, { code: ErrorCode.unavailable, cniCode: body.code, recoverable: true });
    default:
      return new CniPluginError(plugin, command, message, { code: ErrorCode.internal, cniCode: body.code });
  }
}

function clip(s: string): string {
  return s.length > 2000 ? `${s.slice(0, 2000)}…` : s;
}

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly spawnError?: Error;
}

function run(bin: string, env: Record<string, string>, stdin: string, signal: AbortSignal | undefined): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(bin, [], { env, stdio: ['pipe', 'pipe', 'pipe'], ...(signal ? { signal } : {}) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let spawnError: Error | undefined;
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      spawnError = e;
    });
    // A plugin that exits without reading all of stdin gives EPIPE here; its exit status tells what happened.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
    child.on('close', (code) => {
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ...(spawnError ? { spawnError } : {}) });
    });
  });
}
