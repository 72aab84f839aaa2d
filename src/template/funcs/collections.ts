/**
 * consul-template's helpers over lists and maps: containment, grouping
 * (byKey, byTag, byPort), explode, merge, loop, indent, and scratch.
 */
import { checkArg, fn } from './args.js';
import { checkChars, checkItems } from '../engine/index.js';
import { goNumber, goQuote, goTypeName, isGoEmpty, isGoMap, isPlainObject, mapEntries } from './go-values.js';
import { parseIntegerArg } from './numbers.js';
import type { TemplateFunc } from './types.js';

/** consul-template's in: an element of a slice of the same kind (int, float or string), or a substring. */
export function goIn(l: unknown, v: unknown): boolean {
  if (Array.isArray(l)) {
    return l.some((e) => {
      const ge = goNumber(e);
      const gv = goNumber(v);
      if (ge && gv) return ge.float === gv.float && ge.n === gv.n;
      return typeof e === 'string' && typeof v === 'string' && e === v;
    });
  }
  if (typeof l === 'string') return typeof v === 'string' && l.includes(v);
  return false;
}

/** containsAll / containsAny / containsNone / containsNotAll, as consul-template's containsSomeFunc. */
function containsSome(name: string, retTrue: boolean, invert: boolean): TemplateFunc {
  return fn(name, ['any', 'any'], (v: unknown, l: unknown) => {
    if (v !== null && !Array.isArray(v)) throw new Error(`wrong type for value; expected []interface {}; got ${goTypeName(v)}`);
    for (const x of v ?? []) if (goIn(l, x) !== invert) return !retTrue;
    return retTrue;
  });
}

interface KeyPairLike {
  readonly Key: string;
  readonly Value: unknown;
}

function keyPairs(name: string, v: unknown): KeyPairLike[] {
  if (v === null) return [];
  if (Array.isArray(v) && v.every((p) => p !== null && typeof p === 'object' && typeof (p as KeyPairLike).Key === 'string')) {
    return v as KeyPairLike[];
  }
  throw new Error(`wrong type for value; expected []*dependency.KeyPair; got ${goTypeName(v)} (${name} takes the result of tree or ls)`);
}

function explodeInto(m: Record<string, unknown>, k: string, v: unknown, p: string): void {
  if (k.includes('/')) {
    const parts = k.split('/');
    const top = parts[0]!;
    const rest = parts.slice(1).join('/');
    if (!(top in m)) m[top] = {};
    const nest = m[top];
    if (!isPlainObject(nest)) {
      throw new Error(`not a map: ${goQuote(p)}: ${goQuote(top)} already has value ${typeof nest === 'string' ? goQuote(nest) : String(nest)}`);
    }
    explodeInto(nest, rest, v, k);
    return;
  }
  if (k !== '') m[k] = v;
}

/** mergo.Map: src's keys fill dst where dst has no value (or an empty one), or always with override; nested maps merge. */
function mergeMaps(dst: unknown, src: unknown, override: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(isGoMap(dst) ? mapEntries(dst) : []);
  for (const [k, v] of isGoMap(src) ? mapEntries(src) : []) {
    const cur = out[k];
    if (isGoMap(cur) && isGoMap(v)) out[k] = mergeMaps(cur, v, override);
    else if (override || !(k in out) || isGoEmpty(cur)) out[k] = v;
  }
  return out;
}

