import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_BATCH_RESTART, DEFAULT_LOGS, DEFAULT_RESOURCES, DEFAULT_SERVICE_RESTART, DEFAULT_UPDATE_STRATEGY, ValidationError, type Task } from '../model/index.js';
import { parseJob, type ParseJobOptions } from './index.js';
import { EXAMPLE_JOB } from './testdata/example-job.js';
import { testSchemas } from './testdata/schemas.js';

const opts = (extra: Partial<ParseJobOptions> = {}): ParseJobOptions => ({ file: 'mock.nomad.hcl', drivers: testSchemas, ...extra });

const MINIMAL = (type: string): string => `
job "mock" {
  type = "${type}"
  group "web" {
    task "server" {
      driver = "mock_driver"
      config {
        run_for = "10s"
      }
    }
  }
}
`;

function onlyTask(job: Awaited<ReturnType<typeof parseJob>>['job']): Task {
  const task = job.groups[0]?.tasks[0];
  assert.ok(task, 'expected one task');
  return task;
}

describe('parseJob defaults', () => {
  it('fills Nomad defaults for a minimal service job', async () => {
    const { job, warnings } = await parseJob(MINIMAL('service'), opts());
    assert.deepEqual(warnings, []);
    assert.equal(job.id, 'mock');
    assert.equal(job.name, 'mock');
    assert.equal(job.type, 'service');
    assert.equal(job.namespace, 'default');
    assert.equal(job.region, 'global');
    assert.deepEqual(job.datacenters, ['*']);
    assert.equal(job.priority, 50);
    assert.deepEqual(job.meta, {});
    const group = job.groups[0];
    assert.ok(group);
    assert.equal(group.name, 'web');
    assert.equal(group.count, 1);
    assert.deepEqual(group.restart, DEFAULT_SERVICE_RESTART);
    assert.equal(group.shutdownDelayMs, 0);
    assert.deepEqual(onlyTask(job), {
      name: 'server',
      driver: 'mock_driver',
      config: { run_for: '10s' },
      env: {},
      meta: {},
      user: '',
      resources: DEFAULT_RESOURCES,
      killTimeoutMs: 5000,
      killSignal: '',
      restart: DEFAULT_SERVICE_RESTART,
      leader: false,
      logs: DEFAULT_LOGS,
      artifacts: [],
      templates: [],
      shutdownDelayMs: 0,
      services: [],
      networks: [],
    });
  });

  it('gives batch and sysbatch jobs the batch restart policy, system jobs the service one', async () => {
    for (const [type, expected] of [
      ['batch', DEFAULT_BATCH_RESTART],
      ['sysbatch', DEFAULT_BATCH_RESTART],
      ['system', DEFAULT_SERVICE_RESTART],
    ] as const) {
      const { job } = await parseJob(MINIMAL(type), opts());
      assert.equal(job.type, type);
      assert.deepEqual(onlyTask(job).restart, expected, type);
    }
    assert.deepEqual(DEFAULT_BATCH_RESTART, { attempts: 3, intervalMs: 86_400_000, delayMs: 15_000, mode: 'fail' });
    assert.deepEqual(DEFAULT_SERVICE_RESTART, { attempts: 2, intervalMs: 1_800_000, delayMs: 15_000, mode: 'fail' });
  });

  it('merges restart: job-type default, then group, then task', async () => {
    const { job } = await parseJob(
      `job "j" {
        type = "batch"
        group "g" {
          restart {
            attempts = 5
            mode     = "delay"
          }
          task "a" {
            driver = "mock_driver"
            restart {
              delay = "1s"
            }
          }
          task "b" {
            driver = "mock_driver"
          }
        }
      }`,
      opts(),
    );
    const group = job.groups[0];
    assert.ok(group);
    assert.deepEqual(group.restart, { attempts: 5, intervalMs: 86_400_000, delayMs: 15_000, mode: 'delay' });
    assert.deepEqual(group.tasks[0]?.restart, { attempts: 5, intervalMs: 86_400_000, delayMs: 1_000, mode: 'delay' });
    assert.deepEqual(group.tasks[1]?.restart, group.restart);
  });

  it('decodes every supported task field', async () => {
    const { job } = await parseJob(
      `job "full" {
        name        = "Full Job"
        region      = "eu"
        namespace   = "apps"
        datacenters = ["dc1", "dc2"]
        priority    = 70
        meta { owner = "ops" }
        group "g" {
          count          = 3
          shutdown_delay = "2s"
          meta = { tier = "web", n = 1 }
          task "main" {
            driver         = "raw_exec"
            user           = "nobody"
            leader         = true
            kill_timeout   = "30s"
            kill_signal    = "SIGTERM"
            shutdown_delay = "1s"
            config {
              command = "/bin/sleep"
              args    = ["10"]
            }
            env {
              PORT = 8080
              NAME = "x"
            }
            resources {
              cpu        = 250
              memory     = 128
              memory_max = 256
            }
            logs {
              max_files     = 3
              max_file_size = 5
            }
            artifact {
              source = "https://example.com/app.tar.gz"
              options {
                checksum = "sha256:abcd"
              }
            }
            artifact {
              source      = "https://example.com/config.json"
              mode        = "file"
              headers     = { X-Token = "t" }
            }
          }
          task "init" {
            driver = "mock_driver"
            lifecycle {
              hook    = "prestart"
              sidecar = false
            }
            resources {
              cores = 1
            }
            logs {
              enabled = false
            }
          }
        }
      }`,
      opts(),
    );
    assert.equal(job.name, 'Full Job');
    assert.equal(job.region, 'eu');
    assert.equal(job.namespace, 'apps');
    assert.deepEqual(job.datacenters, ['dc1', 'dc2']);
    assert.equal(job.priority, 70);
    assert.deepEqual(job.meta, { owner: 'ops' });
    const group = job.groups[0];
    assert.ok(group);
    assert.equal(group.count, 3);
    assert.equal(group.shutdownDelayMs, 2000);
    assert.deepEqual(group.meta, { tier: 'web', n: '1' });
    const [main, init] = group.tasks;
    assert.ok(main && init);
    assert.equal(main.user, 'nobody');
    assert.equal(main.leader, true);
    assert.equal(main.killTimeoutMs, 30_000);
    assert.equal(main.killSignal, 'SIGTERM');
    assert.equal(main.shutdownDelayMs, 1000);
    assert.deepEqual(main.config, { command: '/bin/sleep', args: ['10'] });
    assert.deepEqual(main.env, { PORT: '8080', NAME: 'x' });
    assert.deepEqual(main.resources, { cpu: 250, cores: 0, memoryMb: 128, memoryMaxMb: 256 });
    assert.deepEqual(main.logs, { maxFiles: 3, maxFileSizeMb: 5, disabled: false });
    assert.deepEqual(main.artifacts, [
      { source: 'https://example.com/app.tar.gz', destination: 'local/', mode: 'any', options: { checksum: 'sha256:abcd' }, headers: {} },
      { source: 'https://example.com/config.json', destination: 'local/config.json', mode: 'file', options: {}, headers: { 'X-Token': 't' } },
    ]);
    assert.deepEqual(init.lifecycle, { hook: 'prestart', sidecar: false });
    // cores without cpu: Nomad leaves cpu at 0.
    assert.deepEqual(init.resources, { cpu: 0, cores: 1, memoryMb: 300, memoryMaxMb: 0 });
    assert.equal(init.logs.disabled, true);
  });

  it('keeps groups and tasks in source order (hcl2json sorts keys)', async () => {
    const { job } = await parseJob(
      `job "order" {
        group "zeta" {
          task "z" { driver = "mock_driver" }
          task "a" { driver = "mock_driver" }
        }
        group "alpha" {
          task "m" { driver = "mock_driver" }
        }
      }`,
      opts(),
    );
    assert.deepEqual(job.groups.map((g) => g.name), ['zeta', 'alpha']);
    assert.deepEqual(job.groups[0]?.tasks.map((t) => t.name), ['z', 'a']);
  });

  it('turns a task written directly in the job into its own group', async () => {
    const { job } = await parseJob(`job "lone" {\n  task "solo" {\n    driver = "mock_driver"\n  }\n}\n`, opts());
    assert.deepEqual(job.groups.map((g) => [g.name, g.count, g.tasks.map((t) => t.name)]), [['solo', 1, ['solo']]]);
  });

  it('accepts durations as numbers of nanoseconds, as Nomad does', async () => {
    const src = MINIMAL('service').replace('driver = "mock_driver"', 'driver = "mock_driver"\n      kill_timeout = 2000000000');
    const { job } = await parseJob(src, opts());
    assert.equal(onlyTask(job).killTimeoutMs, 2000);
  });
});

