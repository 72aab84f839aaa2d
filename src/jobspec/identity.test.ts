/**
 * identity { } in HCL: defaults and Nomad's rules, errors naming field and
 * line (the JSON API form: agent/wire/api-identity.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError, type Task } from '../model/index.js';
import { parseJob, type ParseJobOptions } from './index.js';
import { testSchemas } from './testdata/schemas.js';

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

async function problems(hcl: string): Promise<string[]> {
  try {
    await parseJob(hcl, opts);
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return err.problems.map((p) => `${p.field}:${p.line ?? '?'}: ${p.message}`);
  }
  return assert.fail('expected a validation error');
}

describe('identity block', () => {
  it('decodes the default identity and named ones, as Nomad canonicalizes them', async () => {
    const { job, warnings } = await parseJob(
      withIdentity(`      identity {
        env  = true
        file = true
      }
      identity {
        name          = "vault_default"
        aud           = ["vault.io"]
        ttl           = "1h"
        file          = true
        change_mode   = "signal"
        change_signal = "sighup"
      }`),
      opts,
    );
    const t = taskOf(job);
    assert.deepEqual(t.identity, {
      name: 'default', audience: ['nomadproject.io'], changeMode: '', changeSignal: '', env: true, file: true, filepath: '', ttlMs: 0, serviceName: '', extraClaims: [],
    });
    assert.deepEqual(t.identities, [
      { name: 'vault_default', audience: ['vault.io'], changeMode: 'signal', changeSignal: 'SIGHUP', env: false, file: true, filepath: '', ttlMs: 3_600_000, serviceName: '', extraClaims: [] },
    ]);
    assert.deepEqual(warnings, []);
  });

  it('leaves a task without identity blocks without identities', async () => {
    const { job } = await parseJob(withIdentity(''), opts);
    assert.equal(taskOf(job).identity, undefined);
    assert.equal(taskOf(job).identities, undefined);
  });

  it("warns as Nomad's Task.Warnings does for named identities", async () => {
    const { warnings } = await parseJob(withIdentity(`      identity {
        name = "x"
        env  = true
      }`), opts);
    assert.deepEqual(
      warnings.map((w) => `${w.field}:${w.line}: ${w.message}`),
      [
        'job.ids.group.g.task.t.identity.aud:8: identities without an audience are insecure',
        'job.ids.group.g.task.t.identity.ttl:8: identities without an expiration are insecure',
        'job.ids.group.g.task.t.identity.change_mode:8: using env=true without change_mode="restart" may result in task not getting updated identity',
      ],
    );
  });

  it("reports Nomad's validation errors at the field and line", async () => {
    assert.deepEqual(
      await problems(withIdentity(`      identity {
        ttl = "1h"
      }
      identity {
        name        = "bad name"
        aud         = ["a", ""]
        change_mode = "restart"
        change_signal = "SIGHUP"
        filepath    = "local/x"
        ttl         = "5m"
      }
      identity {
        name        = "m"
        aud         = ["a"]
        ttl         = "5m"
        change_mode = "reload"
      }
      identity {
        name        = "s"
        aud         = ["a"]
        ttl         = "5m"
        change_mode = "signal"
      }
      identity {
        name = "default"
      }`)),
      [
        'job.ids.group.g.task.t.identity[0].ttl:9: ttl for default identity not yet supported',
        'job.ids.group.g.task.t.identity[1].name:12: invalid name "bad name". Must match regex ^[a-zA-Z0-9-_]{1,128}$',
        'job.ids.group.g.task.t.identity[1].aud:13: an empty string is an invalid audience (2)',
        'job.ids.group.g.task.t.identity[1].change_signal:15: can only use change_signal="SIGHUP" with change_mode="signal"',
        'job.ids.group.g.task.t.identity[1].filepath:16: file parameter must be true in order to specify filepath',
        'job.ids.group.g.task.t.identity[2].change_mode:23: invalid change_mode: reload',
        'job.ids.group.g.task.t.identity[3].change_signal:25: change_signal must be specified when using change_mode="signal"',
        'job.ids.group.g.task.t.identity[4]:31: Duplicate default identities found',
      ],
    );
  });

  it('refuses a labeled identity block and unknown attributes, naming the field', async () => {
    assert.deepEqual(await problems(withIdentity(`      identity "vault_default" {
        aud = ["x"]
      }`)), ['job.ids.group.g.task.t.identity.vault_default:8: identity blocks take no label: name the identity with name = "vault_default" inside the block']);
    const p = await problems(withIdentity(`      identity {
        envv = true
      }`));
    assert.equal(p.length, 1);
    assert.equal(p[0], 'job.ids.group.g.task.t.identity.envv:9: unknown attribute "envv" in identity (did you mean "env"?)');
  });

});
