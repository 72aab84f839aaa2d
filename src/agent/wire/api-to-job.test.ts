import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spec, ValidationError, type DriverSchemas, type FieldProblem } from '../../model/index.js';
import { fromApiJob } from './api-to-job.js';

const schema = spec.object({ run_for: spec.attr('duration') });
const schemaOf: DriverSchemas = { names: () => ['mock_driver'], taskConfigSchema: (driver) => (driver === 'mock_driver' ? schema : undefined) };

const task = (over: Record<string, unknown> = {}) => ({ Name: 't', Driver: 'mock_driver', Config: { run_for: '1s' }, ...over });
const jobWith = (group: Record<string, unknown> = {}, job: Record<string, unknown> = {}) => ({
  ID: 'j',
  TaskGroups: [{ Name: 'g', Tasks: [task()], ...group }],
  ...job,
});

function problems(raw: unknown): readonly FieldProblem[] {
  try {
    fromApiJob(raw, schemaOf);
  } catch (err) {
    assert.ok(err instanceof ValidationError);
    return err.problems;
  }
  return assert.fail('expected fromApiJob to fail');
}

test('api job: Nomad defaults for a minimal job; ns durations become ms', () => {
  const { job, warnings } = fromApiJob(jobWith({ ShutdownDelay: 2e9 }, {}), schemaOf);
  assert.deepEqual(warnings, []);
  assert.equal(job.name, 'j');
  assert.deepEqual(job.datacenters, ['*']);
  assert.equal(job.priority, 50);
  const g = job.groups[0];
  assert.equal(g?.count, 1);
  assert.equal(g?.shutdownDelayMs, 2_000);
  assert.equal(g?.ephemeralDiskMb, undefined);
  assert.equal(g?.tasks[0]?.killTimeoutMs, 5_000);
  assert.deepEqual(g?.tasks[0]?.resources, { cpu: 100, cores: 0, memoryMb: 300, memoryMaxMb: 0 });
});

test('api job: type errors name the JSON field path', () => {
  const p = problems(jobWith({ Tasks: [task(), task({ Name: 'u', KillTimeout: '5s' })] }));
  assert.deepEqual(p, [{ field: 'Job.TaskGroups[0].Tasks[1].KillTimeout', message: 'expected a number, got string "5s"' }]);
  assert.deepEqual(problems({ ID: 'j', TaskGroups: {} }), [{ field: 'Job.TaskGroups', message: 'expected a list, got an object' }]);
  assert.deepEqual(problems(jobWith({ Tasks: [task({ Config: { run_for: 'soon' } })] })).map((x) => x.field), ['Job.TaskGroups[0].Tasks[0].Config.run_for']);
});

test('api job: task logs must fit the group EphemeralDisk (300 MB unless set)', () => {
  const logs = { LogConfig: { MaxFiles: 10, MaxFileSizeMB: 50 } };
  assert.deepEqual(problems(jobWith({ Tasks: [task(logs)] })), [
    { field: 'Job.TaskGroups[0].Tasks[0].LogConfig', message: 'log storage (500 MB) must be less than requested disk capacity (300 MB)' },
  ]);
  const { job } = fromApiJob(jobWith({ EphemeralDisk: { SizeMB: 1000, Sticky: false, Migrate: false }, Tasks: [task(logs)] }), schemaOf);
  assert.equal(job.groups[0]?.ephemeralDiskMb, 1000);
  assert.deepEqual(job.groups[0]?.tasks[0]?.logs, { maxFiles: 10, maxFileSizeMb: 50, disabled: false });
});

test('api job: the shared rules, at JSON paths', () => {
  const p = problems(
    jobWith(
      { Count: -1, Tasks: [task({ Resources: { CPU: 100, MemoryMB: 5 }, Lifecycle: { Hook: 'prestrt' }, Artifacts: [{ GetterMode: 'x' }] })] },
      { Priority: 500, Type: 'batch', Update: { MaxParallel: 1 } },
    ),
  );
  const at = (field: string) => p.filter((x) => x.field === field).map((x) => x.message);
  assert.deepEqual(at('Job.Priority'), ['job priority must be between [1, 100], got 500']);
  assert.deepEqual(at('Job.Update'), ['Job type "batch" does not allow update block']);
  assert.deepEqual(at('Job.TaskGroups[0].Count'), ["Task group count can't be negative, got -1"]);
  assert.deepEqual(at('Job.TaskGroups[0].Tasks[0].Resources.MemoryMB'), ['minimum MemoryMB value is 10; got 5']);
  assert.match(at('Job.TaskGroups[0].Tasks[0].Lifecycle.Hook')[0] ?? '', /invalid hook "prestrt".*did you mean "prestart"/);
  assert.deepEqual(at('Job.TaskGroups[0].Tasks[0].Artifacts[0].GetterSource'), ['source must be specified']);
  assert.match(at('Job.TaskGroups[0].Tasks[0].Artifacts[0].GetterMode')[0] ?? '', /invalid artifact mode "x"/);
  // The only task is a prestart one (the invalid hook is dropped, so the task counts as main): no main-task error.
  assert.deepEqual(at('Job.TaskGroups[0]'), []);
});

test('api job: unknown fields are errors, ignored Nomad fields warn only when set, server fields pass silently', () => {
  assert.deepEqual(problems(jobWith({}, { Bogus: 1 })), [{ field: 'Job.Bogus', message: 'unknown field "Bogus"' }]);
  const { warnings } = fromApiJob(
    jobWith({ Networks: [{ Mode: 'bridge' }], Services: [], Tasks: [task({ Templates: null, Vault: { Policies: ['x'] } })] }, { Status: 'running', Version: 3, Constraints: [] }),
    schemaOf,
  );
  assert.deepEqual(
    warnings.map((w) => w.field),
    ['Job.TaskGroups[0].Tasks[0].Vault'],
  );
  assert.deepEqual(problems(jobWith({ Tasks: [{ Driver: 'mock_driver' }] })), [{ field: 'Job.TaskGroups[0].Tasks[0].Name', message: 'missing name' }]);
  assert.deepEqual(problems(jobWith({ Tasks: [task({ Driver: 'mock_drivr' })] })), [
    { field: 'Job.TaskGroups[0].Tasks[0].Driver', message: 'unknown driver "mock_drivr" (did you mean "mock_driver"?)' },
  ]);
});
