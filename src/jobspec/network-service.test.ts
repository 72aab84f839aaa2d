import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError, type FieldProblem } from '../model/index.js';
import { parseJob } from './index.js';
import { testSchemas } from './testdata/schemas.js';
import { WEB } from './testdata/web-job.js';


async function problemsOf(src: string): Promise<readonly FieldProblem[]> {
  try {
    await parseJob(src, { file: 'bad.nomad.hcl', drivers: testSchemas });
  } catch (err) {
    assert.ok(err instanceof ValidationError, `expected ValidationError, got ${String(err)}`);
    return err.problems;
  }
  return assert.fail('expected parseJob to fail');
}

/** A group with `group` lines in it and one raw_exec task with `task` lines. */
const job = (group: string, task = ''): string => `job "bad" {
  group "web" {
${group}
    task "server" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
      }
${task}
    }
  }
}
`;

async function expectProblem(src: string, field: string, message: RegExp): Promise<FieldProblem> {
  const problems = await problemsOf(src);
  const hit = problems.find((p) => p.field === field && message.test(p.message));
  assert.ok(hit, `no problem at ${field} matching ${String(message)}; got:\n${problems.map((p) => `  ${p.field}:${p.line}: ${p.message}`).join('\n')}`);
  return hit;
}

describe('network and service blocks', () => {
  it('decodes ports (static ones as reserved), dns, services, checks and check_restart with Nomad defaults', async () => {
    const { job: j, warnings } = await parseJob(WEB, { file: 'web.nomad.hcl', drivers: testSchemas });
    assert.deepEqual(warnings, []);
    const g = j.groups[0];
    assert.ok(g);
    assert.deepEqual(g.networks, [
      {
        mode: 'host',
        hostname: '',
        reservedPorts: [{ label: 'admin', value: 9901, to: 0, hostNetwork: 'default' }],
        dynamicPorts: [{ label: 'http', value: 0, to: 8080, hostNetwork: 'default' }],
        dns: { servers: ['1.1.1.1'], searches: [], options: [] },
        mbits: 0,
      },
    ]);
    const svc = g.services[0];
    assert.ok(svc);
    assert.equal(svc.name, 'web-api');
    assert.equal(svc.provider, 'nomad');
    assert.equal(svc.addressMode, 'auto');
    assert.equal(svc.taskName, '');
    const check = svc.checks[0];
    assert.ok(check);
    assert.equal(check.name, 'service: "web-api" check');
    assert.equal(check.method, 'POST');
    assert.equal(check.path, '/health?full=1');
    assert.equal(check.protocol, 'http');
    assert.equal(check.addressMode, 'host');
    assert.deepEqual(check.headers, { Authorization: ['Basic Zm9v'] });
    assert.equal(check.intervalMs, 5_000);
    assert.equal(check.timeoutMs, 2_000);
    assert.deepEqual(check.checkRestart, { limit: 3, graceMs: 10_000, ignoreWarnings: false });

    const task = g.tasks[0];
    assert.ok(task);
    assert.equal(task.services[0]?.name, 'web-api-server');
    assert.equal(task.services[0]?.taskName, 'server');
    assert.deepEqual(
      task.services[0]?.checks.map((c) => [c.name, c.type, c.taskName]),
      [
        ['service: "web-api-server" check', 'tcp', 'server'],
        ['alive', 'script', 'server'],
      ],
    );
    assert.deepEqual(task.networks[0]?.dynamicPorts, [{ label: 'legacy', value: 0, to: 0, hostNetwork: 'default' }]);
  });

  it('warns, and does not fail, for provider = "consul" and for connect', async () => {
    const src = job(`    network {
      mode = "bridge"
      port "http" {
        to = 8080
      }
    }
    service {
      name = "a"
      port = "http"
      connect {
        sidecar_service {}
      }
    }
    service {
      name     = "b"
      provider = "consul"
      port     = "http"
    }`);
    const { job: j, warnings } = await parseJob(src, { file: 'w.nomad.hcl', drivers: testSchemas });
    assert.deepEqual(
      warnings.map((w) => [w.field, w.line]),
      [
        ['job.bad.group.web.service[0].connect', 12],
        ['job.bad.group.web.service[1].provider', 18],
      ],
    );
    assert.match(warnings[0]?.message ?? '', /Consul Connect needs a Consul agent/);
    assert.match(warnings[1]?.message ?? '', /drover runs no Consul agent, so it is not registered/);
    assert.deepEqual(
      j.groups[0]?.services.map((s) => [s.name, s.provider, s.connect]),
      [
        ['a', 'nomad', true],
        ['b', 'consul', false],
      ],
    );
  });
});

