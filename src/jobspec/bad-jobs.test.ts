import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError, type FieldProblem } from '../model/index.js';
import { parseJob, type ParseJobOptions } from './index.js';
import { testSchemas } from './testdata/schemas.js';

/** Parses and returns the ValidationError's problems (fails when parsing succeeds). */
async function problemsOf(src: string, extra: Partial<ParseJobOptions> = {}): Promise<readonly FieldProblem[]> {
  try {
    await parseJob(src, { file: 'bad.nomad.hcl', drivers: testSchemas, ...extra });
  } catch (err) {
    assert.ok(err instanceof ValidationError, `expected ValidationError, got ${String(err)}`);
    assert.equal(err.code, 'validation');
    return err.problems;
  }
  return assert.fail('expected parseJob to fail');
}

/** Asserts one problem has exactly this field and line, and a message matching `message`. */
async function expectProblem(src: string, field: string, line: number, message: RegExp, extra: Partial<ParseJobOptions> = {}): Promise<FieldProblem> {
  const problems = await problemsOf(src, extra);
  const hit = problems.find((p) => p.field === field && message.test(p.message));
  assert.ok(hit, `no problem at ${field} matching ${String(message)}; got:\n${problems.map((p) => `  ${p.field}:${p.line}: ${p.message}`).join('\n')}`);
  assert.equal(hit.line, line, `line of ${field}`);
  return hit;
}

/** A one-task job; `task` lines are inserted inside the task block (task body starts at line 4). */
const job = (task: string, group = '', top = ''): string => `job "bad" {${top}
  group "web" {${group}
    task "server" {
${task}
    }
  }
}
`;
const T = 'job.bad.group.web.task.server';

