/**
 * consul-template's parse* and to* helpers: strconv's parsers with their
 * messages, encoding/json, yaml.v2 and BurntSushi/toml output. Output is
 * trimmed of surrounding whitespace as consul-template trims it.
 */
import { fn } from './args.js';
import { marshalGoJSON } from './go-json.js';
import { marshalTOML } from './go-toml.js';
import { goFloat, goQuote } from './go-values.js';
import { parseIntegerArg } from './numbers.js';
import { marshalYAML, unmarshalYAML } from './go-yaml.js';
import { goTrimSpace } from './strings.js';
import type { TemplateFunc } from './types.js';

const syntaxError = (name: string, fnName: string, s: string): Error =>
  new Error(`${name}: strconv.${fnName}: parsing ${goQuote(s)}: invalid syntax`);
const rangeError = (name: string, fnName: string, s: string): Error =>
  new Error(`${name}: strconv.${fnName}: parsing ${goQuote(s)}: value out of range`);

/** strconv.ParseBool's accepted spellings. */
const bools: Record<string, boolean> = {
  '1': true, t: true, T: true, TRUE: true, true: true, True: true,
  '0': false, f: false, F: false, FALSE: false, false: false, False: false,
};

/** strconv.ParseFloat(s, 64) for decimal forms, inf, infinity and nan (hex floats are refused). */
function parseGoFloat(s: string): number {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  const digits = '[0-9](_?[0-9])*';
  if (!new RegExp(`^[+-]?(${digits}(\\.(${digits})?)?|\\.${digits})([eE][+-]?${digits})?$`).test(s) || s.includes('_')) {
    throw syntaxError('parseFloat', 'ParseFloat', s);
  }
  const f = Number(s);
  if (!Number.isFinite(f)) throw rangeError('parseFloat', 'ParseFloat', s);
  return f;
}

/** JSON.parse with Go's "empty input is an empty map" rule (consul-template's parseJSON). */
function parseJSON(s: string): unknown {
  if (s === '') return {};
  try {
    return JSON.parse(s) as unknown;
  } catch (err) {
    throw new Error(`parseJSON: ${(err as Error).message}`, { cause: err });
  }
}

const wrapped = (name: string, f: (v: unknown) => string) => (v: unknown): string => {
  try {
    return f(v);
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`, { cause: err });
  }
};

export function dataFuncs(): Record<string, TemplateFunc> {
  return {
    parseBool: fn('parseBool', ['string'], (s: string) => {
      if (s === '') return false;
      const b = bools[s];
      if (b === undefined) throw syntaxError('parseBool', 'ParseBool', s);
      return b;
    }),
    parseFloat: fn('parseFloat', ['string'], (s: string) => goFloat(s === '' ? 0 : parseGoFloat(s))),
    parseInt: fn('parseInt', ['string'], (s: string) => parseIntegerArg('parseInt', s)),
    parseUint: fn('parseUint', ['string'], (s: string) => parseIntegerArg('parseUint', s, true)),
    parseJSON: fn('parseJSON', ['string'], parseJSON),
    parseYAML: fn('parseYAML', ['string'], (s: string) => (s === '' ? {} : unmarshalYAML(s))),
    toJSON: fn('toJSON', ['any'], wrapped('toJSON', (v) => marshalGoJSON(v))),
    toJSONPretty: fn('toJSONPretty', ['any'], wrapped('toJSONPretty', (v) => marshalGoJSON(v, { indent: '  ' }))),
    toUnescapedJSON: fn('toUnescapedJSON', ['any'], wrapped('toUnescapedJSON', (v) => marshalGoJSON(v, { escapeHTML: false }))),
    toUnescapedJSONPretty: fn('toUnescapedJSONPretty', ['any'],
      wrapped('toUnescapedJSONPretty', (v) => marshalGoJSON(v, { indent: '  ', escapeHTML: false }))),
    toYAML: fn('toYAML', ['any'], wrapped('toYAML', (v) => goTrimSpace(marshalYAML(v)))),
    toTOML: fn('toTOML', ['any'], wrapped('toTOML', (v) => goTrimSpace(marshalTOML(v)))),
  };
}
