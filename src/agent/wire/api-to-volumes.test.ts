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

const jobWith = (volumes: unknown, mounts: unknown[]) => ({
  ID: 'j',
  TaskGroups: [{ Name: 'g', Volumes: volumes, Tasks: [{ Name: 't', Driver: 'mock_driver', Config: {}, VolumeMounts: mounts }] }],
});

test('api volumes: a jobspec job with volumes round-trips through the JSON API unchanged', async () => {
  const src = `job "j" {
  group "g" {
    volume "certs" {
      type      = "host"
      source    = "ca"
      read_only = true
    }
    volume "data" {
      type     = "host"
      source   = "data"
      per_alloc = true
    }
    task "t" {
      driver = "mock_driver"
      volume_mount {
        volume      = "certs"
        destination = "/etc/ssl/ca"
      }
      volume_mount {
        volume           = "data"
        destination      = "/data"
        read_only        = true
        propagation_mode = "bidirectional"
      }
    }
  }
}
`;
  const { job } = await parseJob(src, { file: 'x.hcl', drivers: testSchemas });
  const api = JSON.parse(JSON.stringify(toApiJob(job))) as { TaskGroups: { Volumes: Record<string, { Source: string }>; Tasks: { VolumeMounts: unknown[] }[] }[] };
  assert.equal(api.TaskGroups[0]?.Volumes['certs']?.Source, 'ca');
  assert.equal(api.TaskGroups[0]?.Tasks[0]?.VolumeMounts.length, 2);
  assert.deepEqual(fromApiJob(api, testSchemas).job, job);
});

test('api volumes: errors name the JSON field', () => {
  const csi = problems(jobWith({ d: { Type: 'csi', Source: 'x' } }, []));
  assert.deepEqual(csi.map((p) => p.field), ['Job.TaskGroups[0].Volumes.d.Type']);
  assert.match(csi[0]?.message ?? '', /CSI volumes are not supported/);
  const undef = problems(jobWith({ d: { Type: 'host', Source: 'x' } }, [{ Volume: 'e', Destination: '/e' }]));
  assert.deepEqual(undef.map((p) => [p.field, p.message]), [['Job.TaskGroups[0].Tasks[0].VolumeMounts[0].Volume', 'Volume Mount (0) references undefined volume e']]);
  const mode = problems(jobWith({ d: { Type: 'host', Source: 'x' } }, [{ Volume: 'd', Destination: '/d', PropagationMode: 'rshared' }]));
  assert.equal(mode[0]?.field, 'Job.TaskGroups[0].Tasks[0].VolumeMounts[0].PropagationMode');
});
