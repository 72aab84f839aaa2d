import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_SERVICE_RESCHEDULE, ValidationError, type Job } from '../../model/index.js';
import { toApiJob } from '../../model/nomad-api/job-to-api.js';
import { parseJob } from '../../jobspec/index.js';
import { testSchemas } from '../../jobspec/testdata/schemas.js';
import { fromApiJob } from './api-to-job.js';

const S = 1000;
const jobSrc = (type: string, top: string, groups: Record<string, string>): string => `job "j" {
  type = "${type}"
${top}
${Object.entries(groups).map(([name, body]) => `  group "${name}" {\n${body}\n    task "t" {\n      driver = "mock_driver"\n      config {\n        run_for = "1s"\n      }\n    }\n  }`).join('\n')}
}
`;

describe('API ReschedulePolicy', () => {
  it('JSON: round trip, job-level Reschedule merged, problems at the JSON field', async () => {
    const { job }: { job: Job } = await parseJob(jobSrc('service', '', { g: '    reschedule {\n      delay = "5s"\n      delay_function = "constant"\n    }' }), { drivers: testSchemas });
    const api = toApiJob(job);
    assert.deepEqual(api.TaskGroups?.[0]?.ReschedulePolicy, { Attempts: 0, Interval: 0, Delay: 5e9, DelayFunction: 'constant', MaxDelay: 3600e9, Unlimited: true });
    assert.deepEqual(fromApiJob(api, testSchemas).job, job);
    const merged = fromApiJob({ ...toApiJob({ ...job, groups: job.groups.map((g) => ({ ...g, reschedule: undefined })) }), Reschedule: { Attempts: 1, Interval: 60e9, Unlimited: false } }, testSchemas);
    assert.deepEqual(merged.job.groups[0]?.reschedule, { ...DEFAULT_SERVICE_RESCHEDULE, attempts: 1, intervalMs: 60 * S, unlimited: false });
    assert.throws(
      () => fromApiJob({ ...api, TaskGroups: [{ ...api.TaskGroups?.[0], ReschedulePolicy: { Delay: 1e9 } }] }, testSchemas),
      (err: unknown) => err instanceof ValidationError && err.problems.some((p) => p.field === 'Job.TaskGroups[0].ReschedulePolicy' && p.message === 'Delay cannot be less than 5s (got 1s)'),
    );
  });
});
