// Runs every golden case (testdata/golden/cases.json, expectations generated
// by Go's text/template into expected.json) through the engine and compares
// output and error text exactly.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { sprint } from './fmt.js';
import { parseTemplate, TemplateError, type FuncMap } from './index.js';

interface Case {
  name: string;
  template: string;
  data: unknown;
  missingKey?: 'default' | 'zero' | 'error';
  leftDelim?: string;
  rightDelim?: string;
}
interface Expected {
  name: string;
  output?: string;
  error?: string;
}

// From dist/src/template/engine back to the sources, where the JSON lives.
const here = dirname(fileURLToPath(import.meta.url));
const golden = join(here, '..', '..', '..', '..', 'src', 'template', 'engine', 'testdata', 'golden');
const cases = JSON.parse(readFileSync(join(golden, 'cases.json'), 'utf8')) as Case[];
const expected = new Map(
  (JSON.parse(readFileSync(join(golden, 'expected.json'), 'utf8')) as Expected[]).map((e) => [e.name, e]),
);

/** The functions main.go gives Go's templates. */
export const goldenFuncs: FuncMap = {
  upper: (...a: unknown[]) => sprint(a).toUpperCase(),
  fail: (...a: unknown[]) => {
    throw new Error('boom: ' + sprint(a));
  },
  list: (...a: unknown[]) => a,
  dict: (...a: unknown[]) => {
    const m: Record<string, unknown> = {};
    for (let i = 0; i + 1 < a.length; i += 2) m[sprint([a[i]])] = a[i + 1];
    return m;
  },
  add: (...a: unknown[]) => {
    let n = 0;
    for (const x of a) {
      if (typeof x !== 'number' || !Number.isInteger(x)) throw new Error(`add: not an int: ${sprint([x])}`);
      n += x;
    }
    return n;
  },
  nilfn: () => null,
  argc: (...a: unknown[]) => a.length,
};

function render(c: Case): Expected {
  try {
    const t = parseTemplate('app.tpl', c.template, {
      funcs: goldenFuncs,
      missingKey: c.missingKey,
      leftDelim: c.leftDelim,
      rightDelim: c.rightDelim,
    });
    return { name: c.name, output: t.execute(c.data) };
  } catch (e) {
    if (e instanceof TemplateError) return { name: c.name, error: e.message };
    throw e;
  }
}

test(`golden cases match Go's text/template (${cases.length})`, () => {
  const failures: string[] = [];
  for (const c of cases) {
    const want = expected.get(c.name);
    assert.ok(want, `no expectation for ${c.name}`);
    const got = render(c);
    if (got.output !== want.output || got.error !== want.error) {
      failures.push(`${c.name} ${JSON.stringify(c.template)}\n   want ${JSON.stringify(want)}\n   got  ${JSON.stringify(got)}`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length} of ${cases.length} cases differ:\n${failures.join('\n')}`);
});
