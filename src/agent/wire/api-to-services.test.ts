import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../model/index.js';
import { toApiJob } from '../../model/nomad-api/job-to-api.js';
import { parseJob } from '../../jobspec/index.js';
import { WEB } from '../../jobspec/testdata/web-job.js';
import { testSchemas } from '../../jobspec/testdata/schemas.js';
import { fromApiJob } from './api-to-job.js';

describe('api job: Networks and Services', () => {
  it('reads back the same job from its API JSON (GET /v1/job, then PUT /v1/jobs)', async () => {
    const { job: j } = await parseJob(WEB, { file: 'web.nomad.hcl', drivers: testSchemas });
    const api = JSON.parse(JSON.stringify(toApiJob(j))) as unknown;
    const back = fromApiJob(api, testSchemas);
    assert.deepEqual(back.warnings, []);
    assert.deepEqual(back.job, j);
  });

  it('the JSON API names the same problems at JSON paths', () => {
    const raw = {
      ID: 'j',
      TaskGroups: [
        {
          Name: 'g',
          Networks: [{ DynamicPorts: [{ Label: 'http' }, { Label: 'http' }] }],
          Services: [{ Name: 'x', PortLabel: 'http', Checks: [{ Type: 'tcp', Timeout: 1e9 }] }],
          Tasks: [{ Name: 't', Driver: 'raw_exec', Config: { command: '/bin/true' } }],
        },
      ],
    };
    try {
      fromApiJob(raw, testSchemas);
      assert.fail('expected a ValidationError');
    } catch (err) {
      assert.ok(err instanceof ValidationError);
      const got = err.problems.map((p) => `${p.field}: ${p.message}`);
      assert.ok(got.includes('Job.TaskGroups[0].Networks[0].DynamicPorts[1].Label: Port label http already in use by taskgroup network'), got.join('\n'));
      assert.ok(got.some((g) => g.startsWith('Job.TaskGroups[0].Services[0].Checks[0].Interval: missing required value interval')), got.join('\n'));
    }
  });
});
