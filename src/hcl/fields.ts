/**
 * Typed reads from one hcl2json block body, with HCL's primitive conversions
 * ("3" → 3, 3 → "3") and every problem reported at `path.key` with its line.
 */
import { parseDuration, suggest } from '../model/index.js';
import type { Report } from './report.js';

/** Names a reader decodes at one level, and names it accepts with a warning; any other name is an error. */
export interface LevelNames {
  readonly decoded: readonly string[];
  readonly ignored: readonly string[];
}

/** A plain JSON object (not a list, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One labeled block occurrence: `task "web" { ... }`. */
export interface Labeled {
  readonly label: string;
  /** The block's field path, e.g. `job.x.group.web`. */
  readonly path: string;
  /** Path locating this occurrence (`...group.web[1]` for a duplicate). */
  readonly linePath: string;
  /** 0 for the first block with this label, 1 for a duplicate, … */
  readonly occurrence: number;
  readonly body: Record<string, unknown>;
}

/** Reads attributes and blocks of one body; checks its names on construction. */
export class BodyReader {
  constructor(
    readonly report: Report,
    readonly path: string,
    readonly raw: Record<string, unknown>,
    names: LevelNames,
    what: string,
  ) {
    checkNames(report, path, raw, names, what);
  }

  /** Whether the key was written (and is not null). */
  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  /** `path.key`. */
  field(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  private bad(key: string, expected: string): undefined {
    this.report.error(this.field(key), `expected ${expected}, got ${describeValue(this.raw[key])}`);
    return undefined;
  }

  /** A string attribute (numbers and bools convert, as in HCL). */
  string(key: string): string | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.bad(key, 'a string');
  }

  /** A number attribute (fractions allowed). */
  number(key: string): number | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) return this.bad(key, 'a number');
    return n;
  }

  /** A whole-number attribute. */
  int(key: string): number | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) return this.bad(key, 'a number');
    if (!Number.isInteger(n)) return this.bad(key, 'a whole number');
    return n;
  }

  /** A bool attribute ("true"/"false" strings convert). */
  bool(key: string): boolean | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (v === 'true' || v === 'false') return v === 'true';
    if (typeof v !== 'boolean') return this.bad(key, 'a bool');
    return v;
  }

  /** A Go duration ("30s"; a number is nanoseconds, as in Nomad) in ms; negative values are errors. */
  duration(key: string): number | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    let ms: number;
    if (typeof v === 'number') ms = v / 1e6;
    else if (typeof v === 'string') {
      try {
        ms = parseDuration(v);
      } catch (err) {
        this.report.error(this.field(key), (err as Error).message);
        return undefined;
      }
    } else return this.bad(key, 'a duration string such as "30s"');
    if (ms < 0) {
      this.report.error(this.field(key), `duration must not be negative, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return ms;
  }

  /** A list of strings. */
  stringList(key: string): string[] | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) return this.bad(key, 'a list of strings');
    const out: string[] = [];
    for (const item of v) {
      if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') out.push(String(item));
      else return this.bad(key, 'a list of strings');
    }
    return out;
  }

  /** A map of strings, written as `key { a = "b" }` or `key = { a = "b" }`. */
  stringMap(key: string): Record<string, string> | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    const maps = Array.isArray(v) ? v : [v];
    const out: Record<string, string> = {};
    for (const m of maps) {
      if (!isObject(m)) return this.bad(key, 'a map of strings');
      for (const [k, item] of Object.entries(m)) {
        if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') out[k] = String(item);
        else this.report.error(`${this.field(key)}.${k}`, `expected a string, got ${describeValue(item)}`);
      }
    }
    return out;
  }

  /** All unlabeled blocks of a type (`artifact { }` ...), each with its path. */
  blocks(key: string): { path: string; body: Record<string, unknown> }[] {
    const v = this.raw[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every(isObject)) {
      this.report.error(this.field(key), `"${key}" must be a block: ${key} { ... }`);
      return [];
    }
    return v.map((body, i) => ({ path: v.length > 1 ? `${this.field(key)}[${i}]` : this.field(key), body }));
  }

  /** At most one unlabeled block of a type; undefined when absent. */
  block(key: string): Record<string, unknown> | undefined {
    const all = this.blocks(key);
    if (all.length > 1) this.report.error(this.field(key), `only one "${key}" block is allowed`, `${this.field(key)}[1]`);
    return all[0]?.body;
  }

  /** Labeled blocks of a type in source order, duplicates included (flagged by `occurrence`). */
  labeled(key: string, what: string): Labeled[] {
    const v = this.raw[key];
    if (v === undefined || v === null) return [];
    if (!isObject(v)) {
      this.report.error(this.field(key), `a ${what} block needs one label, its name: ${key} "name" { ... }`);
      return [];
    }
    const out: Labeled[] = [];
    for (const [label, list] of Object.entries(v)) {
      const path = `${this.field(key)}.${label}`;
      if (!Array.isArray(list) || !list.every(isObject)) {
        this.report.error(path, `a ${what} block takes exactly one label`);
        continue;
      }
      list.forEach((body, occurrence) => out.push({ label, path, linePath: `${path}[${occurrence}]`, occurrence, body }));
    }
    // hcl2json sorts keys; the locator knows the order they were written in.
    const line = (l: Labeled): number => this.report.locator.line(l.linePath) ?? 0;
    return out.sort((a, b) => line(a) - line(b));
  }
}

/** Reports unknown names (errors, with a suggestion) and ignored ones (warnings). */
function checkNames(report: Report, path: string, raw: Record<string, unknown>, names: LevelNames, what: string): void {
  for (const [key, value] of Object.entries(raw)) {
    if (names.decoded.includes(key)) continue;
    const field = path === '' ? key : `${path}.${key}`;
    if (names.ignored.includes(key)) {
      report.warn(field, `"${key}" is not supported by drover yet and is ignored`);
      continue;
    }
    if (key === 'dynamic') {
      report.error(field, 'dynamic blocks are not supported by drover');
      continue;
    }
    const kind = report.locator.kind(field) ?? (Array.isArray(value) && value.every(isObject) ? 'block' : 'attribute');
    report.error(field, `unknown ${kind} "${key}" in ${what}${suggest(key, [...names.decoded, ...names.ignored])}`);
  }
}

/** Describes a JSON value for a type-mismatch message. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return v.length > 0 && v.every(isObject) ? 'a block' : 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? `${typeof v} ${v}` : typeof v;
}
