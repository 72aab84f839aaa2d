/** MaxRunDuration and Scaling through Nomad's API JSON: decoded, validated, and written back as Nomad does. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '../../model/errors.js';
import { toApiJob } from '../../model/nomad-api/job-to-api.js';
import { fromApiJob } from './api-to-job.js';
import { testSchemas } from '../../jobspec/testdata/schemas.js';

const apiJob = (type: string, group: Record<string, unknown>): Record<string, unknown> => ({
  ID: 'j',
  Type: type,
  TaskGroups: [{ Name: 'g', Tasks: [{ Name: 't', Driver: 'mock_driver', Config: {} }], ...group }],
});

function problems(job: unknown): string[] {
  try {
    fromApiJob(job, testSchemas);
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return err.problems.map((p) => `${p.field}: ${p.message}`);
  }
  return assert.fail('expected a validation error');
}

test('MaxRunDuration (ns) and Scaling decode, and round-trip through toApiJob', () => {
  const { job, warnings } = fromApiJob(apiJob('batch', { Count: 2, MaxRunDuration: 5e9, Scaling: { Max: 4, Policy: { cooldown: '1m' } } }), testSchemas);
  assert.deepEqual(warnings, []);
  const g = job.groups[0];
  assert.equal(g?.maxRunDurationMs, 5_000);
  assert.deepEqual(g?.scaling, { min: 2, max: 4, enabled: true, policy: { cooldown: '1m' } });
  const back = toApiJob(job).TaskGroups?.[0];
  assert.equal(back?.['MaxRunDuration'], 5e9);
  assert.deepEqual(back?.['Scaling'], { Min: 2, Max: 4, Policy: { cooldown: '1m' }, Enabled: true, Type: 'horizontal', Target: { Namespace: 'default', Job: 'j', Group: 'g' } });
  // What GET /v1/job returns is accepted again (job inspect | job run -json).
  const again = fromApiJob(toApiJob(job), testSchemas).job;
  assert.deepEqual(again.groups[0]?.scaling, g?.scaling);
  assert.equal(again.groups[0]?.maxRunDurationMs, 5_000);
});

test('Count defaults to Scaling.Min, as Nomad canonicalizes', () => {
  const { job } = fromApiJob(apiJob('service', { Scaling: { Min: 3, Max: 5 } }), testSchemas);
  assert.equal(job.groups[0]?.count, 3);
});

test('Nomad\'s validation errors, each at its field', () => {
  assert.deepEqual(problems(apiJob('service', { MaxRunDuration: 5e9 })), ['Job.TaskGroups[0].MaxRunDuration: Job type "service" does not allow max_run_duration']);
  assert.deepEqual(problems(apiJob('batch', { MaxRunDuration: 0 })), ['Job.TaskGroups[0].MaxRunDuration: MaxRunDuration must be greater than zero']);
  assert.deepEqual(problems(apiJob('service', { Count: 1, Scaling: { Min: 1 } })), [
    'Job.TaskGroups[0].Scaling: Scaling policy invalid: maximum count must be specified and non-negative',
    'Job.TaskGroups[0].Scaling: Scaling policy invalid: task group count must not be greater than maximum count in scaling policy',
  ]);
  assert.deepEqual(problems(apiJob('service', { Count: 1, Scaling: { Max: 2, Type: 'vertical_cpu' } })), ['Job.TaskGroups[0].Scaling.Type: task group scaling policy had invalid type: "vertical_cpu"']);
});