/** consul-template's Scratch: a per-render key/value store. */
export class Scratch {
  static readonly goType = '*template.Scratch';
  readonly #values = new Map<string, unknown>();
  Key(k: string): boolean {
    checkArg('string', k);
    return this.#values.has(k);
  }
  Get(k: string): unknown {
    checkArg('string', k);
    return this.#values.get(k) ?? null;
  }
  Set(k: string, v: unknown): string {
    checkArg('string', k);
    this.#values.set(k, v);
    return '';
  }
  SetX(k: string, v: unknown): string {
    checkArg('string', k);
    if (!this.#values.has(k)) this.#values.set(k, v);
    return '';
  }
  MapSet(k: string, mk: string, v: unknown): string {
    return this.#mapSet(k, mk, v, true);
  }
  MapSetX(k: string, mk: string, v: unknown): string {
    return this.#mapSet(k, mk, v, false);
  }
  MapValues(k: string): unknown[] | null {
    checkArg('string', k);
    const m = this.#values.get(k);
    if (!isPlainObject(m)) return null;
    return mapEntries(m).map(([, v]) => v);
  }
  #mapSet(k: string, mk: string, v: unknown, overwrite: boolean): string {
    checkArg('string', k);
    checkArg('string', mk);
    if (!this.#values.has(k)) this.#values.set(k, {});
    const m = this.#values.get(k);
    if (!isPlainObject(m)) throw new Error(`${goQuote(k)} is not a map`);
    if (overwrite || !(mk in m)) m[mk] = v;
    return '';
  }
}

const tagsOf = (s: unknown): unknown => (s !== null && typeof s === 'object' ? (s as { Tags?: unknown }).Tags : undefined);

export function collectionFuncs(): Record<string, TemplateFunc> {
  const scratch = new Scratch();
  return {
    in: fn('in', ['any', 'any'], goIn),
    contains: fn('contains', ['any', 'any'], (v: unknown, l: unknown) => goIn(l, v)),
    containsAll: containsSome('containsAll', true, true),
    containsAny: containsSome('containsAny', false, false),
    containsNone: containsSome('containsNone', true, false),
    containsNotAll: containsSome('containsNotAll', false, true),
    byKey: fn('byKey', ['any'], (pairs: unknown) => {
      const m: Record<string, Record<string, unknown>> = {};
      for (const pair of keyPairs('byKey', pairs)) {
        const parts = pair.Key.split('/');
        const top = parts[0]!;
        const key = parts.slice(1).join('/');
        if (key === '') continue;
        (m[top] ??= {})[key] = { ...pair, Key: key };
      }
      return m;
    }),
    byTag: fn('byTag', ['any'], (services: unknown) => {
      const m: Record<string, unknown[]> = {};
      if (services === null) return m;
      if (!Array.isArray(services) || !services.every((s) => Array.isArray(tagsOf(s)))) {
        throw new Error(`byTag: wrong argument type ${goTypeName(services)}`);
      }
      for (const s of services) for (const t of tagsOf(s) as string[]) (m[t] ??= []).push(s);
      return m;
    }),
    byPort: fn('byPort', ['any'], (services: unknown) => {
      const m = new Map<number, unknown[]>();
      if (services === null) return m;
      const portOf = (s: unknown): unknown => (s !== null && typeof s === 'object' ? (s as { Port?: unknown }).Port : undefined);
      if (!Array.isArray(services) || !services.every((s) => typeof portOf(s) === 'number')) {
        throw new Error(`byPort: wrong argument type ${goTypeName(services)}`);
      }
      for (const s of services) {
        const p = portOf(s) as number;
        m.set(p, [...(m.get(p) ?? []), s]);
      }
      return new Map([...m.entries()].sort(([a], [b]) => a - b));
    }),
    byMeta: fn('byMeta', ['string', 'any'], () => {
      throw new Error('byMeta: groups Consul services (from service) by their metadata; drover has no Consul, and Nomad services carry no metadata in templates');
    }),
    explode: fn('explode', ['any'], (pairs: unknown) => {
      const m: Record<string, unknown> = {};
      try {
        for (const p of keyPairs('explode', pairs)) explodeInto(m, p.Key, p.Value, p.Key);
      } catch (err) {
        throw new Error(`explode: ${(err as Error).message}`, { cause: err });
      }
      return m;
    }),
    explodeMap: fn('explodeMap', ['map'], (mapIn: Record<string, unknown> | Map<unknown, unknown> | null) => {
      const m: Record<string, unknown> = {};
      try {
        for (const [k, v] of mapIn ? mapEntries(mapIn) : []) explodeInto(m, k, v, k);
      } catch (err) {
        throw new Error(`explodeMap: ${(err as Error).message}`, { cause: err });
      }
      return m;
    }),
    mergeMap: fn('mergeMap', ['map', 'map'], (dst: unknown, src: unknown) => mergeMaps(dst, src, false)),
    mergeMapWithOverride: fn('mergeMapWithOverride', ['map', 'map'], (dst: unknown, src: unknown) => mergeMaps(dst, src, true)),
    loop: (...args: unknown[]) => {
      if (args.length !== 1 && args.length !== 2) {
        throw new Error(`loop: wrong number of arguments, expected 1 or 2, but got ${args.length}`);
      }
      const to64 = (v: unknown): number => {
        if (typeof v === 'number' && Number.isInteger(v)) return v;
        if (typeof v === 'string') return parseIntegerArg('parseInt', v);
        throw new Error(`loop: bad argument type: ${goTypeName(v)}`);
      };
      const [start, stop] = args.length === 1 ? [0, to64(args[0])] : [to64(args[0]), to64(args[1])];
      checkItems('loop', stop - start);
      const out: number[] = [];
      for (let i = start; i < stop; i++) out.push(i);
      return out;
    },
    indent: fn('indent', ['int', 'string'], (spaces: number, s: string) => {
      if (spaces < 0) throw new Error('indent value must be a positive integer');
      checkChars('indent', spaces * (s.split('\n').length) + s.length);
      // Go's loop: the prefix goes before every byte that starts a line and is not itself a newline.
      const prefix = ' '.repeat(spaces);
      let out = '';
      let atLineStart = true;
      for (const c of s) {
        if (atLineStart && c !== '\n') out += prefix;
        out += c;
        atLineStart = c === '\n';
      }
      return out;
    }),
    scratch: fn('scratch', [], () => scratch),
  };
}