describe('parseJob rejects bad job files with field and line', () => {
  it('syntax error', async () => {
    const p = await expectProblem('job "bad" {\n  group "web" {\n    count = \n  }\n}\n', 'job.bad.group.web', 3, /Invalid expression/);
    assert.equal(p.file, 'bad.nomad.hcl');
  });

  it('unclosed block', async () => {
    await expectProblem('job "bad" {\n  group "web" {\n', 'job.bad.group.web', 2, /Unclosed configuration block/);
  });

  it('unknown attribute, with a suggestion', async () => {
    const p = await expectProblem(job('      driver = "mock_driver"\n      kill_timout = "1s"'), `${T}.kill_timout`, 5, /unknown attribute "kill_timout" in task/);
    assert.match(p.message, /did you mean "kill_timeout"/);
  });

  it('unknown block, with a suggestion', async () => {
    const p = await expectProblem(job('      driver = "mock_driver"\n      resource {\n        cpu = 1\n      }'), `${T}.resource`, 5, /unknown block "resource"/);
    assert.match(p.message, /did you mean "resources"/);
  });

  it('unknown top-level block', async () => {
    await expectProblem('jobs "x" {\n}\n', 'jobs', 1, /unknown block "jobs".*did you mean "job"/);
  });

  it('bad duration', async () => {
    await expectProblem(job('      driver = "mock_driver"\n      kill_timeout = "5 seconds"'), `${T}.kill_timeout`, 5, /invalid duration "5 seconds"/);
  });

  it('negative duration', async () => {
    await expectProblem(job('      driver = "mock_driver"\n      shutdown_delay = "-1s"'), `${T}.shutdown_delay`, 5, /must not be negative/);
  });

  it('wrong type', async () => {
    await expectProblem(job('      driver = "mock_driver"', '\n    count = "many"'), 'job.bad.group.web.count', 3, /expected a number, got string "many"/);
  });

  it('missing driver (located at the task block)', async () => {
    await expectProblem(job('      user = "nobody"'), `${T}.driver`, 3, /Missing task driver/);
  });

  it('unknown driver, with a suggestion', async () => {
    const p = await expectProblem(job('      driver = "mock_drivr"'), `${T}.driver`, 4, /unknown driver "mock_drivr"/);
    assert.match(p.message, /did you mean "mock_driver"/);
  });

  it('bad driver config attribute and value', async () => {
    const src = job('      driver = "mock_driver"\n      config {\n        run_fr    = "1s"\n        exit_code = "zero"\n      }');
    await expectProblem(src, `${T}.config.run_fr`, 6, /unknown attribute or block "run_fr".*did you mean "run_for"/);
    await expectProblem(src, `${T}.config.exit_code`, 7, /expected a number/);
  });

  it('missing required driver config attribute (located at the config block)', async () => {
    await expectProblem(job('      driver = "raw_exec"\n      config {\n        args = ["x"]\n      }'), `${T}.config.command`, 5, /missing required attribute/);
  });

  it('negative count', async () => {
    await expectProblem(job('      driver = "mock_driver"', '\n    count = -1'), 'job.bad.group.web.count', 3, /count can't be negative/);
  });

  it('duplicate task names (located at the second)', async () => {
    const src = `job "bad" {
  group "web" {
    task "server" {
      driver = "mock_driver"
    }
    task "server" {
      driver = "mock_driver"
    }
  }
}`;
    await expectProblem(src, T, 6, /Task 2 redefines 'server' from task 1/);
  });

  it('duplicate group names (located at the second)', async () => {
    const src = `job "bad" {
  group "web" {
    task "a" { driver = "mock_driver" }
  }

  group "web" {
    task "b" { driver = "mock_driver" }
  }
}`;
    await expectProblem(src, 'job.bad.group.web', 6, /Job task group 2 redefines 'web' from group 1/);
  });

  it('two leaders (located at the second)', async () => {
    const src = `job "bad" {
  group "web" {
    task "a" {
      driver = "mock_driver"
      leader = true
    }
    task "b" {
      driver = "mock_driver"
      leader = true
    }
  }
}`;
    await expectProblem(src, 'job.bad.group.web.task.b.leader', 9, /Only one task may be marked as leader/);
  });

  it('bad restart mode', async () => {
    const p = await expectProblem(job('      driver = "mock_driver"', '\n    restart {\n      mode = "retry"\n    }'), 'job.bad.group.web.restart.mode', 4, /Unsupported restart mode: "retry"/);
    assert.equal(p.file, 'bad.nomad.hcl');
  });

  it('restart policy that cannot fit its interval', async () => {
    await expectProblem(
      job('      driver = "mock_driver"', '\n    restart {\n      attempts = 10\n      interval = "1m"\n    }'),
      'job.bad.group.web.restart',
      3,
      /can't restart the TaskGroup 10 times in an interval of 1m0s with a delay of 15s/,
    );
  });

  it('bad lifecycle hook', async () => {
    const src = `job "bad" {
  group "web" {
    task "main" { driver = "mock_driver" }
    task "init" {
      driver = "mock_driver"
      lifecycle {
        hook = "prestrat"
      }
    }
  }
}`;
    const p = await expectProblem(src, 'job.bad.group.web.task.init.lifecycle.hook', 7, /invalid hook "prestrat"/);
    assert.match(p.message, /did you mean "prestart"/);
  });

  it('group made only of lifecycle tasks', async () => {
    const src = `job "bad" {
  group "web" {
    task "init" {
      driver = "mock_driver"
      lifecycle { hook = "prestart" }
    }
  }
}`;
    await expectProblem(src, 'job.bad.group.web', 2, /at least one main task/);
  });

  it('unset variable', async () => {
    const src = `variable "image" {\n  type = string\n}\n\n${job('      driver = "mock_driver"')}`;
    await expectProblem(src, 'variable.image', 1, /Unset variable "image"/);
  });

  it('reference to an undeclared variable', async () => {
    const src = `variable "image" {\n  default = "x"\n}\n${job('      driver = "mock_driver"\n      meta {\n        img = "v-${"${var.imag}"}"\n      }')}`;
    const p = await expectProblem(src, `${T}.meta.img`, 9, /undeclared input variable "imag"/);
    assert.match(p.message, /did you mean "image"/);
  });

  it('unsupported expression', async () => {
    await expectProblem(job(`      driver = "mock_driver"\n      user = "\${base64encode("x")}"`), `${T}.user`, 5, /unsupported function "base64encode"/);
  });

  it('memory_max below memory', async () => {
    const src = job('      driver = "mock_driver"\n      resources {\n        memory     = 512\n        memory_max = 256\n      }');
    await expectProblem(src, `${T}.resources.memory_max`, 7, /memory_max \(256 MB\) should be larger than memory \(512 MB\)/);
  });

  it('memory and cpu below Nomad minimums', async () => {
    const src = job('      driver = "mock_driver"\n      resources {\n        cpu    = 0\n        memory = 5\n      }');
    await expectProblem(src, `${T}.resources.cpu`, 6, /minimum CPU value is 1; got 0/);
    await expectProblem(src, `${T}.resources.memory`, 7, /minimum MemoryMB value is 10; got 5/);
  });

  it('invalid job type and priority', async () => {
    const src = job('      driver = "mock_driver"', '', '\n  type = "servce"\n  priority = 500');
    const p = await expectProblem(src, 'job.bad.type', 2, /Invalid job type: "servce"/);
    assert.match(p.message, /did you mean "service"/);
    await expectProblem(src, 'job.bad.priority', 3, /priority must be between \[1, 100\]/);
  });

  it('logs that do not fit the ephemeral disk', async () => {
    await expectProblem(job('      driver = "mock_driver"\n      logs {\n        max_files = 40\n      }'), `${T}.logs`, 5, /log storage \(400 MB\) must be less than requested disk capacity \(300 MB\)/);
  });

  it('artifact without source, second of two (indexed path)', async () => {
    const src = job('      driver = "mock_driver"\n      artifact {\n        source = "https://x/a"\n      }\n      artifact {\n        mode = "file"\n      }');
    await expectProblem(src, `${T}.artifact[1].source`, 8, /source must be specified/);
  });

  it('missing job block', async () => {
    await expectProblem('variable "x" {\n  default = 1\n}\n', 'job', undefined as unknown as number, /Missing job block/);
  });

  it('two job blocks (located at the second)', async () => {
    const src = `${job('      driver = "mock_driver"')}\njob "other" {\n  group "g" {\n    task "t" { driver = "mock_driver" }\n  }\n}\n`;
    await expectProblem(src, 'job.other', 9, /Duplicate job block/);
  });

  it('update block in a batch job', async () => {
    await expectProblem(job('      driver = "mock_driver"', '\n    update {\n      max_parallel = 2\n    }', '\n  type = "batch"'), 'job.bad.group.web.update', 4, /Job type "batch" does not allow update block/);
  });

  it('update block: Nomad\'s UpdateStrategy.Validate messages at the field', async () => {
    const g = (body: string) => job('      driver = "mock_driver"', `\n    update {\n${body}\n    }`);
    await expectProblem(g('      health_check = "bogus"'), 'job.bad.group.web.update.health_check', 4, /^Invalid health check given: "bogus"$/);
    await expectProblem(g('      min_healthy_time = "10m"'), 'job.bad.group.web.update.min_healthy_time', 4, /^Minimum healthy time must be less than healthy deadline: 10m0s > 5m0s$/);
    await expectProblem(g('      healthy_deadline = "20m"'), 'job.bad.group.web.update.healthy_deadline', 4, /^Healthy deadline must be less than progress deadline: 20m0s > 10m0s$/);
    await expectProblem(g('      auto_promote = true'), 'job.bad.group.web.update.auto_promote', 4, /^Auto Promote requires a Canary count greater than zero$/);
    const p = await expectProblem(g('      max_paralel = 2'), 'job.bad.group.web.update.max_paralel', 4, /unknown attribute "max_paralel" in update/);
    assert.match(p.message, /did you mean "max_parallel"/);
  });

  it('job-level update block: problems of the merged strategy point at it', async () => {
    await expectProblem(job('      driver = "mock_driver"', '', '\n  update {\n    canary = -1\n  }'), 'job.bad.update.canary', 3, /^Canary count can not be less than zero: -1 < 0$/);
  });

  it('locals that depend on each other in a cycle', async () => {
    const src = `locals {\n  a = "\${local.b}"\n  b = "\${local.a}x"\n}\n${job('      driver = "mock_driver"')}`;
    await expectProblem(src, 'locals.a', 2, /depends on itself/);
    await expectProblem(src, 'locals.b', 3, /depends on itself/);
  });

  it('duplicate variable and a default that does not match its type', async () => {
    const src = `variable "n" {\n  type    = number\n  default = "ten"\n}\nvariable "n" {\n  default = 1\n}\n${job('      driver = "mock_driver"')}`;
    await expectProblem(src, 'variable.n.default', 3, /Invalid default value for variable.*a number is required, got "ten"/);
    await expectProblem(src, 'variable.n', 5, /Duplicate variable/);
  });

  it('-var value that does not match a list type', async () => {
    const src = `variable "dcs" {\n  type = list(string)\n}\n${job('      driver = "mock_driver"')}`;
    await expectProblem(src, 'var.dcs', undefined as unknown as number, /not compatible.*list of string required/, { vars: { dcs: '"dc1"' } });
  });

  it('-var for an undeclared variable', async () => {
    await expectProblem(job('      driver = "mock_driver"'), 'var.nope', undefined as unknown as number, /Undefined -var variable/, { vars: { nope: '1' } });
  });

  it('-var-file problems name the var file and its line', async () => {
    const src = `variable "count" {\n  type = number\n}\n${job('      driver = "mock_driver"')}`;
    const files = [{ file: 'prod.vars.hcl', source: '# prod\ncount = "three"\ncuont = 3\n' }];
    const bad = await expectProblem(src, 'count', 2, /not compatible with the variable's type constraint: a number is required, got "three"/, { varFileContents: files });
    assert.equal(bad.file, 'prod.vars.hcl');
    const undef = await expectProblem(src, 'cuont', 3, /Undefined variable.*did you mean "count"/, { varFileContents: files });
    assert.equal(undef.file, 'prod.vars.hcl');
  });

  it('collects every problem in one error', async () => {
    const src = `job "bad" {
  group "web" {
    count = -2
    task "server" {
      driver = "mock_driver"
      kill_timeout = "soon"
      resources {
        memory = 1
      }
    }
  }
}`;
    const problems = await problemsOf(src);
    assert.deepEqual(
      problems.map((p) => [p.field, p.line]),
      [
        ['job.bad.group.web.count', 3],
        [`${T}.kill_timeout`, 6],
        [`${T}.resources.memory`, 8],
      ],
    );
    const err = await parseJob(src, { file: 'bad.nomad.hcl', drivers: testSchemas }).catch((e: unknown) => e);
    assert.ok(err instanceof ValidationError);
    assert.match(err.message, /^3 errors occurred:\n\t\* bad\.nomad\.hcl:3: job\.bad\.group\.web\.count: /);
  });
});
