/**
 * Typed reads from one object of Nomad's API JSON (PascalCase fields, durations
 * in nanoseconds, null meaning unset), with every problem reported at its
 * field path: `Job.TaskGroups[0].Tasks[1].KillTimeout: expected a number`.
 */
import type { FieldProblem } from '../../model/errors.js';

/** The fields one JSON object may carry. */
export interface JsonFields {
  /** Fields the decoder reads. */
  readonly decoded: readonly string[];
  /** Nomad fields drover does not use: a warning when they carry a setting. */
  readonly ignored?: readonly string[];
  /** Fields the server sets (status, indexes): accepted and dropped without a word. */
  readonly server?: readonly string[];
}

/** Errors and warnings of one decode. */
export class JsonProblems {
  readonly errors: FieldProblem[] = [];
  readonly warnings: FieldProblem[] = [];

  error(field: string, message: string): void {
    this.errors.push({ field, message });
  }

  warn(field: string, message: string): void {
    this.warnings.push({ field, message });
  }
}

/** A plain JSON object (not a list, not null). */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Unset in Nomad's JSON: null, or the zero value canonical JSON writes for an unused stanza ([], {}, false, 0, ""). */
export function isZero(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  return isJsonObject(v) && Object.values(v).every(isZero);
}

/** Reads the fields of one JSON object; checks its field names on construction. */
export class JsonReader {
  constructor(
    readonly problems: JsonProblems,
    readonly path: string,
    readonly raw: Readonly<Record<string, unknown>>,
    fields: JsonFields,
  ) {
    for (const [key, value] of Object.entries(raw)) {
      if (fields.decoded.includes(key) || fields.server?.includes(key)) continue;
      if (fields.ignored?.includes(key)) {
        if (!isZero(value)) problems.warn(this.field(key), `"${key}" is not supported by drover yet and is ignored`);
        continue;
      }
      problems.error(this.field(key), `unknown field "${key}"`);
    }
  }

  /** `path.key`. */
  field(key: string): string {
    return `${this.path}.${key}`;
  }

  /** Whether the field carries a value (not absent, not null). */
  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  private bad(key: string, expected: string): undefined {
    this.problems.error(this.field(key), `expected ${expected}, got ${describeJson(this.raw[key])}`);
    return undefined;
  }

  string(key: string): string | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v : this.bad(key, 'a string');
  }

  bool(key: string): boolean | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'boolean' ? v : this.bad(key, 'a bool');
  }

  /** A whole number. */
  int(key: string): number | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.bad(key, 'a number');
    return Number.isInteger(v) ? v : this.bad(key, 'a whole number');
  }

  /** A Go time.Duration (integer nanoseconds) in ms; negative values are errors. */
  durationNs(key: string): number | undefined {
    const ns = this.int(key);
    if (ns === undefined) return undefined;
    if (ns < 0) {
      this.problems.error(this.field(key), `duration must not be negative, got ${ns}`);
      return undefined;
    }
    return ns / 1e6;
  }

  stringList(key: string): string[] | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) return this.bad(key, 'a list of strings');
    const out: string[] = [];
    v.forEach((item, i) => {
      if (typeof item === 'string') out.push(item);
      else this.problems.error(`${this.field(key)}[${i}]`, `expected a string, got ${describeJson(item)}`);
    });
    return out;
  }

  stringMap(key: string): Record<string, string> | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (!isJsonObject(v)) return this.bad(key, 'an object of strings');
    const out: Record<string, string> = {};
    for (const [k, item] of Object.entries(v)) {
      if (typeof item === 'string') out[k] = item;
      else this.problems.error(`${this.field(key)}.${k}`, `expected a string, got ${describeJson(item)}`);
    }
    return out;
  }

  /** A nested object as raw JSON (e.g. a driver's Config), or undefined when unset. */
  object(key: string): Record<string, unknown> | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    return isJsonObject(v) ? v : this.bad(key, 'an object');
  }

  /** A nested object read with its own fields, or undefined when unset. */
  nested(key: string, fields: JsonFields): JsonReader | undefined {
    const obj = this.object(key);
    return obj && new JsonReader(this.problems, this.field(key), obj, fields);
  }

  /** A list of objects, each read with its own fields at `path.key[i]`. */
  list(key: string, fields: JsonFields): JsonReader[] {
    const v = this.raw[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return this.bad(key, 'a list') ?? [];
    const out: JsonReader[] = [];
    v.forEach((item, i) => {
      const path = `${this.field(key)}[${i}]`;
      if (isJsonObject(item)) out.push(new JsonReader(this.problems, path, item, fields));
      else this.problems.error(path, `expected an object, got ${describeJson(item)}`);
    });
    return out;
  }
}

/** Describes a JSON value for a type-mismatch message. */
export function describeJson(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}
