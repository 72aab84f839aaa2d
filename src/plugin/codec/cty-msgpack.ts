/**
 * go-cty's msgpack encoding (cty/msgpack), the format of every plugin config
 * and task config Nomad sends a plugin:
 *  - objects and maps are msgpack maps with keys in sorted order; an object
 *    carries every attribute of its type, nil when unset;
 *  - numbers are the smallest msgpack int when integral and within int64,
 *    float64 otherwise, and a decimal string when neither is exact;
 *  - a value whose declared type is dynamic (`any`) is wrapped as
 *    [bin(type JSON), value];
 *  - unknown values are msgpack extensions (never valid in a config).
 */
import { ExtData, decode } from '@msgpack/msgpack';
import { MsgpackWriter } from './msgpack-writer.js';
import { isPlainObject, sortedKeys, typeFromJson, typeOfValue, typeToJson, type CtyType } from './cty-type.js';

/** Encodes `value` as a cty value of type `type`; throws naming the path of a mismatch. */
export function encodeCty(value: unknown, type: CtyType): Buffer {
  const w = new MsgpackWriter();
  writeValue(w, value, type, '');
  return w.bytes();
}

/**
 * Encodes a value the way Nomad marshals a decoded config
 * (msgpack.Marshal(val, val.Type())): with its own concrete type, so no
 * dynamic wrappers appear and every object's keys are sorted.
 */
export function encodeCtyConcrete(value: unknown): Buffer {
  return encodeCty(value, typeOfValue(value));
}

/**
 * Decodes cty msgpack expecting `type`. Numbers come back as JS numbers
 * (precision beyond float64 is lost), nil as null, dynamic wrappers are
 * unwrapped; an unknown value throws.
 */
