/**
 * consul-template's Nomad functions (template/nomad_funcs.go,
 * dependency/nomad_*.go) over drover's TemplateSources. Arguments parse with
 * consul-template's patterns; every read is recorded with deps.used so a
 * change re-renders, and what consul-template would block on is recorded
 * with deps.missing under consul-template's own dependency name.
 */
import { SourcePermissionError, type ServiceInstance } from '../sources.js';
import { checkArg } from './args.js';
import type { FuncContext } from './context.js';
import { goQuote } from './go-values.js';
import { NomadService, NomadServicesSnippet, NomadVarItems, NomadVarMeta, NomadVariable } from './nomad-values.js';
import type { TemplateFunc } from './types.js';
import { createHash } from 'node:crypto';

// dependency.go's building blocks; [[:word:]] is ASCII [0-9A-Za-z_].
const W = '0-9A-Za-z_';
const nvGetRe = new RegExp(`^/?(?<path>[^@]+)(@(?<namespace>[${W}\\-]+))?(\\.(?<region>[${W}\\-]+))?$`);
const nvListRe = new RegExp(`^/?(?<prefix>[^@]*)(@(?<namespace>([${W}\\-]+|\\*)))?(\\.(?<region>[${W}\\-]+))?$`);
const serviceRe = new RegExp(`^((?<tag>[${W}=:.\\-]+)\\.)?(?<name>[${W}\\-]+)(@(?<region>[${W}.\\-]+))?$`);
const servicesRe = new RegExp(`^(@(?<region>[${W}.\\-]+))?$`);

interface VarQuery {
  readonly path: string;
  readonly namespace: string;
  /** As written; "" when not given (consul-template then names it "global"). */
  readonly region: string;
}

/** `path[@namespace[.region]]`, as NewNVGetQuery: trimmed of spaces and of slashes at both ends. */
export function parseVarPath(defaultNamespace: string, s: string): VarQuery {
  const t = s.trim().replace(/^\/+|\/+$/g, '');
  const m = t === '' ? null : nvGetRe.exec(t);
  if (t !== '' && !m) throw new Error(`nomad.var.get: invalid format: ${goQuote(t)}`);
  const g = m?.groups ?? {};
  return { path: g['path'] ?? '', namespace: g['namespace'] || defaultNamespace, region: g['region'] ?? '' };
}

