import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HclParserProcess } from './backend.js';
import { eventually } from '../model/testing/eventually.js';

test('HclParserProcess: parses in a child, reports syntax errors with file and line, answers concurrent parses, ends when idle', async () => {
  const p = new HclParserProcess(200);
  try {
    assert.deepEqual(await p.parse('a.hcl', 'a = 1\nb { c = "x" }\n'), { a: 1, b: [{ c: 'x' }] });
    await assert.rejects(p.parse('bad.hcl', 'a = = 2\n'), /bad\.hcl:1,5-6: Invalid expression/);
    const many = await Promise.all([1, 2, 3, 4].map((i) => p.parse(`v${i}.hcl`, `v = ${i}\n`)));
    assert.deepEqual(many, [{ v: 1 }, { v: 2 }, { v: 3 }, { v: 4 }]);
    assert.equal(p.loaded, true);
    // Idle: the child ends (its memory goes with it); the next parse starts a new one.
    await eventually(() => !p.loaded);
    assert.deepEqual(await p.parse('again.hcl', 'x = true\n'), { x: true });
  } finally {
    p.close();
  }
});

test('HclParserProcess: a parser that dies fails the parses in flight, and the next parse starts a new one', async () => {
  const p = new HclParserProcess(60_000);
  try {
    await p.parse('a.hcl', 'a = 1\n');
    const inFlight = p.parse('b.hcl', 'b = 2\n');
    p.close();
    await assert.rejects(inFlight, /HCL parser process/);
    assert.deepEqual(await p.parse('c.hcl', 'c = 3\n'), { c: 3 });
  } finally {
    p.close();
  }
});

test('HclParserProcess: a stack overflow in the parser comes back as a RangeError, and the child keeps parsing', async () => {
  const p = new HclParserProcess(60_000);
  try {
    await assert.rejects(p.parse('neg.hcl', `a = ${'!'.repeat(100_000)}true\n`), (err: unknown) => err instanceof RangeError);
    assert.deepEqual(await p.parse('ok.hcl', 'a = 1\n'), { a: 1 });
  } finally {
    p.close();
  }
});
