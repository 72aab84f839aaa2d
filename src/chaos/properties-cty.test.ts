/**
 * Property-based tests (issue 16, hostile input) for go-cty's msgpack codec
 * (src/plugin/codec/cty-msgpack.ts), the encoding of every driver config on
 * the go-plugin wire: decode(encode(v, T), T) equals v for values of every
 * cty type drover supports, and arbitrary bytes given to the decoder give a
 * value or an Error naming what is wrong, never a TypeError, RangeError or a
 * hang.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { report } from './campaign.js';
import { Tally, check, params } from './properties-harness.js';
import { decodeCty, encodeCty, encodeCtyConcrete } from '../plugin/codec/cty-msgpack.js';
import type { CtyType } from '../plugin/codec/cty-type.js';

const key = fc.oneof(fc.constantFrom('a', 'b', 'command', 'args', 'ä', '', 'Z', '_'), fc.string({ maxLength: 6 }));

/** cty types, nested at random. */
const ctyType: fc.Arbitrary<CtyType> = fc.letrec<{ t: CtyType }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom<CtyType>('string', 'number', 'bool', 'dynamic'),
    fc.tuple(fc.constantFrom('list' as const, 'set' as const, 'map' as const), tie('t')).map(([k, t]): CtyType => [k, t]),
    fc.dictionary(key, tie('t'), { maxKeys: 4 }).map((attrs): CtyType => ['object', attrs]),
    fc.array(tie('t'), { maxLength: 4 }).map((els): CtyType => ['tuple', els]),
  ),
})).t;

/** A value of type `t` (null anywhere, as cty allows). Numbers are those a JS number holds exactly. */
function valueOf(t: CtyType): fc.Arbitrary<unknown> {
  const nul = fc.constant(null);
  const or = (a: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => fc.oneof({ weight: 5, arbitrary: a }, { weight: 1, arbitrary: nul });
  if (t === 'string') return or(fc.string({ unit: 'grapheme', maxLength: 20 }));
  if (t === 'number') return or(fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.constantFrom(0, -0.5, 2 ** 53, -(2 ** 63), 1e300)));
  if (t === 'bool') return or(fc.boolean());
  if (t === 'dynamic') return or(fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 })));
  switch (t[0]) {
    case 'list':
    case 'set':
      return or(fc.array(valueOf(t[1]), { maxLength: 4 }));
    case 'map':
      return or(fc.dictionary(key, valueOf(t[1]), { maxKeys: 4 }));
    case 'object': {
      const attrs = t[1];
      return or(fc.record(Object.fromEntries(Object.keys(attrs).map((k) => [k, valueOf(attrs[k] as CtyType)]))));
    }
    case 'tuple':
      return or(fc.tuple(...t[1].map(valueOf)));
  }
}

/** What decoding gives back for `v`: cty has no -0 and no undefined, and a dynamic value holds whole numbers as numbers. */
function normalize(v: unknown): unknown {
  if (Object.is(v, -0)) return 0;
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

const roundTrip = new Tally();
const garbage = new Tally();
/** The decoder documents plain Errors naming the path; the library's own errors must not leak as TypeError or RangeError. */
const decoderError = (err: unknown): boolean => err instanceof Error && err.constructor === Error && err.message.trim() !== '';

test('cty msgpack: decode(encode(v, T), T) equals v for every type', () =>
  roundTrip.run(() => {
    fc.assert(
      fc.property(ctyType.chain((t) => fc.tuple(fc.constant(t), valueOf(t))), ([t, v]) =>
        check(roundTrip, () => false, () => decodeCty(encodeCty(v, t), t), (back) => assert.deepEqual(back, normalize(v))),
      ),
      params(800),
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => check(roundTrip, decoderError, () => encodeCtyConcrete(v))),
      params(300),
    );
  }));

test('cty msgpack: any bytes decode to a value or an Error, never a TypeError, RangeError or hang', () =>
  garbage.run(() => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      // Valid encodings with a byte changed, cut short or extended: the decoder's deep paths.
      fc.tuple(ctyType.chain((t) => fc.tuple(fc.constant(t), valueOf(t))), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat({ max: 3 })).map(([[t, v], at, b, how]) => {
        const enc = Buffer.from(encodeCty(v, t));
        if (enc.length === 0) return enc;
        const i = at % enc.length;
        if (how === 0) enc[i] = b;
        if (how === 1) return enc.subarray(0, i);
        if (how === 2) return Buffer.concat([enc, Buffer.from([b])]);
        return enc;
      }),
      // Huge declared lengths, deep nesting, extension types.
      fc.constantFrom(
        Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff]),
        Buffer.from([0xdf, 0xff, 0xff, 0xff, 0xff]),
        Buffer.from([0xdb, 0xff, 0xff, 0xff, 0xff]),
        Buffer.from([0xc6, 0xff, 0xff, 0xff, 0xff]),
        Buffer.alloc(20_000, 0x91),
        Buffer.concat([Buffer.from([0x92, 0xc4, 0x08]), Buffer.from('"bogus!"'), Buffer.from([0xc0])]),
        Buffer.concat([Buffer.from([0x92, 0xc4, 0x03]), Buffer.from('{}]'), Buffer.from([0xc0])]),
        Buffer.from([0xd4, 0x00, 0x00]),
        Buffer.from([0xc7, 0x01, 0xff, 0x00]),
      ),
    );
    fc.assert(fc.property(bytes, ctyType, (b, t) => check(garbage, decoderError, () => decodeCty(b, t))), params(800));
  }));

after(() => {
  report({
    scenario: 'fuzz: cty msgpack round trip',
    runs: roundTrip.runs,
    checked: 'decode(encode(v, T), T) deep-equals v for random cty types and values',
    result: roundTrip.result,
    figures: roundTrip.figures(),
  });
  report({
    scenario: 'fuzz: cty msgpack decoder on garbage',
    runs: garbage.runs,
    checked: 'random and corrupted bytes decode to a value or a plain Error naming the problem, each within the hang guard',
    result: garbage.result,
    figures: garbage.figures(),
  });
});