describe('network and service rules, with field and line', () => {
  it('duplicate port label', async () => {
    const p = await expectProblem(job('    network {\n      port "http" {}\n      port "http" {\n        static = 80\n      }\n    }'), 'job.bad.group.web.network.port.http', /Port label http already in use by taskgroup network/);
    assert.equal(p.line, 5);
  });

  it('static port out of range, negative to', async () => {
    await expectProblem(job('    network {\n      port "a" {\n        static = 70000\n      }\n    }'), 'job.bad.group.web.network.port.a.static', /Port a \(70000\) cannot be greater than 65535/);
    await expectProblem(job('    network {\n      port "a" {\n        to = -2\n      }\n    }'), 'job.bad.group.web.network.port.a.to', /cannot be mapped to negative value -2/);
  });

  it('a task network reusing a group label or static port', async () => {
    const group = '    network {\n      port "http" {\n        static = 8080\n      }\n    }';
    const task = '      resources {\n        network {\n          port "web" {\n            static = 8080\n          }\n        }\n      }';
    await expectProblem(job(group, task), 'job.bad.group.web.task.server.resources.network.port.web.static', /Static port 8080 already reserved by taskgroup network:http/);
  });

  it("a mode in any case is accepted and read lower-cased, as Nomad's client reads it", async () => {
    const { job: j } = await parseJob(job('    network {\n      mode = "Bridge"\n    }'), { file: 'ok.nomad.hcl', drivers: testSchemas });
    assert.equal(j.groups[0]?.networks[0]?.mode, 'bridge');
  });

  it('bad network mode and two networks', async () => {
    await expectProblem(job('    network {\n      mode = "bridged"\n    }'), 'job.bad.group.web.network.mode', /invalid network mode "bridged"/);
    await expectProblem(job('    network {\n    }\n    network {\n    }'), 'job.bad.group.web.network', /Only one network resource is allowed in a group/);
  });

  it('unknown attribute in port, service and check', async () => {
    await expectProblem(job('    network {\n      port "a" {\n        statik = 1\n      }\n    }'), 'job.bad.group.web.network.port.a.statik', /unknown attribute "statik" in port.*did you mean "static"/);
    await expectProblem(job('    service {\n      nmae = "x"\n    }'), 'job.bad.group.web.service.nmae', /unknown attribute "nmae" in service.*did you mean "name"/);
  });

  it("a service port written as ${NOMAD_PORT_x} is resolved at registration, not refused (as Nomad's Connect examples write it)", async () => {
    const { job: j } = await parseJob(job('    network {\n      port "api" {}\n    }\n    service {\n      name = "x"\n      port = "\${NOMAD_PORT_api}"\n    }'), { file: 'ok.nomad.hcl', drivers: testSchemas });
    assert.equal(j.groups[0]?.services[0]?.portLabel, '\${NOMAD_PORT_api}');
  });

  it('service port label that does not exist', async () => {
    await expectProblem(job('    service {\n      name = "x"\n      port = "http"\n    }'), 'job.bad.group.web.service.port', /port label "http" referenced by services x does not exist/);
  });

  it('check without interval, http check without path, bad type, bad duration', async () => {
    const svc = (check: string): string => job(`    network {\n      port "http" {}\n    }\n    service {\n      name = "x"\n      port = "http"\n      check {\n${check}\n      }\n    }`);
    await expectProblem(svc('        type = "tcp"\n        timeout = "1s"'), 'job.bad.group.web.service.check.interval', /missing required value interval/);
    await expectProblem(svc('        type = "http"\n        interval = "1s"\n        timeout = "1s"'), 'job.bad.group.web.service.check.path', /http type must have http path/);
    await expectProblem(svc('        type = "htp"\n        interval = "1s"\n        timeout = "1s"'), 'job.bad.group.web.service.check.type', /invalid check type \("htp"\), must be one of http, tcp, script, grpc/);
    const p = await expectProblem(svc('        type = "tcp"\n        interval = "5 seconds"\n        timeout = "1s"'), 'job.bad.group.web.service.check.interval', /.+/);
    assert.equal(p.line, 11);
    await expectProblem(svc('        type = "tcp"\n        interval = "500ms"\n        timeout = "1s"'), 'job.bad.group.web.service.check.interval', /cannot be lower than 1s/);
  });

  it('script check in a group service without a task', async () => {
    await expectProblem(
      job('    service {\n      name = "x"\n      check {\n        type = "script"\n        command = "/bin/true"\n        interval = "5s"\n        timeout = "1s"\n      }\n    }'),
      'job.bad.group.web.service.check.task',
      /Service \[web\]->x or Check service: "x" check must specify task parameter/,
    );
  });

  it('bad service name and address_mode', async () => {
    await expectProblem(job('    service {\n      name = "my_service"\n    }'), 'job.bad.group.web.service.name', /Service name must be valid per RFC 1123/);
    await expectProblem(job('', '      service {\n        address_mode = "alloc"\n      }'), 'job.bad.group.web.task.server.service.address_mode', /cannot use address_mode="alloc"/);
  });


});
