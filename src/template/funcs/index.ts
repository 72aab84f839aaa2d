/**
 * consul-template's template functions for drover: templateFuncs(ctx) is the
 * function map a task's templates render with, as Nomad's template hook
 * builds consul-template's (template/template.go funcMap): the Nomad
 * functions over the node's state, the helpers, sprig_*, the math, and the
 * Consul/Vault ones failing clearly. Nomad's client function_denylist
 * applies last.
 */
import { fn } from './args.js';
import { collectionFuncs } from './collections.js';
import type { FuncContext } from './context.js';
import { dataFuncs } from './data.js';
import { RFC3339, formatGoTime, instantFromMs } from './go-time.js';
import { goTypeName } from './go-values.js';
import { mathFuncs } from './math.js';
import { nomadFuncs } from './nomad.js';
import { sprigFuncs } from './sprig.js';
import { stringFuncs } from './strings.js';
import type { FuncMap, TemplateFunc } from './types.js';
import { unsupportedFuncs } from './unsupported.js';

export type { FuncContext } from './context.js';
export type { FuncMap, TemplateFunc } from './types.js';
export * from './nomad-values.js';
export { Scratch } from './collections.js';
export { GoTime } from './go-time.js';

/** Nomad's client default for template.function_denylist (client/config DefaultTemplateFunctionDenylist). */
export const defaultFunctionDenylist: readonly string[] = ['executeTemplate', 'plugin', 'writeToFile'];

/** ryanuber/go-glob, as consul-template matches denylist entries: "*" matches any run of characters. */
export function globMatch(pattern: string, s: string): boolean {
  if (pattern === '*') return true;
  const parts = pattern.split('*');
  if (parts.length === 1) return pattern === s;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!s.startsWith(first)) return false;
  let at = first.length;
  for (const p of parts.slice(1, -1)) {
    const i = s.indexOf(p, at);
    if (i < 0) return false;
    at = i + p.length;
  }
  return s.length - last.length >= at && s.endsWith(last);
}

/** The function map for one render: build it per render (scratch is per render, as consul-template's). */
export function templateFuncs(ctx: FuncContext): FuncMap {
  const env = (k: string): string | undefined => (Object.prototype.hasOwnProperty.call(ctx.env, k) ? ctx.env[k] : undefined);
  const r: Record<string, TemplateFunc> = {
    ...unsupportedFuncs(),
    ...nomadFuncs(ctx),
    ...stringFuncs(),
    ...dataFuncs(),
    ...collectionFuncs(),
    ...mathFuncs(),
    env: fn('env', ['string'], (k: string) => env(k) ?? ''),
    mustEnv: fn('mustEnv', ['string'], (k: string) => {
      const v = env(k) ?? '';
      if (v === '') throw new Error(`required environment variable ${k} is empty`);
      return v;
    }),
    envOrDefault: fn('envOrDefault', ['string', 'string'], (k: string, d: string) => env(k) ?? d),
    file: fn('file', ['string'], (s: string) => (s === '' ? '' : ctx.readFile(s.trim()))),
    timestamp: (...args: unknown[]) => {
      if (args.length > 1) throw new Error(`timestamp: wrong number of arguments, expected 0 or 1, but got ${args.length}`);
      const at = instantFromMs(ctx.now());
      if (args.length === 0) return formatGoTime(at, RFC3339);
      const layout = args[0];
      if (typeof layout !== 'string') throw new Error(`wrong type for value; expected string; got ${goTypeName(layout)}`);
      return layout === 'unix' ? String(at.sec) : formatGoTime(at, layout);
    },
    ...sprigFuncs(),
  };
  for (const pattern of ctx.functionDenylist ?? defaultFunctionDenylist) {
    for (const name of Object.keys(r)) {
      if (globMatch(pattern, name)) {
        r[name] = () => {
          throw new Error('function is disabled');
        };
      }
    }
  }
  return r;
}
