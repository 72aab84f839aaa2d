/**
 * YAML as consul-template reads and writes it (gopkg.in/yaml.v2), through
 * the `yaml` package: YAML 1.1 scalars (yes/no/on/off are booleans, and
 * strings that look like them are quoted), sequences not indented under
 * their key, multi-line strings as literal blocks, map keys in yaml.v2's
 * order (numbers inside keys compare by value), struct fields lower-cased.
 */
import YAML from 'yaml';
import { goScalar, isGoMap, isGoStruct, mapEntries, structFields, type HasGoScalar } from './go-values.js';

/** yaml.v2's keyList.Less for string keys: runs of digits compare as numbers; non-letters sort before letters. */
export function compareYAMLKeys(a: string, b: string): number {
  const ar = [...a];
  const br = [...b];
  const isLetter = (c: string): boolean => /\p{L}/u.test(c);
  const isDigit = (c: string | undefined): boolean => c !== undefined && /\p{Nd}/u.test(c);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i]!;
    const bc = br[i]!;
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac.codePointAt(0)! - bc.codePointAt(0)!;
    if (al || bl) return bl ? -1 : 1;
    let an = 0;
    let bn = 0;
    if (ac === '0' || bc === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an - bn;
    if (ai !== bi) return ai - bi;
    return ac.codePointAt(0)! - bc.codePointAt(0)!;
  }
  return ar.length - br.length;
}

/** The value as yaml.v2 sees it: maps in its key order, structs as maps of lower-cased field names. */
function toYAMLData(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object') return v;
  if (goScalar in v) return (v as HasGoScalar)[goScalar]();
  if (Array.isArray(v)) return v.map(toYAMLData);
  if (isGoMap(v)) {
    const entries = mapEntries(v).sort(([a], [b]) => compareYAMLKeys(a, b));
    return new Map(entries.map(([k, x]) => [k, toYAMLData(x)]));
  }
  if (isGoStruct(v)) return new Map(structFields(v).map(([k, x]) => [k.toLowerCase(), toYAMLData(x)]));
  return v;
}

export function marshalYAML(v: unknown): string {
  return YAML.stringify(toYAMLData(v), {
    version: '1.1',
    indentSeq: false,
    blockQuote: 'literal',
    defaultStringType: 'PLAIN',
    defaultKeyType: 'PLAIN',
  });
}

/** The first document of `s`, maps as plain objects (Go's map[interface{}]interface{} read as a map). */
export function unmarshalYAML(s: string): unknown {
  const docs = YAML.parseAllDocuments(s, { version: '1.1' });
  const doc = Array.isArray(docs) ? docs[0] : docs;
  if (!doc) return null;
  const err = doc.errors[0];
  if (err) throw new Error(`yaml: ${err.message.split('\n')[0]}`);
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}
