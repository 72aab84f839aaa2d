/**
 * The checker against Nomad's own expectations: the cases of
 * scheduler/feasible/feasible_test.go (TestResolveConstraintTarget,
 * TestCheckConstraint, TestCheckOrder, TestCheckVersionConstraint,
 * TestCheckSemverConstraint, TestCheckRegexpConstraint), written as tables.
 * A Go nil value is a target that is not found.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkOperand,
  constraintFilteredText,
  distinctFailure,
  distinctLimits,
  firstFailedConstraint,
  groupConstraints,
  placementConstraints,
  resolveTarget,
  type ConstraintNode,
  type ResolvedTarget,
} from './check.js';
import type { Constraint } from './constraint.js';

const node: ConstraintNode = {
  id: '4f8a1c2e-0000-4000-8000-000000000001',
  name: 'node-1',
  datacenter: 'dc1',
  nodeClass: 'linux-medium-pci',
  nodePool: 'default',
  attributes: { 'kernel.name': 'linux', 'nomad.version': '1.9.3', 'cpu.numcores': '8', 'driver.raw_exec': '1', 'unique.hostname': 'web-12' },
  meta: { 'pci-dss': 'true', rack: 'r1', tags: 'a, b ,c' },
};

/** A literal, or Go's nil (not found). */
const v = (s: string | null): ResolvedTarget => (s === null ? { value: '', found: false } : { value: s, found: true });

describe('resolveTarget (TestResolveConstraintTarget)', () => {
  const cases: [string, string | null][] = [
    ['${node.unique.id}', node.id],
    ['${node.datacenter}', 'dc1'],
    ['${node.unique.name}', 'node-1'],
    ['${node.class}', 'linux-medium-pci'],
    ['${node.pool}', 'default'],
    ['${node.foo}', null],
    ['${attr.kernel.name}', 'linux'],
    ['${attr.rand}', null],
    ['${meta.pci-dss}', 'true'],
    ['${meta.rand}', null],
    ['${driver.raw_exec}', null],
    ['${meta.constructor}', null],
    ['linux', 'linux'],
  ];
  for (const [target, want] of cases) {
    it(target, () => assert.deepEqual(resolveTarget(target, node), v(want)));
  }
});

describe('checkOperand (TestCheckConstraint)', () => {
  const cases: [string, string | null, string | null, boolean][] = [
    ['=', 'foo', 'foo', true],
    ['is', 'foo', 'foo', true],
    ['==', 'foo', 'foo', true],
    ['==', 'foo', null, false],
    ['==', null, 'foo', false],
    ['==', null, null, false],
    ['!=', 'foo', 'foo', false],
    ['!=', 'foo', 'bar', true],
    ['!=', null, 'foo', true],
    ['!=', 'foo', null, true],
    ['!=', null, null, false],
    ['not', 'foo', 'bar', true],
    ['version', '1.2.3', '~> 1.0', true],
    ['version', null, '~> 1.0', false],
    ['regexp', 'foobarbaz', '[\\w]+', true],
    ['regexp', null, '[\\w]+', false],
    ['<', 'foo', 'bar', false],
    ['<', null, 'bar', false],
    ['set_contains', 'foo,bar,baz', 'foo,  bar  ', true],
    ['set_contains', 'foo,bar,baz', 'foo,bam', false],
    ['set_contains_all', 'foo, bar ,baz', 'baz,foo', true],
    ['set_contains_any', 'foo,bar,baz', 'bam, baz', true],
    ['set_contains_any', 'foo,bar,baz', 'bam,boo', false],
    ['set_contains_any', null, 'foo', false],
    ['is_set', 'foo', null, true],
    ['is_set', null, null, false],
    ['is_not_set', null, null, true],
    ['is_not_set', 'foo', null, false],
    ['distinct_hosts', null, 'true', true],
    ['distinct_property', null, null, true],
    ['near', 'foo', 'foo', false],
  ];
  for (const [op, l, r, want] of cases) {
    it(`${String(l)} ${op} ${String(r)} → ${want}`, () => assert.equal(checkOperand(op, v(l), v(r)), want));
  }
});

describe('ordering (TestCheckOrder): int64, then float64, then bytewise', () => {
  const cases: [string, string, string, boolean][] = [
    ['<', 'bar', 'foo', true],
    ['<=', 'foo', 'foo', true],
    ['>', 'bar', 'foo', false],
    ['>=', 'bar', 'bar', true],
    ['>', '1', 'foo', false],
    ['<', '10', '1', false],
    ['<', '1', '10', true],
    ['<', '10.5', '1.5', false],
    ['<', '1.5', '10.5', true],
    // drover's own: mixed int/float parse as floats; a non-number falls back to bytes ("9" > "10" lexically).
    ['<', '2', '10.5', true],
    ['>', '9', '10a', true],
    ['>=', '-3', '-20', true],
    ['<', '9223372036854775808', '9223372036854775809', false],
  ];
  for (const [op, l, r, want] of cases) {
    it(`${l} ${op} ${r} → ${want}`, () => assert.equal(checkOperand(op, v(l), v(r)), want));
  }
});

describe('version (TestCheckVersionConstraint)', () => {
  const cases: [string, string, boolean][] = [
    ['1.2.3', '~> 1.0', true],
    ['1.2.3', '>= 1.0, < 1.4', true],
    ['2.0.1', '~> 1.0', false],
    ['1.4', '>= 1.0, < 1.4', false],
    ['1', '~> 1.0', true],
    ['1.3.0-beta1', '>= 0.6.1', false],
    ['1.7.0-alpha1', '>= 1.6.0-beta1', false],
    ['1.3.0-beta1+ent', '= 1.3.0-beta1', true],
    ['not-a-version', '>= 1.0', false],
    ['1.2.3', 'bogus', false],
  ];
  for (const [l, r, want] of cases) {
    it(`${l} version "${r}" → ${want}`, () => assert.equal(checkOperand('version', v(l), v(r)), want));
  }
});

