/**
 * Identity / Identities in the API JSON: the JSON job-to-api writes decodes to
 * the same task, and problems name JSON paths.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError, type Task } from '../../model/index.js';
import { toApiJob } from '../../model/nomad-api/job-to-api.js';
import { parseJob, type ParseJobOptions } from '../../jobspec/index.js';
import { testSchemas } from '../../jobspec/testdata/schemas.js';
import { fromApiJob } from './api-to-job.js';

const opts: ParseJobOptions = { file: 'id.nomad.hcl', drivers: testSchemas };

const withIdentity = (blocks: string): string => `job "ids" {
  group "g" {
    task "t" {
      driver = "mock_driver"
      config {
        run_for = "1s"
      }
${blocks}
    }
  }
}
`;

const taskOf = (job: { groups: readonly { tasks: readonly Task[] }[] }): Task => job.groups[0]?.tasks[0] as Task;

describe('Identity / Identities in the API JSON', () => {
  it('writes identities back as Identity / Identities and reads them again unchanged', async () => {
    const { job } = await parseJob(
      withIdentity(`      identity {
        file     = true
        filepath = "local/token"
      }
      identity {
        name        = "a"
        aud         = ["x", "y"]
        ttl         = "90s"
        env         = true
        change_mode = "restart"
      }
      identity {
        name = "b"
        aud  = ["z"]
        ttl  = "1h"
      }`),
      opts,
    );
    const api = toApiJob(job);
    const t = api.TaskGroups?.[0]?.Tasks?.[0];
    assert.deepEqual(t?.Identity, {
      Name: 'default', Audience: ['nomadproject.io'], ChangeMode: '', ChangeSignal: '', Env: false, File: true, Filepath: 'local/token', ServiceName: '', TTL: 0, ExtraClaims: null,
    });
    assert.equal(t?.Identities?.[0]?.TTL, 90e9);
    const back = fromApiJob(JSON.parse(JSON.stringify(api)), testSchemas);
    assert.deepEqual(back.job, job);
  });

  it('decodes the JSON API form with its problems at JSON paths', () => {
    const raw = toApiJob({ ...emptyJob(), groups: [] });
    const task = { Name: 't', Driver: 'mock_driver', Config: { run_for: '1s' }, Identity: { Env: true }, Identities: [{ Name: 'n', Audience: ['a'], TTL: 60e9, ChangeMode: 'signal' }] };
    try {
      fromApiJob({ ...raw, TaskGroups: [{ Name: 'g', Tasks: [task] }] }, testSchemas);
      assert.fail('expected a validation error');
    } catch (err) {
      assert.ok(err instanceof ValidationError);
      assert.deepEqual(err.problems, [
        { field: 'Job.TaskGroups[0].Tasks[0].Identities[0].ChangeSignal', message: 'change_signal must be specified when using change_mode="signal"' },
      ]);
    }
    const ok = fromApiJob({ ...raw, TaskGroups: [{ Name: 'g', Tasks: [{ ...task, Identities: [{ Name: 'n', Audience: ['a'], TTL: 60e9 }] }] }] }, testSchemas);
    const t = taskOf(ok.job);
    assert.equal(t.identity?.name, 'default');
    assert.equal(t.identity?.env, true);
    assert.equal(t.identities?.[0]?.ttlMs, 60_000);
  });
});

function emptyJob(): Parameters<typeof toApiJob>[0] {
  return { id: 'ids', name: 'ids', type: 'service', namespace: 'default', region: 'global', datacenters: ['*'], priority: 50, meta: {}, groups: [] };
}
