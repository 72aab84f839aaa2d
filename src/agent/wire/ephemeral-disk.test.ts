/**
 * ephemeral_disk { size sticky migrate }: HCL and JSON API decoding with
 * Nomad's defaults and EphemeralDisk.Validate, the JSON round trip, and
 * which changes replace allocations (Nomad's tasksUpdated).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError, type Job, type TaskGroup } from '../../model/index.js';
import { toApiJob } from '../../model/nomad-api/job-to-api.js';
import { fromApiJob } from './api-to-job.js';
import { destructiveChange } from '../core/task-diff.js';
import { parseJob, type ParseJobOptions } from '../../jobspec/index.js';
import { testSchemas } from '../../jobspec/testdata/schemas.js';

const opts: ParseJobOptions = { file: 'disk.nomad.hcl', drivers: testSchemas };

const withDisk = (block: string): string => `job "disk" {
  group "g" {
${block}
    task "t" {
      driver = "mock_driver"
      config {
        run_for = "1s"
      }
    }
  }
}
`;

const groupOf = (job: Job): TaskGroup => job.groups[0] as TaskGroup;

async function problems(hcl: string): Promise<string[]> {
  try {
    await parseJob(hcl, opts);
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return err.problems.map((p) => `${p.field}:${p.line ?? '?'}: ${p.message}`);
  }
  return assert.fail('expected a validation error');
}

describe('ephemeral_disk block', () => {
  it('decodes size, sticky and migrate, and fills Nomad defaults for what is unset', async () => {
    const full = await parseJob(withDisk('    ephemeral_disk {\n      size    = 500\n      sticky  = true\n      migrate = true\n    }'), opts);
    assert.deepEqual(full.warnings, []);
    const g = groupOf(full.job);
    assert.equal(g.ephemeralDiskMb, 500);
    assert.equal(g.ephemeralDiskSticky, true);
    assert.equal(g.ephemeralDiskMigrate, true);

    const sticky = groupOf((await parseJob(withDisk('    ephemeral_disk {\n      sticky = true\n    }'), opts)).job);
    assert.deepEqual([sticky.ephemeralDiskMb, sticky.ephemeralDiskSticky, sticky.ephemeralDiskMigrate], [300, true, false]);

    const none = groupOf((await parseJob(withDisk(''), opts)).job);
    assert.deepEqual([none.ephemeralDiskMb, none.ephemeralDiskSticky, none.ephemeralDiskMigrate], [undefined, undefined, undefined]);
  });

  it('rejects a size under Nomad\'s 10 MB, bad types and unknown fields, naming field and line', async () => {
    assert.deepEqual(await problems(withDisk('    ephemeral_disk {\n      size = 5\n    }')), [
      'job.disk.group.g.ephemeral_disk.size:4: minimum DiskMB value is 10; got 5',
      // Nomad reports this one too: the default logs (10 × 10 MB) no longer fit.
      'job.disk.group.g.task.t.logs:6: log storage (100 MB) must be less than requested disk capacity (5 MB)',
    ]);
    const bad = await problems(withDisk('    ephemeral_disk {\n      sticky = "yes"\n      migrat = true\n    }'));
    assert.equal(bad.length, 2, bad.join('\n'));
    assert.match(bad.find((p) => p.includes('.sticky')) ?? '', /^job\.disk\.group\.g\.ephemeral_disk\.sticky:4: /);
    assert.match(bad.find((p) => p.includes('.migrat')) ?? '', /^job\.disk\.group\.g\.ephemeral_disk\.migrat:5: /);
  });

  it('writes api.EphemeralDisk {SizeMB, Sticky, Migrate} and reads it back equal', async () => {
    const { job } = await parseJob(withDisk('    ephemeral_disk {\n      size   = 1000\n      sticky = true\n    }'), opts);
    const api = toApiJob(job);
    assert.deepEqual(api.TaskGroups?.[0]?.EphemeralDisk, { SizeMB: 1000, Sticky: true, Migrate: false });
    assert.deepEqual(fromApiJob(JSON.parse(JSON.stringify(api)), testSchemas).job, job);

    const plain = (await parseJob(withDisk(''), opts)).job;
    const plainApi = toApiJob(plain);
    assert.equal(plainApi.TaskGroups?.[0]?.EphemeralDisk, undefined);
    assert.deepEqual(fromApiJob(JSON.parse(JSON.stringify(plainApi)), testSchemas).job, plain);
  });

  it('JSON: canonicalizes a partial EphemeralDisk and names the JSON path of a problem', () => {
    const raw = toApiJob(emptyJob());
    const task = { Name: 't', Driver: 'mock_driver', Config: { run_for: '1s' } };
    const ok = fromApiJob({ ...raw, TaskGroups: [{ Name: 'g', EphemeralDisk: { Migrate: true }, Tasks: [task] }] }, testSchemas);
    const g = groupOf(ok.job);
    assert.deepEqual([g.ephemeralDiskMb, g.ephemeralDiskSticky, g.ephemeralDiskMigrate], [300, false, true]);
    assert.throws(
      () => fromApiJob({ ...raw, TaskGroups: [{ Name: 'g', EphemeralDisk: { SizeMB: 0 }, Tasks: [task] }] }, testSchemas),
      (err: unknown) =>
        err instanceof ValidationError &&
        err.problems.some((p) => p.field === 'Job.TaskGroups[0].EphemeralDisk.SizeMB' && p.message === 'minimum DiskMB value is 10; got 0'),
    );
  });

  it('any change to size, sticky or migrate replaces the allocations, as Nomad\'s EphemeralDisk.Equal says', async () => {
    const base = (await parseJob(withDisk(''), opts)).job;
    const same = (await parseJob(withDisk('    ephemeral_disk {\n      size = 300\n    }'), opts)).job;
    const sticky = (await parseJob(withDisk('    ephemeral_disk {\n      sticky = true\n    }'), opts)).job;
    const bigger = (await parseJob(withDisk('    ephemeral_disk {\n      sticky = true\n      size = 400\n    }'), opts)).job;
    assert.equal(destructiveChange(base, same, 'g'), undefined);
    assert.equal(destructiveChange(base, sticky, 'g'), 'ephemeral disk');
    assert.equal(destructiveChange(sticky, bigger, 'g'), 'ephemeral disk');
    assert.equal(destructiveChange(sticky, sticky, 'g'), undefined);
  });
});

/** A job with no groups, for its API JSON's job-level fields. */
function emptyJob(): Job {
  return { id: 'disk', name: 'disk', type: 'service', namespace: 'default', region: 'global', datacenters: ['*'], priority: 50, meta: {}, groups: [] };
}