describe('semver (TestCheckSemverConstraint)', () => {
  const cases: [string, string, string, boolean][] = [
    ['pessimistic operator always fails 1', '1.2.3', '~> 1.0', false],
    ['1.2.3 satisfies >= 1.0, < 1.4', '1.2.3', '>= 1.0, < 1.4', true],
    ['pessimistic operator always fails 2', '2.0.1', '~> 1.0', false],
    ['1.4 does not satisfy >= 1.0, < 1.4', '1.4', '>= 1.0, < 1.4', false],
    ['pessimistic operator always fails 3', '1', '~> 1.0', false],
    ['prereleases per semver 1', '1.3.0-beta1', '>= 0.6.1', true],
    ['prereleases per semver 2', '1.7.0-alpha1', '>= 1.6.0-beta1', true],
    ['prerelease of the same version is lower', '1.7.0-beta', '>= 1.7.0', false],
    ['GA satisfies a prerelease floor', '1.7.0', '>= 1.7.0-dev', true],
    ['beta.1 above a', '1.7.0-beta.1', '>= 1.7.0-a', true],
    ['rc.1 above dev', '1.7.0-rc.1', '>= 1.7.0-dev', true],
    ['metadata is ignored', '1.3.0-beta1+ent', '= 1.3.0-beta1', true],
  ];
  for (const [name, l, r, want] of cases) {
    it(name, () => assert.equal(checkOperand('semver', v(l), v(r)), want));
  }
});

describe('regexp (TestCheckRegexpConstraint)', () => {
  const cases: [string, string, boolean][] = [
    ['foobar', 'bar', true],
    ['foobar', '^foo', true],
    ['foobar', '^bar', false],
    ['zipzap', 'foo', false],
    ['web-12', '(?i)^WEB-\\d+$', true],
    ['a\rb', 'a.b', true],
    ['a\nb', 'a.b', false],
    ['a\nb', '(?s)a.b', true],
    ['x', '(', false],
  ];
  for (const [l, r, want] of cases) {
    it(`${JSON.stringify(l)} =~ ${r} → ${want}`, () => assert.equal(checkOperand('regexp', v(l), v(r)), want));
  }
});

describe('placement on this node', () => {
  const c = (lTarget: string, operand: string, rTarget: string): Constraint => ({ lTarget, operand, rTarget });

  it('reports the first failing constraint, job first, with the CLI line', () => {
    const job = { constraints: [c('${attr.kernel.name}', '=', 'linux')] };
    const group = { constraints: [c('${meta.rack}', '=', 'r1')], tasks: [{ constraints: [c('${attr.kernel.name}', '=', 'windows')] }, {}] };
    const all = placementConstraints(job, group);
    assert.equal(all.length, 3);
    assert.deepEqual(groupConstraints(group), all.slice(1));
    assert.deepEqual(firstFailedConstraint(all, node), {
      key: '${attr.kernel.name} = windows',
      message: 'Constraint "${attr.kernel.name} = windows": 1 nodes excluded by filter',
    });
    assert.equal(firstFailedConstraint(all.slice(0, 2), node), undefined);
    assert.equal(constraintFilteredText('missing drivers', 3), 'Constraint "missing drivers": 3 nodes excluded by filter');
  });

  it('distinct_hosts: one allocation of the group (or of the job, at job level) per node', () => {
    const group = distinctLimits({}, { constraints: [c('', 'distinct_hosts', 'true')] });
    assert.deepEqual(group, { jobHosts: false, groupHosts: true, properties: [] });
    assert.equal(distinctFailure(group, node, { job: 3, group: 0 }), undefined);
    assert.deepEqual(distinctFailure(group, node, { job: 1, group: 1 }), { key: 'distinct_hosts', message: 'Constraint "distinct_hosts": 1 nodes excluded by filter' });
    const job = distinctLimits({ constraints: [c('', 'distinct_hosts', '')] }, {});
    assert.equal(job.jobHosts, true);
    assert.equal(distinctFailure(job, node, { job: 1, group: 0 })?.key, 'distinct_hosts');
    // "false" turns it off; an unparsable value keeps it on (hasDistinctHostsConstraint).
    assert.equal(distinctLimits({}, { constraints: [c('', 'distinct_hosts', 'false')] }).groupHosts, false);
    assert.equal(distinctLimits({}, { constraints: [c('', 'distinct_hosts', 'yes')] }).groupHosts, true);
    // The system stack has no distinct_hosts iterator.
    assert.equal(distinctLimits({ type: 'system', constraints: [c('', 'distinct_hosts', 'true')] }, {}).jobHosts, false);
  });

  it('distinct_property: all allocations here share the value, so the count caps them', () => {
    const limits = distinctLimits({ constraints: [c('${meta.rack}', 'distinct_property', '2')] }, {});
    assert.deepEqual(limits.properties, [{ scope: 'job', property: '${meta.rack}', allowed: 2 }]);
    assert.equal(distinctFailure(limits, node, { job: 1, group: 1 }), undefined);
    assert.equal(distinctFailure(limits, node, { job: 2, group: 0 })?.key, 'distinct_property: ${meta.rack}=r1 used by 2 allocs');
    const missing = distinctLimits({}, { constraints: [c('${meta.zone}', 'distinct_property', '')] });
    assert.equal(distinctFailure(missing, node, { job: 0, group: 0 })?.key, 'missing property "${meta.zone}"');
  });
});