export function decodeCty(bytes: Uint8Array, type: CtyType): unknown {
  let raw: unknown;
  try {
    // Every element takes at least one byte: a header declaring more (a 5-byte array32 of 10 million) is refused at once
    // instead of the library looping over it for seconds.
    const n = bytes.length;
    raw = decode(bytes, { useBigInt64: true, maxArrayLength: n, maxMapLength: n, maxStrLength: n, maxBinLength: n, maxExtLength: n });
  } catch (err) {
    // @msgpack/msgpack throws RangeError for truncated or trailing bytes and DecodeError for bad ones (or overflows the stack).
    throw new Error(`invalid msgpack: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return readValue(raw, type, '');
}

function writeValue(w: MsgpackWriter, v: unknown, t: CtyType, path: string): void {
  if (t === 'dynamic') {
    if (v === null || v === undefined) return w.nil();
    // Dynamic values carry their real type beside them.
    const actual = typeOfValue(v);
    w.arrayHeader(2);
    w.bin(Buffer.from(JSON.stringify(typeToJson(actual))));
    return writeValue(w, v, actual, path);
  }
  if (v === null || v === undefined) return w.nil();
  if (t === 'string') {
    if (typeof v !== 'string') throw mismatch(path, 'string', v);
    return w.str(v);
  }
  if (t === 'number') return writeNumber(w, v, path);
  if (t === 'bool') {
    if (typeof v !== 'boolean') throw mismatch(path, 'bool', v);
    return w.bool(v);
  }
  switch (t[0]) {
    case 'list':
    case 'set': {
      if (!Array.isArray(v)) throw mismatch(path, t[0], v);
      w.arrayHeader(v.length);
      v.forEach((x, i) => writeValue(w, x, t[1], `${path}[${i}]`));
      return;
    }
    case 'tuple': {
      if (!Array.isArray(v) || v.length !== t[1].length) throw mismatch(path, `tuple of ${t[1].length}`, v);
      w.arrayHeader(v.length);
      v.forEach((x, i) => writeValue(w, x, t[1][i] as CtyType, `${path}[${i}]`));
      return;
    }
    case 'map': {
      if (!isPlainObject(v)) throw mismatch(path, 'map', v);
      const keys = sortedKeys(v);
      w.mapHeader(keys.length);
      for (const k of keys) {
        w.str(k);
        writeValue(w, v[k], t[1], join(path, k));
      }
      return;
    }
    case 'object': {
      if (!isPlainObject(v)) throw mismatch(path, 'object', v);
      for (const k of Object.keys(v)) if (!(k in t[1])) throw new Error(`${join(path, k) || '.'}: attribute not in the object type`);
      const keys = sortedKeys(t[1]);
      w.mapHeader(keys.length);
      for (const k of keys) {
        w.str(k);
        writeValue(w, v[k], t[1][k] as CtyType, join(path, k));
      }
      return;
    }
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function writeNumber(w: MsgpackWriter, v: unknown, path: string): void {
  if (typeof v === 'bigint') {
    if (v >= INT64_MIN && v <= INT64_MAX) return w.int(v);
    return w.str(v.toString());
  }
  if (typeof v !== 'number' || Number.isNaN(v)) throw mismatch(path, 'number', v);
  if (!Number.isFinite(v)) return w.float64(v); // cty encodes ±Inf as float64
  if (Number.isInteger(v)) {
    const n = BigInt(v);
    if (n >= INT64_MIN && n <= INT64_MAX) return w.int(n);
    return w.str(n.toString());
  }
  w.float64(v);
}

function readValue(v: unknown, t: CtyType, path: string): unknown {
  if (v instanceof ExtData) throw new Error(`${path || '.'}: value is unknown (a cty extension); configs must be fully known`);
  if (t === 'dynamic') return readDynamic(v, path);
  if (v === null || v === undefined) return null;
  if (t === 'string') {
    if (typeof v !== 'string') throw mismatch(path, 'string', v);
    return v;
  }
  if (t === 'number') return readNumber(v, path);
  if (t === 'bool') {
    if (typeof v !== 'boolean') throw mismatch(path, 'bool', v);
    return v;
  }
  switch (t[0]) {
    case 'list':
    case 'set':
      if (!Array.isArray(v)) throw mismatch(path, t[0], v);
      return v.map((x: unknown, i) => readValue(x, t[1], `${path}[${i}]`));
    case 'tuple':
      if (!Array.isArray(v)) throw mismatch(path, 'tuple', v);
      return v.map((x: unknown, i) => readValue(x, t[1][i] ?? 'dynamic', `${path}[${i}]`));
    case 'map': {
      if (!isPlainObject(v)) throw mismatch(path, 'map', v);
      const out: Record<string, unknown> = {};
      for (const k of sortedKeys(v)) out[k] = readValue(v[k], t[1], join(path, k));
      return out;
    }
    case 'object': {
      if (!isPlainObject(v)) throw mismatch(path, 'object', v);
      const out: Record<string, unknown> = {};
      // Every attribute of the type is present; extra keys pass through for the driver's own validation.
      for (const k of sortedKeys({ ...t[1], ...v })) out[k] = readValue(v[k], t[1][k] ?? 'dynamic', join(path, k));
      return out;
    }
  }
}

/**
 * A dynamic value: [bin(type JSON), value] when encoded against a dynamic
 * type; a bare value when (as Nomad does) the encoder used the concrete type.
 * No other cty value contains msgpack bin, so the two cannot be confused.
 */
function readDynamic(v: unknown, path: string): unknown {
  if (Array.isArray(v) && v.length === 2 && v[0] instanceof Uint8Array) {
    const type = typeFromJson(parseTypeJson(Buffer.from(v[0]).toString('utf8'), path));
    return readValue(v[1], type, path);
  }
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map((x: unknown, i) => readDynamic(x, `${path}[${i}]`));
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, readDynamic(x, join(path, k))]));
  return v;
}

function parseTypeJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${path || '.'}: the type of a dynamic value is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
}

function readNumber(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw mismatch(path, 'number', v);
}

function mismatch(path: string, expected: string, v: unknown): Error {
  const got = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
  return new Error(`${path || '.'}: expected ${expected}, got ${got}`);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