describe('parseJob runtime interpolation', () => {
  it('keeps ${NOMAD_*}, ${attr.*}, ${node.*}, ${meta.*} and ${env[...]} for task start', async () => {
    const { job } = await parseJob(
      `job "interp" {
        group "g" {
          task "t" {
            driver = "mock_driver"
            config {
              stdout_string = "\${NOMAD_ALLOC_ID} on \${attr.kernel.name}/\${node.unique.name} \${meta.rack} \${env["HOME"]}"
              run_for       = "\${NOMAD_META_run_for}"
            }
            env {
              ESCAPED = "$\${NOT_INTERPOLATED_BY_HCL}"
              PORT    = "\${NOMAD_PORT_http}"
            }
          }
        }
      }`,
      opts(),
    );
    const task = onlyTask(job);
    assert.deepEqual(task.config, {
      stdout_string: '${NOMAD_ALLOC_ID} on ${attr.kernel.name}/${node.unique.name} ${meta.rack} ${env["HOME"]}',
      run_for: '${NOMAD_META_run_for}',
    });
    assert.deepEqual(task.env, { ESCAPED: '${NOT_INTERPOLATED_BY_HCL}', PORT: '${NOMAD_PORT_http}' });
  });
});

describe('parseJob variables', () => {
  const VARS_JOB = `
variable "count" {
  type    = number
  default = 2
}
variable "image_tag" {
  type        = string
  description = "no default"
}
variable "dcs" {
  type    = list(string)
  default = ["dc1"]
}
variable "debug" {
  type    = bool
  default = false
}
variable "labels" {
  type    = map(string)
  default = { team = "core" }
}
locals {
  full_name = "app-\${var.image_tag}"
  doubled   = var.count * 2
  shouted   = upper(local.full_name)
}
job "vars" {
  datacenters = var.dcs
  meta        = var.labels
  group "g" {
    count = var.count
    task "t" {
      driver = "mock_driver"
      config {
        stdout_string = "\${local.full_name} x\${local.doubled} debug=\${var.debug}"
        exit_code     = local.doubled
      }
      env {
        SHOUT = local.shouted
        ALLOC = "\${NOMAD_ALLOC_INDEX}-\${var.image_tag}"
      }
    }
  }
}
`;

  it('uses defaults, keeps whole-reference types, and interpolates inside strings', async () => {
    const { job } = await parseJob(VARS_JOB, opts({ vars: { image_tag: 'v1' } }));
    assert.deepEqual(job.datacenters, ['dc1']);
    assert.deepEqual(job.meta, { team: 'core' });
    assert.equal(job.groups[0]?.count, 2);
    const task = onlyTask(job);
    assert.deepEqual(task.config, { stdout_string: 'app-v1 x4 debug=false', exit_code: 4 });
    assert.deepEqual(task.env, { SHOUT: 'APP-V1', ALLOC: '${NOMAD_ALLOC_INDEX}-v1' });
  });

  it('applies precedence default < NOMAD_VAR_ < -var-file (in order) < -var, converting by declared type', async () => {
    const base = await parseJob(VARS_JOB, opts({ env: { NOMAD_VAR_image_tag: 'env', NOMAD_VAR_count: '7', NOMAD_VAR_dcs: '["e1", "e2"]', OTHER: 'x' } }));
    assert.equal(base.job.groups[0]?.count, 7);
    assert.deepEqual(base.job.datacenters, ['e1', 'e2']);
    assert.equal(onlyTask(base.job).env['ALLOC'], '${NOMAD_ALLOC_INDEX}-env');

    const files = [
      { file: 'a.vars.hcl', source: 'image_tag = "file-a"\ncount = 4\ndebug = true\n' },
      { file: 'b.vars.hcl', source: '# later files win\nimage_tag = "file-b"\n' },
    ];
    const fromFiles = await parseJob(VARS_JOB, opts({ env: { NOMAD_VAR_image_tag: 'env' }, varFileContents: files }));
    assert.equal(fromFiles.job.groups[0]?.count, 4);
    assert.equal(onlyTask(fromFiles.job).config['stdout_string'], 'app-file-b x8 debug=true');

    const fromArgs = await parseJob(VARS_JOB, opts({ env: { NOMAD_VAR_image_tag: 'env' }, varFileContents: files, vars: { image_tag: 'cli', count: '9', debug: 'true' } }));
    assert.equal(fromArgs.job.groups[0]?.count, 9);
    assert.equal(onlyTask(fromArgs.job).config['stdout_string'], 'app-cli x18 debug=true');
  });

  it('infers the type of an untyped variable from its default; untyped without default stays a string', async () => {
    const src = `
variable "n" { default = 1 }
variable "s" {}
job "j" {
  group "g" {
    count = var.n
    task "t" {
      driver = "mock_driver"
      meta { s = var.s }
    }
  }
}`;
    const { job } = await parseJob(src, opts({ vars: { n: '3', s: '42' } }));
    assert.equal(job.groups[0]?.count, 3);
    assert.deepEqual(onlyTask(job).meta, { s: '42' });
  });

  it('supports the variables { } shorthand', async () => {
    const src = `variables {\n  tag = "v2"\n}\njob "j" {\n  group "g" {\n    task "t" {\n      driver = "mock_driver"\n      meta { tag = var.tag }\n    }\n  }\n}\n`;
    const { job } = await parseJob(src, opts());
    assert.deepEqual(onlyTask(job).meta, { tag: 'v2' });
  });

  it('reports every unset variable, not just the first', async () => {
    const src = `variable "a" {}\nvariable "b" {}\njob "j" {\n  group "g" {\n    task "t" { driver = "mock_driver" }\n  }\n}\n`;
    const err = await parseJob(src, opts()).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ValidationError);
    assert.deepEqual(
      err.problems.map((p) => [p.field, p.line]),
      [
        ['variable.a', 1],
        ['variable.b', 2],
      ],
    );
  });
});

