/**
 * YAML as consul-template reads and writes it (gopkg.in/yaml.v2), through
 * the `yaml` package: YAML 1.1 scalars (yes/no/on/off are booleans, and
 * strings that look like them are quoted), sequences not indented under
 * their key, multi-line strings as literal blocks, map keys in yaml.v2's
 * order (numbers inside keys compare by value), struct fields lower-cased.
 */
import YAML from 'yaml';
import { goScalar, isGoMap, isGoStruct, mapEntries, structFields, unboxFloat, type HasGoScalar } from './go-values.js';

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

/**
 * The value as yaml.v2 sees it, built as YAML nodes: maps in its key order,
 * structs as maps of lower-cased field names. (A JS Map would be written as
 * !!omap under YAML 1.1, and a plain object would reorder integer-like keys.)
 */
function toYAMLNode(x: unknown): YAML.Scalar | YAML.YAMLMap | YAML.YAMLSeq {
  const v = unboxFloat(x);
  if (v === null || v === undefined) return new YAML.Scalar(null);
  if (typeof v !== 'object') return new YAML.Scalar(v);
  if (goScalar in v) return new YAML.Scalar((v as HasGoScalar)[goScalar]());
  if (Array.isArray(v)) {
    const seq = new YAML.YAMLSeq();
    seq.items = v.map(toYAMLNode);
    return seq;
  }
  const entries = isGoMap(v)
    ? mapEntries(v).sort(([a], [b]) => compareYAMLKeys(a, b))
    : isGoStruct(v) ? structFields(v).map(([k, x]): [string, unknown] => [k.toLowerCase(), x]) : [];
  const map = new YAML.YAMLMap();
  map.items = entries.map(([k, x]) => new YAML.Pair(new YAML.Scalar(k), toYAMLNode(x)));
  return map;
}

export function marshalYAML(v: unknown): string {
  const doc = new YAML.Document(null, { version: '1.1' });
  doc.contents = toYAMLNode(v);
  return doc.toString({
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
