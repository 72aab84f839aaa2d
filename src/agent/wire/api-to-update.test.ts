/** Update strategies in Nomad's JSON job: job-level merged under group-level over the defaults, validated, round-tripped. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError, DEFAULT_UPDATE_STRATEGY } from '../../model/index.js';
import { toApiJob } from '../../model/nomad-api/job-to-api.js';
import { fromApiJob } from './api-to-job.js';
import { testSchemas } from '../../jobspec/testdata/schemas.js';

const S = 1_000_000_000;

function apiJob(extra: Record<string, unknown>, group: Record<string, unknown> = {}, type = 'service'): Record<string, unknown> {
  return { ID: 'j', Type: type, ...extra, TaskGroups: [{ Name: 'g', Count: 3, ...group, Tasks: [{ Name: 't', Driver: 'mock_driver', Config: {} }] }] };
}

test('a service job without Update gets Nomad\'s default strategy; batch jobs none', () => {
  assert.deepEqual(fromApiJob(apiJob({}), testSchemas).job.groups[0]?.update, DEFAULT_UPDATE_STRATEGY);
  assert.equal(fromApiJob(apiJob({}, {}, 'batch'), testSchemas).job.groups[0]?.update, undefined);
});

test('group fields override the job\'s, which override the defaults; the JSON round-trips', () => {
  const { job } = fromApiJob(apiJob({ Update: { MaxParallel: 2, MinHealthyTime: 1 * S, AutoRevert: true } }, { Update: { MaxParallel: 3, Canary: 1 } }), testSchemas);
  const u = job.groups[0]?.update;
  assert.deepEqual(u, { ...DEFAULT_UPDATE_STRATEGY, maxParallel: 3, minHealthyTimeMs: 1000, autoRevert: true, canary: 1 });
  assert.deepEqual(fromApiJob(toApiJob(job), testSchemas).job, job);
});

test('bad strategies are refused with the field and Nomad\'s message', () => {
  assert.throws(
    () => fromApiJob(apiJob({}, { Update: { HealthCheck: 'nope', MinHealthyTime: 10 * 60 * S } }), testSchemas),
    (err: unknown) =>
      err instanceof ValidationError &&
      err.problems.some((p) => p.field === 'Job.TaskGroups[0].Update.HealthCheck' && p.message === 'Invalid health check given: "nope"') &&
      err.problems.some((p) => p.field === 'Job.TaskGroups[0].Update.MinHealthyTime' && p.message === 'Minimum healthy time must be less than healthy deadline: 10m0s > 5m0s'),
  );
});

test('max_parallel above the count is a warning (Nomad\'s TaskGroup.Warnings)', () => {
  const { warnings } = fromApiJob(apiJob({}, { Update: { MaxParallel: 5 } }), testSchemas);
  assert.ok(warnings.some((w) => /Update max parallel count is greater than task group count \(5 > 3\)/.test(w.message)));
});
