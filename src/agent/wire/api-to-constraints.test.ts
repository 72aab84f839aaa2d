import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError, type FieldProblem } from '../../model/index.js';
import { toApiJob } from '../../model/nomad-api/job-to-api.js';
import { parseJob } from '../../jobspec/index.js';
import { testSchemas } from '../../jobspec/testdata/schemas.js';
import { fromApiJob } from './api-to-job.js';

function problems(raw: unknown): readonly FieldProblem[] {
  try {
    fromApiJob(raw, testSchemas);
  } catch (err) {
    assert.ok(err instanceof ValidationError);
    return err.problems;
  }
  return assert.fail('expected fromApiJob to fail');
}

const jobWith = (job: object, group: object, task: object) => ({
  ID: 'j',
  ...job,
  TaskGroups: [{ Name: 'g', ...group, Tasks: [{ Name: 't', Driver: 'mock_driver', Config: {}, ...task }] }],
});

test('api constraints: a jobspec job with constraints round-trips as api.Constraint {LTarget, RTarget, Operand}', async () => {
  const src = `job "j" {
  constraint {
    attribute = "\${attr.kernel.name}"
    value     = "linux"
  }
  group "g" {
    constraint {
      distinct_hosts = true
    }
    constraint {
      attribute = "\${attr.nomad.version}"
      version   = ">= 1.5"
    }
    task "t" {
      driver = "mock_driver"
      constraint {
        attribute = "\${meta.rack}"
        operator  = "is_set"
      }
    }
  }
}
`;
  const { job } = await parseJob(src, { file: 'c.nomad.hcl', drivers: testSchemas });
  const api = toApiJob(job);
  assert.deepEqual(api.Constraints, [{ LTarget: '${attr.kernel.name}', RTarget: 'linux', Operand: '=' }]);
  assert.deepEqual(api.TaskGroups?.[0]?.Constraints, [
    { LTarget: '', RTarget: 'true', Operand: 'distinct_hosts' },
    { LTarget: '${attr.nomad.version}', RTarget: '>= 1.5', Operand: 'version' },
  ]);
  assert.deepEqual(api.TaskGroups?.[0]?.Tasks?.[0]?.Constraints, [{ LTarget: '${meta.rack}', RTarget: '', Operand: 'is_set' }]);
  const back = fromApiJob(JSON.parse(JSON.stringify(api)), testSchemas);
  assert.deepEqual(back.job, job);
  assert.deepEqual(back.warnings, []);
});

test('api constraints: Affinities and Spreads pass without warnings; null Constraints means none', () => {
  const { job, warnings } = fromApiJob(
    jobWith({ Constraints: null, Affinities: [{ LTarget: '${node.datacenter}', RTarget: 'dc1', Operand: '=', Weight: 50 }], Spreads: [{ Attribute: '${node.datacenter}' }] },
      { Spreads: [{ Attribute: '${meta.rack}' }] }, { Affinities: [] }),
    testSchemas,
  );
  assert.deepEqual(warnings, []);
  assert.equal(job.constraints, undefined);
});

test('api constraints: Constraint.Validate problems name the JSON field; no operand default or shorthands on the API', () => {
  assert.deepEqual(problems(jobWith({ Constraints: [{ LTarget: '${attr.a}', RTarget: 'x' }] }, {}, {})), [
    { field: 'Job.Constraints[0].Operand', message: 'Constraint 1 validation failed: Missing constraint operand' },
    { field: 'Job.Constraints[0].Operand', message: 'Constraint 1 validation failed: Unknown constraint type ""' },
  ]);
  assert.deepEqual(problems(jobWith({}, { Constraints: [{ LTarget: '${attr.a}', RTarget: '[a-', Operand: 'regexp' }] }, {})), [
    { field: 'Job.TaskGroups[0].Constraints[0].RTarget', message: 'Constraint 1 validation failed: Regular expression failed to compile: error parsing regexp: missing closing ]: `[a-`' },
  ]);
  assert.deepEqual(problems(jobWith({}, {}, { Constraints: [{ Operand: 'distinct_property', LTarget: '${meta.rack}' }] })), [
    { field: 'Job.TaskGroups[0].Tasks[0].Constraints[0].Operand', message: 'Constraint 1 has disallowed Operand at task level: distinct_property' },
  ]);
  assert.deepEqual(problems(jobWith({ Constraints: [{ LTarget: '${attr.a}', Operand: '=', RTarget: 'x', Bogus: 1 }] }, {}, {})), [
    { field: 'Job.Constraints[0].Bogus', message: 'unknown field "Bogus"' },
  ]);
});
