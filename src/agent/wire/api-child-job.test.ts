import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError, type FieldProblem } from '../../model/index.js';
import { toApiJob } from '../../model/nomad-api/job-to-api.js';
import { fromApiJob } from './api-to-job.js';
import { parseJob } from '../../jobspec/index.js';
import { testSchemas } from '../../jobspec/testdata/schemas.js';
import { nextCronTime } from '../../jobspec/cron.js';

const parse = (src: string) => parseJob(src, { file: 'j.hcl', drivers: testSchemas });

async function problems(src: string): Promise<readonly FieldProblem[]> {
  try {
    await parse(src);
  } catch (err) {
    assert.ok(err instanceof ValidationError);
    return err.problems;
  }
  return assert.fail('expected parseJob to fail');
}

const job = (top: string, task = '', type = 'batch') => `job "p" {
  type = "${type}"
${top}
  group "g" {
    task "t" {
      driver = "mock_driver"
${task}
    }
  }
}
`;

describe('periodic, parameterized and dispatch_payload in the jobspec', () => {
  it('decodes periodic with defaults, parameterized with its payload default, and round-trips through the JSON API', async () => {
    const { job: j } = await parse(
      job(
        `  periodic {
    crons = ["*/2 * * * * *", "0 9 * * 1-5"]
    time_zone = "Europe/Paris"
    prohibit_overlap = true
  }
  parameterized {
    meta_required = ["a"]
    meta_optional = ["b"]
  }`,
        '      dispatch_payload {\n        file = "in/payload.txt"\n      }',
      ),
    );
    assert.deepEqual(j.periodic, { enabled: true, spec: '', specs: ['*/2 * * * * *', '0 9 * * 1-5'], prohibitOverlap: true, timeZone: 'Europe/Paris' });
    assert.deepEqual(j.parameterized, { payload: 'optional', metaRequired: ['a'], metaOptional: ['b'] });
    assert.deepEqual(j.groups[0]?.tasks[0]?.dispatchPayload, { file: 'in/payload.txt' });
    const api = JSON.parse(JSON.stringify(toApiJob(j))) as Record<string, unknown>;
    assert.deepEqual(api['Periodic'], { Enabled: true, Spec: '', Specs: ['*/2 * * * * *', '0 9 * * 1-5'], SpecType: 'cron', ProhibitOverlap: true, TimeZone: 'Europe/Paris' });
    assert.deepEqual(fromApiJob(api, testSchemas).job, j);
  });

  it('child fields (ParentID, Dispatched, Payload, token) round-trip', async () => {
    const { job: j } = await parse(job('  parameterized {\n    payload = "required"\n  }'));
    const child = { ...j, id: 'p/dispatch-1-abcdef01', parentId: 'p', dispatched: true, payload: Buffer.from('hi').toString('base64'), dispatchIdempotencyToken: 'tok' };
    const api = JSON.parse(JSON.stringify(toApiJob(child))) as Record<string, unknown>;
    assert.equal(api['ParentID'], 'p');
    assert.equal(api['Payload'], 'aGk=');
    assert.deepEqual(fromApiJob(api, testSchemas).job, child);
  });

  it('the older cron attribute, and enabled = false skips validation as Nomad does', async () => {
    const { job: a } = await parse(job('  periodic {\n    cron = "@daily"\n  }'));
    assert.equal(a.periodic?.spec, '@daily');
    const { job: b } = await parse(job('  periodic {\n    enabled = false\n  }'));
    assert.equal(b.periodic?.enabled, false);
  });

  const cases: [string, string, string, number, RegExp][] = [
    ['bad cron', job('  periodic {\n    crons = ["61 * * * *"]\n  }'), 'job.p.periodic.crons[0]', 4, /^Invalid cron spec "61 \* \* \* \*": .*minute/],
    ['bad cron attr', job('  periodic {\n    cron = "x y"\n  }'), 'job.p.periodic.cron', 4, /^Invalid cron spec "x y"/],
    ['both', job('  periodic {\n    cron = "@daily"\n    crons = ["@daily"]\n  }'), 'job.p.periodic.crons', 5, /^Only cron or crons may be used$/],
    ['no spec', job('  periodic {\n    prohibit_overlap = true\n  }'), 'job.p.periodic', 3, /^Must specify a spec$/],
    ['time zone', job('  periodic {\n    cron = "@daily"\n    time_zone = "Mars/Olympus"\n  }'), 'job.p.periodic.time_zone', 5, /^Invalid time zone "Mars\/Olympus"/],
    ['service type', job('  periodic {\n    cron = "@daily"\n  }', '', 'service'), 'job.p.periodic', 3, /^Periodic can only be used with "batch" or "sysbatch" scheduler$/],
    ['payload', job('  parameterized {\n    payload = "sometimes"\n  }'), 'job.p.parameterized.payload', 4, /^Unknown payload requirement: "sometimes"$/],
    ['disjoint', job('  parameterized {\n    meta_required = ["a"]\n    meta_optional = ["a"]\n  }'), 'job.p.parameterized.meta_optional', 5, /^Required and optional meta keys should be disjoint. Following keys exist in both: \[a\]$/],
    ['escape', job('', '      dispatch_payload {\n        file = "../../../x"\n      }'), 'job.p.group.g.task.t.dispatch_payload.file', 8, /^destination escapes allocation directory$/],
    ['unknown', job('  periodic {\n    cron = "@daily"\n    spec_type = "cron"\n  }'), 'job.p.periodic.spec_type', 5, /spec_type/],
  ];
  for (const [name, src, field, line, message] of cases) {
    it(`rejects: ${name}`, async () => {
      const all = await problems(src);
      const hit = all.find((p) => p.field === field && message.test(p.message));
      assert.ok(hit, `no ${field} ${String(message)} in ${JSON.stringify(all)}`);
      assert.equal(hit.line, line);
    });
  }

  it('JSON API errors name the field', () => {
    const raw = { ID: 'p', Type: 'batch', Periodic: { Spec: 'nope' }, TaskGroups: [{ Name: 'g', Tasks: [{ Name: 't', Driver: 'mock_driver', Config: {} }] }] };
    assert.throws(() => fromApiJob(raw, testSchemas), (err: unknown) => err instanceof ValidationError && err.problems.some((p) => p.field === 'Job.Periodic.Spec' && /^Invalid cron spec "nope"/.test(p.message)));
  });
});

describe('nextCronTime', () => {
  it('honours the seconds field and the earliest of several specs', () => {
    const t0 = Date.UTC(2026, 0, 1, 0, 0, 1, 500);
    assert.equal(nextCronTime(['*/2 * * * * *'], 'UTC', t0), Date.UTC(2026, 0, 1, 0, 0, 2));
    assert.equal(nextCronTime(['0 0 * * *', '30 0 0 * * *'], 'UTC', t0), Date.UTC(2026, 0, 1, 0, 0, 30));
  });

  it('follows the time zone across a DST change (Europe/Paris springs forward on 2026-03-29)', () => {
    // 09:00 Paris is 08:00Z on the 28th (CET) and 07:00Z from the 29th (CEST).
    const before = nextCronTime(['0 9 * * *'], 'Europe/Paris', Date.UTC(2026, 2, 28, 12));
    const after = nextCronTime(['0 9 * * *'], 'Europe/Paris', before ?? 0);
    assert.equal(before, Date.UTC(2026, 2, 29, 7));
    assert.equal(after, Date.UTC(2026, 2, 30, 7));
  });
});
