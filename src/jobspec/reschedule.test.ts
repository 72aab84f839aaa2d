import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_BATCH_RESCHEDULE, DEFAULT_SERVICE_RESCHEDULE, ValidationError, type FieldProblem } from '../model/index.js';
import { parseJob } from './index.js';
import { testSchemas } from './testdata/schemas.js';

const S = 1000;
const task = `    task "t" {
      driver = "mock_driver"
      config {
        run_for = "1s"
      }
    }`;
const jobSrc = (type: string, top: string, groups: Record<string, string>): string => `job "j" {
  type = "${type}"
${top}
${Object.entries(groups).map(([name, body]) => `  group "${name}" {\n${body}\n${task}\n  }`).join('\n')}
}
`;

async function problemsOf(src: string): Promise<readonly FieldProblem[]> {
  try {
    await parseJob(src, { file: 'r.hcl', drivers: testSchemas });
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return err.problems;
  }
  return assert.fail('expected a validation error');
}

describe('jobspec reschedule', () => {
  it('absent unless written (the type default applies); job level merged under the group block', async () => {
    const { job: plain } = await parseJob(jobSrc('service', '', { g: '' }), { drivers: testSchemas });
    assert.equal(plain.groups[0]?.reschedule, undefined);
    const { job } = await parseJob(
      jobSrc('service', '  reschedule {\n    attempts = 2\n    interval = "5m"\n    unlimited = false\n  }', {
        a: '',
        b: '    reschedule {\n      delay = "10s"\n      delay_function = "fibonacci"\n      max_delay = "2m"\n    }',
      }),
      { drivers: testSchemas },
    );
    const base = { ...DEFAULT_SERVICE_RESCHEDULE, attempts: 2, intervalMs: 300 * S, unlimited: false };
    assert.deepEqual(job.groups[0]?.reschedule, base);
    assert.deepEqual(job.groups[1]?.reschedule, { ...base, delayMs: 10 * S, delayFunction: 'fibonacci', maxDelayMs: 120 * S });
    const { job: batch } = await parseJob(jobSrc('batch', '', { g: '    reschedule {\n      attempts = 0\n    }' }), { drivers: testSchemas });
    assert.deepEqual(batch.groups[0]?.reschedule, { ...DEFAULT_BATCH_RESCHEDULE, attempts: 0 });
  });

  it('problems name the block and line; a job-level one is said once', async () => {
    const problems = await problemsOf(jobSrc('service', '  reschedule {\n    delay = "1s"\n  }', { a: '', b: '' }));
    assert.deepEqual(problems.map((p) => [p.field, p.line, p.message]), [['job.j.reschedule', 3, 'Delay cannot be less than 5s (got 1s)']]);
    const fn = await problemsOf(jobSrc('batch', '', { g: '    reschedule {\n      delay_function = "linear"\n    }' }));
    assert.deepEqual(fn.map((p) => [p.field, p.message]), [
      ['job.j.group.g.reschedule.delay_function', 'Invalid delay function "linear", must be one of ["constant" "exponential" "fibonacci"]'],
    ]);
    const sys = await problemsOf(jobSrc('system', '', { g: '    reschedule {\n      attempts = 1\n    }' }));
    assert.deepEqual(sys.map((p) => [p.field, p.message]), [['job.j.group.g.reschedule', 'System or sysbatch jobs should not have a reschedule policy']]);
  });
});