/** `prefix[@namespace[.region]]`, as NewNVListQuery: a prefix of only slashes is no prefix. */
export function parseVarPrefix(defaultNamespace: string, s: string): VarQuery {
  const m = s === '' ? null : nvListRe.exec(s);
  if (s !== '' && !m) throw new Error(`nomad.var.list: invalid format: ${goQuote(s)}`);
  const g = m?.groups ?? {};
  const prefix = g['prefix'] ?? '';
  return { path: prefix.replace(/\//g, '') === '' ? '' : prefix, namespace: g['namespace'] || defaultNamespace, region: g['region'] ?? '' };
}

const varKey = (q: VarQuery): string => `${q.path}@${q.namespace || 'default'}.${q.region || 'global'}`;

export function nomadFuncs(ctx: FuncContext): Record<string, TemplateFunc> {
  const { sources, deps } = ctx;

  const checkRegion = (dep: string, region: string): void => {
    if (region !== '' && region !== ctx.region) {
      throw new Error(`${dep}: no path to region ${goQuote(region)} (this agent serves region ${goQuote(ctx.region)})`);
    }
  };

  // A denied read fails the render with the dependency's name, as consul-template wraps fetch errors.
  const read = <T>(dep: string, f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (err instanceof SourcePermissionError) throw new Error(`${dep}: ${err.message}`, { cause: err });
      throw err;
    }
  };

  const nomadVar = (...args: unknown[]): NomadVarItems => {
    arity('nomadVar', args, 1);
    checkArg('string', args[0]);
    const s = args[0] as string;
    if (s === '') return new NomadVarItems();
    const q = parseVarPath(ctx.namespace, s);
    const dep = `nomad.var.block(${varKey(q)})`;
    checkRegion(dep, q.region);
    deps.used({ kind: 'variable', namespace: q.namespace, path: q.path });
    const v = read(dep, () => sources.variable(q.namespace, q.path));
    if (!v) {
      // consul-template's blocking query holds the render until the variable exists.
      deps.missing(dep);
      return new NomadVarItems();
    }
    return new NomadVariable(v).Items;
  };

  const nomadVarExists = (...args: unknown[]): boolean => {
    arity('nomadVarExists', args, 1);
    checkArg('string', args[0]);
    const s = args[0] as string;
    if (s === '') return false;
    const q = parseVarPath(ctx.namespace, s);
    const dep = `nomad.var.get(${varKey(q)})`;
    checkRegion(dep, q.region);
    deps.used({ kind: 'variable', namespace: q.namespace, path: q.path });
    return read(dep, () => sources.variable(q.namespace, q.path)) !== undefined;
  };

  const varList = (name: string, emptyIsSafe: boolean) => (...args: unknown[]): NomadVarMeta[] => {
    args.forEach((a) => checkArg('string', a));
    if (args.length > 1) {
      throw new Error(`nomadVarList takes either a single "prefix" parameter or none for all available variables; got: [${args.join(' ')}]`);
    }
    const q = parseVarPrefix(ctx.namespace, (args[0] as string | undefined) ?? '');
    const dep = `nomad.var.list(${varKey(q)})`;
    checkRegion(dep, q.region);
    if (q.namespace === '*') throw new Error(`${name}: listing every namespace ("@*") is not supported on drover; name the namespace`);
    deps.used({ kind: 'variable-prefix', namespace: q.namespace, prefix: q.path });
    let metas: NomadVarMeta[];
    try {
      metas = sources.listVariables(q.namespace, q.path).map((m) => new NomadVarMeta(m));
    } catch (err) {
      // consul-template's list query reads "Permission denied" as an empty list.
      if (!(err instanceof SourcePermissionError)) throw err;
      metas = [];
    }
    // nomadVarListSafe holds the render until the list is non-empty.
    if (metas.length === 0 && !emptyIsSafe) deps.missing(dep);
    return metas;
  };

  const nomadService = (...params: unknown[]): NomadService[] => {
    let spec: string;
    let choose: { count: number; key: string } | undefined;
    if (params.length === 1) {
      if (typeof params[0] !== 'string') throw new Error('expected string for <service> argument');
      spec = params[0];
    } else if (params.length === 3) {
      const [count, key, service] = params;
      if (typeof count !== 'number' || !Number.isInteger(count)) throw new Error('expected integer for <count> argument');
      if (typeof key !== 'string') throw new Error('expected string for <key> argument');
      if (typeof service !== 'string') throw new Error('expected string for <service> argument');
      spec = service;
      choose = { count, key };
    } else {
      throw new Error('expected arguments <service> or <count> <key> <service>');
    }
    const m = serviceRe.exec(spec);
    if (!m) throw new Error(`nomad.service: invalid format: ${goQuote(spec)}`);
    const g = m.groups ?? {};
    const name = g['name'] ?? '';
    const tag = g['tag'] ?? '';
    const region = g['region'] ?? '';
    const dep = `nomad.service(${tag ? tag + '.' : ''}${name}${region ? '@' + region : ''}${choose ? `:${choose.count}|${choose.key}` : ''})`;
    checkRegion(dep, region);
    deps.used({ kind: 'service', namespace: ctx.namespace, name });
    let instances = sources.service(ctx.namespace, name);
    if (choose) instances = chooseServices(dep, instances, choose.count, choose.key);
    if (tag) instances = instances.filter((s) => s.tags.includes(tag));
    return instances.map((s) => new NomadService(s));
  };

  const nomadServices = (...args: unknown[]): NomadServicesSnippet[] => {
    args.forEach((a) => checkArg('string', a));
    const s = args.join('');
    const m = servicesRe.exec(s);
    if (!m) throw new Error(`nomad.services: invalid format: ${goQuote(s)}`);
    const region = m.groups?.['region'] ?? '';
    checkRegion(region ? `nomad.services(@${region})` : 'nomad.services', region);
    deps.used({ kind: 'service-list', namespace: ctx.namespace });
    return sources.services(ctx.namespace).map((x) => new NomadServicesSnippet(x));
  };

  return {
    nomadVar,
    nomadVarExists,
    nomadVarList: varList('nomadVarList', true),
    nomadVarListSafe: varList('nomadVarListSafe', false),
    nomadService,
    nomadServices,
  };
}

function arity(name: string, args: unknown[], want: number): void {
  if (args.length !== want) throw new Error(`wrong number of args for ${name}: want ${want} got ${args.length}`);
}

/**
 * Nomad's `?choose=N|KEY` (nomad/service_registration_endpoint.go): rendezvous
 * hashing, so each requester (KEY, usually its alloc ID) gets a stable subset
 * of N instances that moves little when instances come and go.
 */
export function chooseServices(dep: string, services: readonly ServiceInstance[], count: number, key: string): ServiceInstance[] {
  if (key === '' || count < 0) {
    throw new Error(`${dep}: failed to choose services: Parameter for choose must be in form '<number>|<key>'`);
  }
  return services
    .map((s) => ({ s, hash: hashWith(s, key) }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
    .slice(0, count)
    .map((p) => p.s);
}

/** Nomad's ServiceRegistration.HashWith: sha256 over port (8 bytes big-endian), alloc, id, namespace, address, name, tags, key. */
export function hashWith(s: ServiceInstance, key: string): string {
  const port = Buffer.alloc(8);
  port.writeBigUInt64BE(BigInt.asUintN(64, BigInt(s.port)));
  const h = createHash('sha256').update(port);
  for (const part of [s.allocId, s.id, s.namespace, s.address, s.serviceName, ...s.tags, key]) h.update(part, 'utf8');
  return h.digest('hex');
}
