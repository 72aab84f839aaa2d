import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError, type FieldProblem } from '../model/index.js';
import { parseJob } from './index.js';
import { testSchemas } from './testdata/schemas.js';

const parse = (src: string) => parseJob(src, { file: 'c.nomad.hcl', drivers: testSchemas });

async function problemsOf(src: string): Promise<readonly FieldProblem[]> {
  try {
    await parse(src);
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return err.problems;
  }
  return assert.fail('expected parseJob to fail');
}

/** `job` lines from line 2, `group` lines from line 4, `task` lines from line 7. */
const job = (atJob: string, atGroup: string, atTask: string): string => `job "c" {
${atJob}
  group "g" {
${atGroup}
    task "t" {
      driver = "mock_driver"
${atTask}
    }
  }
}
`;
const J = 'job.c';
const G = `${J}.group.g`;
const T = `${G}.task.t`;

async function expectProblem(src: string, field: string, line: number, message: string | RegExp): Promise<void> {
  const problems = await problemsOf(src);
  const hit = problems.find((p) => p.field === field && (typeof message === 'string' ? p.message === message : message.test(p.message)));
  assert.ok(hit, `no problem at ${field} matching ${String(message)}; got:\n${problems.map((p) => `  ${p.field}:${p.line}: ${p.message}`).join('\n')}`);
  assert.equal(hit.line, line);
}

const block = (body: string): string => `  constraint {\n${body}\n  }`;

