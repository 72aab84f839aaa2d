/** max_run_duration and scaling { } in HCL: decoded values and Nomad's validation texts, with field and line. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError, type FieldProblem } from '../model/index.js';
import { parseJob } from './index.js';
import { testSchemas } from './testdata/schemas.js';

/** A one-task job of `type`; `group` lines go into the group (its body starts at line 4). */
const job = (type: string, group: string): string => `job "j" {
  type = "${type}"
  group "g" {
${group}
    task "t" {
      driver = "mock_driver"
    }
  }
}
`;
const G = 'job.j.group.g';

async function problemsOf(src: string): Promise<readonly FieldProblem[]> {
  try {
    await parseJob(src, { file: 'j.hcl', drivers: testSchemas });
  } catch (err) {
    assert.ok(err instanceof ValidationError, `expected ValidationError, got ${String(err)}`);
    return err.problems;
  }
  return assert.fail('expected parseJob to fail');
}

async function expectProblem(src: string, field: string, line: number, message: string): Promise<void> {
  const problems = await problemsOf(src);
  const hit = problems.find((p) => p.field === field && p.message === message);
  assert.ok(hit, `no problem at ${field}: ${message}; got:\n${problems.map((p) => `  ${p.field}:${p.line}: ${p.message}`).join('\n')}`);
  assert.equal(hit.line, line);
}

describe('max_run_duration', () => {
  it('is decoded in ms for batch and sysbatch jobs, without a warning', async () => {
    for (const type of ['batch', 'sysbatch']) {
      const parsed = await parseJob(job(type, '    max_run_duration = "1m30s"'), { file: 'j.hcl', drivers: testSchemas });
      assert.equal(parsed.job.groups[0]?.maxRunDurationMs, 90_000);
      assert.deepEqual(parsed.warnings, []);
    }
  });

  it('is refused for service and system jobs, naming the job type', async () => {
    await expectProblem(job('service', '    max_run_duration = "5s"'), `${G}.max_run_duration`, 4, 'Job type "service" does not allow max_run_duration');
    await expectProblem(job('system', '    max_run_duration = "5s"'), `${G}.max_run_duration`, 4, 'Job type "system" does not allow max_run_duration');
  });

  it('must be greater than zero', async () => {
    await expectProblem(job('batch', '    max_run_duration = "0s"'), `${G}.max_run_duration`, 4, 'MaxRunDuration must be greater than zero');
  });

  it('must be a duration', async () => {
    const problems = await problemsOf(job('batch', '    max_run_duration = "soon"'));
    assert.ok(problems.some((p) => p.field === `${G}.max_run_duration` && p.line === 4), JSON.stringify(problems));
  });
});

describe('scaling', () => {
  it('is decoded with Nomad defaults: min from count, enabled true; policy kept', async () => {
    const parsed = await parseJob(job('service', '    count = 2\n    scaling {\n      max = 5\n      policy {\n        cooldown = "1m"\n      }\n    }'), { file: 'j.hcl', drivers: testSchemas });
    const g = parsed.job.groups[0];
    assert.equal(g?.count, 2);
    assert.deepEqual({ ...g?.scaling, policy: undefined }, { min: 2, max: 5, enabled: true, policy: undefined });
    assert.equal(g?.scaling?.policy?.['cooldown'], '1m');
    assert.deepEqual(parsed.warnings, []);
  });

  it('gives the count from min when count is unset', async () => {
    const parsed = await parseJob(job('service', '    scaling {\n      min = 3\n      max = 4\n      enabled = false\n    }'), { file: 'j.hcl', drivers: testSchemas });
    assert.equal(parsed.job.groups[0]?.count, 3);
    assert.deepEqual(parsed.job.groups[0]?.scaling, { min: 3, max: 4, enabled: false });
  });

  it('requires max', async () => {
    await expectProblem(job('service', '    scaling {\n      min = 1\n    }'), `${G}.scaling.max`, 4, 'The argument "max" is required, but no definition was found.');
  });

  it('refuses min above max, and a count outside min..max', async () => {
    await expectProblem(job('service', '    scaling {\n      min = 3\n      max = 2\n    }'), `${G}.scaling`, 4, 'Scaling policy invalid: maximum count must not be less than minimum count');
    await expectProblem(job('service', '    count = 5\n    scaling {\n      min = 1\n      max = 3\n    }'), `${G}.scaling`, 5, 'Scaling policy invalid: task group count must not be greater than maximum count in scaling policy');
    await expectProblem(job('service', '    count = 1\n    scaling {\n      min = 2\n      max = 3\n    }'), `${G}.scaling`, 5, 'Scaling policy invalid: task group count must not be less than minimum count in scaling policy');
  });

  it('refuses negative bounds and a type other than horizontal', async () => {
    await expectProblem(job('service', '    count = 0\n    scaling {\n      min = -1\n      max = 2\n    }'), `${G}.scaling`, 5, 'Scaling policy invalid: minimum count must be specified and non-negative');
    await expectProblem(job('service', '    scaling {\n      max = 2\n      type = "vertical_cpu"\n    }'), `${G}.scaling.type`, 6, 'task group scaling policy had invalid type: "vertical_cpu"');
  });
});
