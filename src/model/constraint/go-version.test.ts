/** go-version's own expectations (its constraint_test.go TestConstraintCheck cases), plus parse errors as Nomad prints them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareGoVersions, goVersionString, parseGoVersion, parseSemverConstraint, parseVersionConstraint } from './go-version.js';

describe('go-version constraints', () => {
  const cases: [string, string, boolean][] = [
    ['>= 1.0, < 1.2', '1.1.5', true], ['< 1.0, < 1.2', '1.1.5', false], ['= 1.0', '1.1.5', false], ['= 1.0', '1.0.0', true],
    ['1.0', '1.0.0', true], ['~> 1.0', '2.0', false], ['~> 1.0', '1.1', true], ['~> 1.0', '1.2.3', true],
    ['~> 1.0.0', '1.2.3', false], ['~> 1.0.0', '1.0.7', true], ['~> 1.0.0', '1.1.0', false], ['~> 1.0.7', '1.0.4', false],
    ['~> 1.0.7', '1.0.7', true], ['~> 1.0.7', '1.0.8', true], ['~> 1.0.7', '1.0.7.5', true], ['~> 1.0.7', '1.0.6.99', false],
    ['~> 1.0.7', '1.0.8.0', true], ['~> 1.0.9.5', '1.0.9.5', true], ['~> 1.0.9.5', '1.0.9.4', false], ['~> 1.0.9.5', '1.0.9.6', true],
    ['~> 1.0.9.5', '1.0.9.5.0', true], ['~> 1.0.9.5', '1.0.9.5.1', true], ['~> 2.0', '2.1.0-beta', false], ['~> 2.1.0-a', '2.2.0', false],
    ['~> 2.1.0-a', '2.1.0', false], ['~> 2.1.0-a', '2.1.0-beta', true], ['~> 2.1.0-a', '2.2.0-alpha', false], ['> 2.0', '2.1.0-beta', false],
    ['>= 2.1.0-a', '2.1.0-beta', true], ['>= 2.1.0-a', '2.1.1-beta', false], ['>= 2.0.0', '2.1.0-beta', false], ['>= 2.1.0-a', '2.1.1', true],
    ['>= 2.1.0-a', '2.1.0', true], ['<= 2.1.0-a', '2.0.0', true], ['!=1.0', 'v1.0.1', true], ['>=1.0beta1', '1.0.0-beta2', true],
  ];
  for (const [constraint, version, want] of cases) {
    it(`${version} ${constraint} → ${want}`, () => {
      const c = parseVersionConstraint(constraint);
      const ver = parseGoVersion(version);
      assert.ok(c.ok && ver.ok);
      assert.equal(c.value.every((t) => t.check(ver.value)), want);
    });
  }

  it('reports malformed input with go-version / Nomad semver text', () => {
    assert.deepEqual(parseVersionConstraint('>= 1.0, bogus'), { ok: false, error: 'malformed constraint:  bogus' });
    assert.deepEqual(parseVersionConstraint(''), { ok: false, error: 'malformed constraint: ' });
    assert.deepEqual(parseSemverConstraint('~> 1.0'), { ok: false, error: 'Malformed constraint: ~> 1.0' });
    assert.deepEqual(parseSemverConstraint('>= 1.0beta'), { ok: false, error: 'Malformed constraint: >= 1.0beta' });
    assert.equal(parseSemverConstraint('>= 1.0-beta').ok, true);
  });
});

describe('go-version ordering', () => {
  const cases: [string, string, number][] = [
    ['1.2.3', '1.4.5', -1], ['1.2-beta', '1.2-beta', 0], ['1.2', '1.1.4', 1], ['1.2', '1.2-beta', 1], ['1.2+foo', '1.2+beta', 0],
    ['v1.2', 'v1.2.0.0.1', -1], ['v1.2.0.0', 'v1.2.0.0.1', -1], ['1.7rc2', '1.7rc1', 1], ['1.7rc2', '1.7', -1], ['1.2.0', '1.2.0-X-1.2.0+metadata~dist', 1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1], ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1], ['1.0.0-beta.2', '1.0.0-beta.11', -1], ['1.0.0-rc.1', '1.0.0', -1],
  ];
  for (const [a, b, want] of cases) {
    it(`${a} vs ${b} → ${want}`, () => {
      const x = parseGoVersion(a);
      const y = parseGoVersion(b);
      assert.ok(x.ok && y.ok);
      assert.equal(compareGoVersions(x.value, y.value), want);
    });
  }

  it('parses the lenient syntax and pads segments', () => {
    const p = parseGoVersion('v1.2-beta.1+build.5');
    assert.ok(p.ok);
    assert.equal(goVersionString(p.value), '1.2.0-beta.1+build.5');
    assert.equal(parseGoVersion('1.2.3.').ok, false);
    assert.deepEqual(parseGoVersion('99999999999999999999'), {
      ok: false, error: 'error parsing version: strconv.ParseInt: parsing "99999999999999999999": value out of range',
    });
  });
});
