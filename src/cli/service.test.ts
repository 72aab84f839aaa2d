/**
 * `drover service list|info|delete` and alloc status's "Nomad Service
 * Checks" section: the real binary against an agent in this process, whose
 * registry and check store the test fills directly (as the runners' hooks will).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, type ApiJob } from '../api/index.js';
import { mergeConfigs, runAgent, type RunningAgent } from '../agent/index.js';
import { DriverRegistry } from '../drivers/registry.js';
import { MockDriver } from '../drivers/mock/driver.js';
import { silentLogger } from '../model/logger.js';
import { drover } from './cli-testing.js';

let running: RunningAgent;
let client: ApiClient;
let env: Record<string, string>;
const allocs: Record<string, string> = {};

async function runJob(id: string): Promise<string> {
  const job: ApiJob = { ID: id, Name: id, Type: 'service', TaskGroups: [{ Name: 'g', Count: 1, Tasks: [{ Name: 't', Driver: 'mock_driver', Config: { run_for: '1h' } }] }] };
  await client.jobs.register(job);
  const [stub] = await client.jobs.allocations(id);
  return stub!.ID;
}

function reg(allocId: string, jobId: string, name: string, port: number, tags: string[], namespace = 'default') {
  return { id: `_nomad-task-${allocId}-group-g-${name}-${port}`, serviceName: name, namespace, nodeId: running.agent.node.id, datacenter: 'dc1', jobId, allocId, tags, address: '127.0.0.1', port };
}

before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'drover-cli-services-'));
  const drivers = new DriverRegistry();
  drivers.register('mock_driver', new MockDriver({ logger: silentLogger, now: Date.now }));
  running = await runAgent({ ...mergeConfigs(dataDir, [{ httpPort: 0 }]), dataDir }, silentLogger, { drivers });
  client = new ApiClient({ address: running.http.address, token: '' });
  env = { DROVER_ADDR: `http://${running.http.address}` };
});

after(async () => {
  const agent = running.agent;
  for (const j of agent.jobs()) agent.deregister(j.id, true);
  await Promise.all(agent.allocs().map((a) => agent.waitAlloc(a.record.id)));
  await running.stop();
});

test('service list: none yet; then names and tag unions, per namespace with -namespace "*"; -json; -t as a Go template', async () => {
  let r = await drover(['service', 'list'], { env });
  assert.deepEqual([r.code, r.stdout], [0, 'No service registrations found\n']);

  allocs['web'] = await runJob('web');
  allocs['api'] = await runJob('api');
  const { web, api } = allocs as { web: string; api: string };
  running.agent.services.registerWorkload(web, 'group-g', [reg(web, 'web', 'web', 8080, ['http']), reg(web, 'web', 'web', 8081, ['a']), reg(web, 'web', 'db', 5432, [], 'prod')]);
  running.agent.services.registerWorkload(api, 't', [reg(api, 'api', 'web', 8082, []), reg(api, 'api', 'webhook', 9000, ['hook'])]);

  r = await drover(['service', 'list'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, ['Service Name  Tags', 'web           [a,http]', 'webhook       [hook]', ''].join('\n'));
  r = await drover(['service', 'list', '-namespace', '*'], { env });
  assert.equal(r.stdout, ['Service Name  Namespace  Tags', 'web           default    [a,http]', 'webhook       default    [hook]', 'db            prod       []', ''].join('\n'));
  r = await drover(['service', 'list', '-json'], { env });
  assert.deepEqual(JSON.parse(r.stdout), await client.services.list());
  r = await drover(['service', 'list', '-namespace', '*', '-t', '{{range .}}{{.Namespace}}:{{range .Services}}{{.ServiceName}} {{end}}{{end}}'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${(await client.services.list({ namespace: '*' })).map((n) => `${n.Namespace}:${n.Services.map((x) => `${x.ServiceName} `).join('')}`).join('')}\n`);
  r = await drover(['service', 'list', '-t', '{{range .}}{{.Nope'], { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^template: format:1: /);
  r = await drover(['service', 'list', 'extra'], { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^This command takes no arguments/);
});

test('service info: by name or unique prefix, grouped by job; -verbose, -json; ambiguous and unknown names', async () => {
  const { web, api } = allocs as { web: string; api: string };
  const node = running.agent.node.id.slice(0, 8);
  let r = await drover(['service', 'info', 'web'], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      'Job ID  Address         Tags    Node ID   Alloc ID',
      `api     127.0.0.1:8082  []      ${node}  ${api.slice(0, 8)}`,
      `web     127.0.0.1:8080  [http]  ${node}  ${web.slice(0, 8)}`,
      `web     127.0.0.1:8081  [a]     ${node}  ${web.slice(0, 8)}`,
      '',
    ].join('\n'),
  );
  r = await drover(['service', 'info', 'webh'], { env });
  assert.match(r.stdout, /^Job ID +Address +Tags +Node ID +Alloc ID\napi +127\.0\.0\.1:9000 +\[hook\]/);
  r = await drover(['service', 'info', '-verbose', 'webhook'], { env });
  assert.equal(
    r.stdout,
    [
      `ID           = _nomad-task-${api}-group-g-webhook-9000`,
      'Service Name = webhook',
      'Namespace    = default',
      'Job ID       = api',
      `Alloc ID     = ${api}`,
      `Node ID      = ${running.agent.node.id}`,
      'Datacenter   = dc1',
      'Address      = 127.0.0.1:9000',
      'Tags         = [hook]',
      '',
    ].join('\n'),
  );
  r = await drover(['service', 'info', '-json', 'web'], { env });
  assert.deepEqual(JSON.parse(r.stdout), await client.services.get('web'));
  r = await drover(['service', 'info', '-namespace', 'prod', 'db'], { env });
  assert.match(r.stdout, /127\.0\.0\.1:5432/);

  r = await drover(['service', 'info', 'we'], { env });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, ['Prefix matched multiple services', '', 'Service Name  Tags', 'web           [a,http]', 'webhook       [hook]', ''].join('\n'));
  r = await drover(['service', 'info', 'nope'], { env });
  assert.deepEqual([r.code, r.stderr], [1, 'Error listing service registrations: No service registrations with prefix "nope" found\n']);
  r = await drover(['service', 'info'], { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^This command takes one argument: <service_name>/);
});

test('service delete: one registration by name and id; an unknown id fails with the agent\'s 404', async () => {
  const { web } = allocs as { web: string };
  const id = `_nomad-task-${web}-group-g-web-8081`;
  let r = await drover(['service', 'delete', 'web', id], { env });
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'Successfully deleted service registration\n', '']);
  assert.deepEqual((await client.services.get('web')).map((s) => s.Port).sort(), [8080, 8082]);
  r = await drover(['service', 'delete', 'web', id], { env });
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `Error deleting service registration: Unexpected response code: 404 (service registration not found: no registration "${id}" in namespace "default")\n`);
  r = await drover(['service', 'delete', 'web'], { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^This command takes two arguments: <service_name> and <service_id>/);
});

test('service: help for the command and each subcommand', async () => {
  let r = await drover(['service', '-help'], { env });
  assert.equal(r.code, 0);
  assert.match(r.stderr, /Subcommands:\n {2}list +Display all registered services\n {2}info .*\n {2}delete /);
  for (const [sub, first] of [['list', 'Usage: drover service list [options]'], ['info', 'Usage: drover service info [options] <service_name>'], ['delete', 'Usage: drover service delete [options] <service_name> <service_id>']] as const) {
    r = await drover(['service', sub, '-help'], { env });
    assert.equal(r.code, 0);
    assert.ok(r.stderr.startsWith(first), r.stderr);
    assert.match(r.stderr, /General Options:\n {2}-address ADDR/);
  }
  r = await drover(['service', 'bogus'], { env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Unknown command "service bogus"/);
});

test('alloc status: a "Nomad Service Checks" section, sorted, when the alloc has check results', async () => {
  const { web, api } = allocs as { web: string; api: string };
  const base = { statusCode: 0, output: '', timestamp: Date.now(), allocId: web, group: 'g' };
  running.agent.checks.put({ ...base, id: 'c1', mode: 'healthiness', status: 'success', task: '', service: 'web', check: 'alive' });
  running.agent.checks.put({ ...base, id: 'c2', mode: 'readiness', status: 'failure', statusCode: 503, task: 't', service: 'api', check: 'ready' });
  let r = await drover(['alloc', 'status', web], { env });
  assert.equal(r.code, 0, r.stderr);
  const section = ['Nomad Service Checks:', 'Service  Task     Name   Mode         Status', 'api      t        ready  readiness    failure', 'web      (group)  alive  healthiness  success'].join('\n');
  assert.ok(r.stdout.includes(`\n\n${section}\n\nTask "t" is`), r.stdout);
  r = await drover(['alloc', 'status', api], { env });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!r.stdout.includes('Nomad Service Checks'), r.stdout);
});