describe('constraint blocks', () => {
  it('decode at job, group and task level; operator defaults to "="', async () => {
    const { job: j, warnings } = await parse(job(
      block('    attribute = "${attr.kernel.name}"\n    value     = "linux"'),
      block('    attribute = "${meta.rack}"\n    operator  = "!="\n    value     = "r1"'),
      block('    attribute = "${attr.driver.docker}"\n    operator  = "is_not_set"'),
    ));
    assert.deepEqual(warnings, []);
    assert.deepEqual(j.constraints, [{ lTarget: '${attr.kernel.name}', operand: '=', rTarget: 'linux' }]);
    assert.deepEqual(j.groups[0]?.constraints, [{ lTarget: '${meta.rack}', operand: '!=', rTarget: 'r1' }]);
    assert.deepEqual(j.groups[0]?.tasks[0]?.constraints, [{ lTarget: '${attr.driver.docker}', operand: 'is_not_set', rTarget: '' }]);
  });

  it('jobs without constraints carry no constraint fields', async () => {
    const { job: j } = await parse(job('', '', ''));
    assert.equal(j.constraints, undefined);
    assert.equal(j.groups[0]?.constraints, undefined);
    assert.equal(j.groups[0]?.tasks[0]?.constraints, undefined);
  });

  it("takes jobspec2's shorthands", async () => {
    const cases: [string, { lTarget: string; operand: string; rTarget: string }][] = [
      ['    attribute = "${attr.nomad.version}"\n    version   = ">= 1.5, < 2"', { lTarget: '${attr.nomad.version}', operand: 'version', rTarget: '>= 1.5, < 2' }],
      ['    attribute = "${attr.os.version}"\n    semver    = ">= 1.0.0-beta"', { lTarget: '${attr.os.version}', operand: 'semver', rTarget: '>= 1.0.0-beta' }],
      ['    attribute = "${attr.unique.hostname}"\n    regexp    = "^web-[0-9]+$"', { lTarget: '${attr.unique.hostname}', operand: 'regexp', rTarget: '^web-[0-9]+$' }],
      ['    attribute    = "${meta.tags}"\n    set_contains = "a,b"', { lTarget: '${meta.tags}', operand: 'set_contains', rTarget: 'a,b' }],
      ['    distinct_hosts = true', { lTarget: '', operand: 'distinct_hosts', rTarget: 'true' }],
      ['    operator = "distinct_hosts"\n    value    = "true"', { lTarget: '', operand: 'distinct_hosts', rTarget: 'true' }],
      ['    distinct_property = "${meta.rack}"\n    value             = "2"', { lTarget: '${meta.rack}', operand: 'distinct_property', rTarget: '2' }],
      ['    attribute = "${attr.vault.version}"\n    operator  = "is_set"', { lTarget: '${attr.vault.version}', operand: 'is_set', rTarget: '' }],
      ['    attribute = "${attr.cpu.numcores}"\n    operator  = ">="\n    value     = 4', { lTarget: '${attr.cpu.numcores}', operand: '>=', rTarget: '4' }],
    ];
    for (const [body, want] of cases) {
      const { job: j } = await parse(job('', block(body), ''));
      assert.deepEqual(j.groups[0]?.constraints, [want], body);
    }
  });

  it('affinity and spread are accepted without warnings', async () => {
    const { warnings } = await parse(job(
      '  affinity {\n    attribute = "${node.datacenter}"\n    value     = "dc1"\n    weight    = 50\n  }\n  spread {\n    attribute = "${node.datacenter}"\n  }',
      '  spread {\n    attribute = "${meta.rack}"\n  }',
      '  affinity {\n    attribute = "${meta.rack}"\n    value     = "r1"\n  }',
    ));
    assert.deepEqual(warnings, []);
  });

  it("reports Nomad's Constraint.Validate problems at the field and line", async () => {
    await expectProblem(job(block('    attribute = "${attr.a}"\n    regexp    = "(abc"'), '', ''), `${J}.constraint.regexp`, 4,
      'Constraint 1 validation failed: Regular expression failed to compile: error parsing regexp: missing closing ): `(abc`');
    await expectProblem(job('', block('    attribute = "${attr.a}"\n    version   = "not a version"'), ''), `${G}.constraint.version`, 6,
      'Constraint 1 validation failed: Version constraint is invalid: malformed constraint: not a version');
    await expectProblem(job('', block('    attribute = "${attr.a}"\n    semver    = "~> 1.0"'), ''), `${G}.constraint.semver`, 6,
      'Constraint 1 validation failed: Semver constraint is invalid: Malformed constraint: ~> 1.0');
    await expectProblem(job(block('    distinct_property = "${meta.rack}"\n    value             = "0"'), '', ''), `${J}.constraint.value`, 4,
      'Constraint 1 validation failed: Distinct Property must have an allowed count of 1 or greater: 0 < 1');
    await expectProblem(job(block('    distinct_property = "${meta.rack}"\n    value             = "two"'), '', ''), `${J}.constraint.value`, 4,
      'Constraint 1 validation failed: Failed to convert RTarget "two" to uint64: strconv.ParseUint: parsing "two": invalid syntax');
    await expectProblem(job('', '', block('    distinct_hosts = true')), `${T}.constraint.distinct_hosts`, 8,
      'Constraint 1 has disallowed Operand at task level: distinct_hosts');
    await expectProblem(job('', block('    attribute = "${attr.a}"'), ''), `${G}.constraint`, 4, 'Constraint 1 validation failed: Operator "=" requires an RTarget');
    await expectProblem(job('', block('    attribute = "${attr.a}"\n    operator  = "is_set"\n    value     = "x"'), ''), `${G}.constraint.value`, 7,
      'Constraint 1 validation failed: Operator "is_set" does not support an RTarget');
    await expectProblem(job('', block('    attribute = "${attr.a}"\n    operator  = "~="\n    value     = "x"'), ''), `${G}.constraint.operator`, 6,
      'Constraint 1 validation failed: Unknown constraint type "~="');
    await expectProblem(job('', block('    attribute = "${driver.docker}"\n    value     = "1"'), ''), `${G}.constraint.attribute`, 5,
      'Constraint 1 validation failed: unsupported attribute "${driver.docker}"');
    await expectProblem(job('', block('    value = "1"'), ''), `${G}.constraint`, 4,
      'Constraint 1 validation failed: no attribute provided but is required by operator');
    await expectProblem(job('', block('    attribute    = "${meta.x}"\n    set_contains = ""'), ''), `${G}.constraint`, 4,
      'Constraint 1 validation failed: Operator "=" requires an RTarget');
  });

  it('numbers the constraint within its block list', async () => {
    const src = job('', `${block('    attribute = "${attr.a}"\n    value = "1"')}\n${block('    attribute = "${attr.b}"\n    regexp = "a**"')}`, '');
    await expectProblem(src, `${G}.constraint[1].regexp`, 10,
      'Constraint 2 validation failed: Regular expression failed to compile: error parsing regexp: invalid nested repetition operator: `**`');
  });

  it('rejects unknown attributes in a constraint block', async () => {
    await expectProblem(job('', block('    attribute = "${attr.a}"\n    vaule = "1"'), ''), `${G}.constraint.vaule`, 6, /unknown .*"vaule".*did you mean "value"/);
  });
});