describe('parseJob warnings', () => {
  it('accepts stanzas drover ignores, each reported with field and line', async () => {
    const src = `job "w" {
  node_pool = "default"
  migrate {
    max_parallel = 1
    health_check = "checks"
  }
  group "g" {
    network {
      mode = "bridge"
    }
    task "t" {
      driver = "mock_driver"
      service {
        name     = "web"
        provider = "consul"
      }
      vault {
        policies = ["x"]
      }
      resources {
        memory = 64
        device "nvidia/gpu" {
          count = 1
        }
      }
    }
  }
}
`;
    const { warnings } = await parseJob(src, opts());
    assert.deepEqual(
      warnings.map((w) => [w.field, w.line]),
      [
        ['job.w.node_pool', 2],
        ['job.w.migrate', 3],
        ['job.w.group.g.task.t.service.provider', 15],
        ['job.w.group.g.task.t.vault', 17],
        ['job.w.group.g.task.t.resources.device', 22],
      ],
    );
    assert.equal(warnings[1]?.message, '"migrate" is not supported by drover yet and is ignored');
    assert.equal(warnings[0]?.file, 'mock.nomad.hcl');
  });

  it("decodes a job shaped like `nomad job init`'s example, with warnings and no errors", async () => {
    const { job, warnings } = await parseJob(EXAMPLE_JOB, opts({ file: 'example.nomad.hcl' }));
    assert.equal(job.id, 'example');
    assert.deepEqual(job.datacenters, ['*']);
    const group = job.groups[0];
    assert.ok(group);
    assert.equal(group.name, 'cache');
    assert.deepEqual(group.restart, DEFAULT_SERVICE_RESTART);
    const task = onlyTask(job);
    assert.equal(task.driver, 'docker');
    assert.deepEqual(task.config, { image: 'redis:7', ports: ['db'], auth_soft_fail: true });
    assert.deepEqual(task.resources, { cpu: 500, cores: 0, memoryMb: 256, memoryMaxMb: 0 });
    assert.equal(task.templates.length, 1);
    assert.equal(task.templates[0]?.destPath, 'local/redis.conf');
    assert.equal(task.templates[0]?.changeMode, 'restart');
    assert.deepEqual(
      warnings.map((w) => `${w.field}:${w.line}`),
      ['job.example.migrate:12'],
    );
    // The job's update { } reaches the group over Nomad's defaults.
    assert.deepEqual(group.update, { ...DEFAULT_UPDATE_STRATEGY, healthyDeadlineMs: 180_000 });
  });
});
