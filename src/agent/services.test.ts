/**
 * Native service discovery, agent side, over real HTTP on an agent in this
 * process: registrations made through the agent's ServiceRegistrationHandler
 * (as the runners' hooks will) persist across a restart with their indexes,
 * list and read as Nomad's API does, delete by id, publish Service events,
 * and go with their allocation; check results show on the checks endpoint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiAllocCheckStatuses, ApiEvent, ApiServiceRegistration, ApiServiceRegistrationListStub } from '../model/nomad-api/index.js';
import { DriverRegistry } from '../drivers/registry.js';
import { MockDriver } from '../drivers/mock/driver.js';
import { silentLogger } from '../model/logger.js';
import { eventually } from '../model/testing/eventually.js';
import { makeJob, makeTask } from '../taskrunner/testing.js';
import type { CheckResult, ServiceRegistration } from '../taskrunner/services/types.js';
import { DEFAULT_AGENT_CONFIG } from './config/agent-config.js';
import { runAgent, type RunningAgent } from './run-agent.js';
import { openDatabase } from './state/state-db.js';
import { ServiceStore } from './state/service-store.js';

interface Running {
  readonly running: RunningAgent;
  readonly client: Http;
  readonly dataDir: string;
}

/** A non-2xx answer: status and Nomad's plain-text message. */
class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`${status}: ${body}`);
  }
}

type Query = Record<string, string | undefined>;

/** The endpoints under test over plain fetch (src/agent may not use the client in src/api). */
class Http {
  constructor(private readonly base: string) {}

  async call<T>(method: string, path: string, query: Query = {}): Promise<T> {
    const u = new URL(this.base + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, v);
    const res = await fetch(u, { method });
    const text = await res.text();
    if (!res.ok) throw new HttpFailure(res.status, text);
    return JSON.parse(text) as T;
  }

  readonly services = {
    list: (q: { namespace?: string; prefix?: string } = {}) => this.call<ApiServiceRegistrationListStub[]>('GET', '/v1/services', q),
    get: (name: string, q: { namespace?: string; choose?: string } = {}) => this.call<ApiServiceRegistration[]>('GET', `/v1/service/${encodeURIComponent(name)}`, q),
    delete: (name: string, id: string) => this.call('DELETE', `/v1/service/${encodeURIComponent(name)}/${encodeURIComponent(id)}`),
  };

  readonly client = {
    checks: (allocId: string) => this.call<ApiAllocCheckStatuses>('GET', `/v1/client/allocation/${allocId}/checks`),
  };
}

/**
 * An agent with only the mock driver. An agent restart reuses the registry: the
 * mock's tasks live in this process, and the second agent must re-attach to
 * the very tasks the first one left running (as it would to real processes).
 */
async function start(dataDir = mkdtempSync(join(tmpdir(), 'drover-services-')), drivers = mockOnly()): Promise<Running & { drivers: DriverRegistry }> {
  const running = await runAgent({ ...DEFAULT_AGENT_CONFIG, dataDir, httpPort: 0 }, silentLogger, { drivers });
  return { running, dataDir, drivers, client: new Http(`http://${running.http.address}`) };
}

function mockOnly(): DriverRegistry {
  const drivers = new DriverRegistry();
  drivers.register('mock_driver', new MockDriver({ logger: silentLogger, now: Date.now }));
  return drivers;
}

/** Purges every job and waits for its tasks to stop (their timers would keep the test process alive), then stops the agent. */
async function finish(r: Running): Promise<void> {
  const agent = r.running.agent;
  for (const j of agent.jobs()) agent.deregister(j.id, true);
  await Promise.all(agent.allocs().map((a) => agent.waitAlloc(a.record.id)));
  await r.running.stop();
}

/** Registers a long-running job and returns its alloc's id. */
async function runJob(r: Running, id: string): Promise<string> {
  const job = { ...makeJob([makeTask('t', { run_for: '1h' })]), id, name: id };
  await r.running.agent.register(job);
  return (r.running.agent.allocs(id)[0] as { record: { id: string } }).record.id;
}

function reg(r: Running, allocId: string, jobId: string, name: string, over: Partial<ServiceRegistration> = {}): ServiceRegistration {
  const port = over.port ?? 8080;
  return {
    id: `_nomad-task-${allocId}-group-g-${name}-${port}`,
    serviceName: name,
    namespace: 'default',
    nodeId: r.running.agent.node.id,
    datacenter: 'dc1',
    jobId,
    allocId,
    tags: [],
    address: '127.0.0.1',
    port,
    ...over,
  };
}

function check(allocId: string, id: string, over: Partial<CheckResult> = {}): CheckResult {
  return { id, mode: 'healthiness', status: 'success', statusCode: 0, output: 'nomad: tcp ok', timestamp: 1_700_000_000_123, allocId, group: 'g', task: '', service: 'web', check: 'alive', ...over };
}

test('services: registrations keep their indexes, survive an agent restart, and a crash leftover is swept', async () => {
  let r = await start();
  const alloc = await runJob(r, 'web');
  const services = r.running.agent.services;
  const a = reg(r, alloc, 'web', 'web', { tags: ['a', 'b'] });
  const b = reg(r, alloc, 'web', 'web', { port: 8081, tags: ['b', 'c'] });
  const before = r.running.agent.db.lastIndex;
  services.registerWorkload(alloc, 'group-g', [a, b]);
  // Synchronous: no other write (the runner's status updates) can come in between.
  const index = r.running.agent.db.lastIndex;
  assert.equal(index, before + 1, 'one write, one index');
  const first = await r.client.services.get('web');
  assert.equal(first.length, 2);
  for (const s of first) assert.deepEqual([s.CreateIndex, s.ModifyIndex], [index, index]);
  assert.deepEqual(first.find((s) => s.Port === 8080), {
    ID: a.id,
    ServiceName: 'web',
    Namespace: 'default',
    NodeID: r.running.agent.node.id,
    Datacenter: 'dc1',
    JobID: 'web',
    AllocID: alloc,
    Tags: ['a', 'b'],
    Address: '127.0.0.1',
    Port: 8080,
    CreateIndex: index,
    ModifyIndex: index,
  });

  // The same set again (tags in another order) changes nothing; a changed tag list bumps only ModifyIndex.
  const beforeSame = r.running.agent.db.lastIndex;
  services.registerWorkload(alloc, 'group-g', [{ ...a, tags: ['b', 'a'] }, b]);
  assert.equal(r.running.agent.db.lastIndex, beforeSame, 'nothing changed, nothing written');
  services.registerWorkload(alloc, 'group-g', [a, { ...b, tags: ['c'] }]);
  const bumped = r.running.agent.db.lastIndex;
  assert.ok(bumped > beforeSame);
  const now = await r.client.services.get('web');
  assert.deepEqual(now.map((s) => [s.Port, s.CreateIndex, s.ModifyIndex, s.Tags]), [
    [8080, index, index, ['a', 'b']],
    [8081, index, bumped, ['c']],
  ]);
  // A registration no longer listed is removed; another workload's are untouched.
  services.registerWorkload(alloc, 't', [reg(r, alloc, 'web', 'api', { port: 9000 })]);
  services.registerWorkload(alloc, 'group-g', [a]);
  assert.deepEqual((await r.client.services.get('web')).map((s) => s.Port), [8080]);
  assert.equal((await r.client.services.get('api')).length, 1);
  r.running.agent.checks.put(check(alloc, 'c1', { status: 'failure', output: 'connection refused' }));
  const saved = { web: await r.client.services.get('web'), api: await r.client.services.get('api'), index: r.running.agent.db.lastIndex };

  await r.running.stop();
  // A registration whose alloc is gone (a crash between purge and cleanup) is swept at the next start.
  const db = openDatabase(r.dataDir);
  new ServiceStore(db).put({ ...reg(r, 'gone-alloc', 'old', 'old'), workload: 'group-g', createIndex: 1, modifyIndex: 1 });
  db.close();

  r = await start(r.dataDir, r.drivers);
  try {
    assert.deepEqual(await r.client.services.get('web'), saved.web);
    assert.deepEqual(await r.client.services.get('api'), saved.api);
    assert.deepEqual(await r.client.services.get('old'), []);
    assert.ok(r.running.agent.db.lastIndex >= saved.index);
    const checks = await r.client.client.checks(alloc);
    assert.equal(checks['c1']?.Status, 'failure', 'check results are restored');
  } finally {
    await finish(r);
  }
});

test('services: list groups by namespace with the union of tags; info by name; choose; bad queries are 400s', async () => {
  const r = await start();
  try {
    assert.deepEqual(await r.client.services.list(), []);
    const alloc = await runJob(r, 'web');
    r.running.agent.services.registerWorkload(alloc, 'group-g', [
      reg(r, alloc, 'web', 'web', { tags: ['b', 'a'] }),
      reg(r, alloc, 'web', 'web', { port: 8081, tags: ['c', 'b'] }),
      reg(r, alloc, 'web', 'db', { port: 5432 }),
      reg(r, alloc, 'web', 'web', { port: 8082, namespace: 'prod', tags: ['p'] }),
    ]);
    assert.deepEqual(await r.client.services.list(), [
      { Namespace: 'default', Services: [{ ServiceName: 'db', Tags: [] }, { ServiceName: 'web', Tags: ['a', 'b', 'c'] }] },
    ]);
    assert.deepEqual(await r.client.services.list({ namespace: 'prod' }), [{ Namespace: 'prod', Services: [{ ServiceName: 'web', Tags: ['p'] }] }]);
    assert.deepEqual((await r.client.services.list({ namespace: '*' })).map((n) => n.Namespace), ['default', 'prod']);
    assert.deepEqual(await r.client.services.list({ prefix: 'w' }), [{ Namespace: 'default', Services: [{ ServiceName: 'web', Tags: ['a', 'b', 'c'] }] }]);

    assert.deepEqual((await r.client.services.get('web')).map((s) => s.Port).sort(), [8080, 8081]);
    assert.deepEqual((await r.client.services.get('web', { namespace: 'prod' })).map((s) => s.Port), [8082]);
    assert.deepEqual((await r.client.services.get('web', { namespace: '*' })).map((s) => s.Port).sort(), [8080, 8081, 8082]);
    assert.deepEqual(await r.client.services.get('nope'), []);

    // choose: a stable pick of n for a key; n larger than the set gives them all.
    const one = await r.client.services.get('web', { choose: '1|client-a' });
    assert.equal(one.length, 1);
    assert.deepEqual(await r.client.services.get('web', { choose: '1|client-a' }), one);
    assert.equal((await r.client.services.get('web', { choose: '5|k' })).length, 2);
    for (const bad of ['1', 'x|k', '1|', '-1|k']) {
      await assert.rejects(r.client.services.get('web', { choose: bad }), (e: HttpFailure) => {
        assert.equal(e.status, 400);
        assert.equal(e.body, "failed to choose services: Parameter for choose must be in form '<number>|<key>'");
        return true;
      });
    }
    await assert.rejects(r.client.call('GET', '/v1/service/'), (e: HttpFailure) => e.status === 400 && e.body === 'missing service name');
    await assert.rejects(r.client.call('DELETE', '/v1/service/web/'), (e: HttpFailure) => e.status === 400 && e.body === 'missing service id');
    await assert.rejects(r.client.call('GET', '/v1/services', { filter: 'ServiceName == "web"' }), (e: HttpFailure) => e.status === 400 && /filter expressions are not supported/.test(e.body));
  } finally {
    await finish(r);
  }
});

test('services: delete by id (404 with a clear message when unknown); Service events for registration and removal', async () => {
  const r = await start();
  try {
    const alloc = await runJob(r, 'web');
    const ctrl = new AbortController();
    const seen: ApiEvent[] = [];
    const collecting = (async () => {
      // publish([]) publishes nothing and answers the current event index: subscribe from now on.
      for await (const batch of r.running.agent.events.subscribe(new Map([['Service', ['*']]]), r.running.agent.events.publish([]), ctrl.signal)) {
        if ('Events' in batch) seen.push(...batch.Events);
      }
    })();
    const s = reg(r, alloc, 'web', 'web');
    r.running.agent.services.registerWorkload(alloc, 'group-g', [s]);
    await r.client.services.delete('web', s.id);
    assert.deepEqual(await r.client.services.get('web'), []);
    await assert.rejects(r.client.services.delete('web', s.id), (e: HttpFailure) => {
      assert.equal(e.status, 404);
      assert.equal(e.body, `service registration not found: no registration "${s.id}" in namespace "default"`);
      return true;
    });
    await eventually(() => seen.length === 2);
    ctrl.abort();
    await collecting;
    assert.deepEqual(
      seen.map((e) => [e.Topic, e.Type, e.Key, e.Namespace, e.FilterKeys]),
      [
        ['Service', 'ServiceRegistration', s.id, 'default', ['web', 'web']],
        ['Service', 'ServiceDeregistration', s.id, 'default', ['web', 'web']],
      ],
    );
    assert.equal((seen[0]?.Payload['Service'] as { Port: number }).Port, 8080);
  } finally {
    await finish(r);
  }
});

test('services: the checks endpoint keeps the latest result per check as Nomad encodes it; pending never replaces a result', async () => {
  const r = await start();
  try {
    const alloc = await runJob(r, 'web');
    assert.deepEqual(await r.client.client.checks(alloc), {});
    const checks = r.running.agent.checks;
    checks.put(check(alloc, 'c1', { status: 'pending', output: '' }));
    checks.put(check(alloc, 'c1'));
    checks.put(check(alloc, 'c1', { status: 'pending', output: '' }));
    checks.put(check(alloc, 'c2', { mode: 'readiness', status: 'failure', statusCode: 503, output: 'HTTP 503', task: 't', service: 'api', check: 'ready', timestamp: 1_700_000_005_999 }));
    assert.deepEqual(await r.client.client.checks(alloc.slice(0, 8)), {
      c1: { ID: 'c1', Check: 'alive', Group: 'g', Mode: 'healthiness', Output: 'nomad: tcp ok', Service: 'web', Status: 'success', Timestamp: 1_700_000_000 },
      c2: { ID: 'c2', Check: 'ready', Group: 'g', Mode: 'readiness', Output: 'HTTP 503', Service: 'api', Task: 't', Status: 'failure', StatusCode: 503, Timestamp: 1_700_000_005 },
    });
    await assert.rejects(r.client.client.checks('ffffffff-0000-4000-8000-000000000000'), (e: HttpFailure) => e.status === 404 && e.body === 'alloc not found');
  } finally {
    await finish(r);
  }
});

test('services: an alloc that ends and a purged job take their registrations and check results with them; late ones are dropped', async () => {
  const r = await start();
  try {
    const agent = r.running.agent;
    const stopped = await runJob(r, 'stopped');
    const purged = await runJob(r, 'purged');
    agent.services.registerWorkload(stopped, 'group-g', [reg(r, stopped, 'stopped', 'stopped')]);
    agent.services.registerWorkload(purged, 'group-g', [reg(r, purged, 'purged', 'purged')]);
    agent.checks.put(check(stopped, 'c1'));
    agent.checks.put(check(purged, 'c1'));
    assert.equal((await r.client.services.list())[0]?.Services.length, 2);

    agent.deregister('stopped', false);
    await eventually(() => agent.alloc(stopped)?.record.terminal);
    assert.deepEqual(await r.client.services.get('stopped'), []);
    assert.deepEqual(await r.client.client.checks(stopped), {});
    // The runner's hooks are late: the alloc is terminal, nothing would ever remove these.
    agent.services.registerWorkload(stopped, 'group-g', [reg(r, stopped, 'stopped', 'stopped')]);
    agent.checks.put(check(stopped, 'c1'));
    assert.deepEqual(await r.client.services.get('stopped'), []);
    assert.deepEqual(await r.client.client.checks(stopped), {});

    agent.deregister('purged', true);
    await eventually(() => agent.db.job('purged') === undefined && agent.alloc(purged) === undefined);
    await eventually(async () => (await r.client.services.list()).length === 0);
    assert.deepEqual(agent.checks.list(purged), new Map());
  } finally {
    await finish(r);
  }
});

test('services: an "any" address is refused (Nomad\'s ServiceRegistration.Validate)', async () => {
  const r = await start();
  try {
    const alloc = await runJob(r, 'web');
    assert.throws(() => r.running.agent.services.registerWorkload(alloc, 'group-g', [reg(r, alloc, 'web', 'web', { address: '0.0.0.0' })]), /invalid service registration address "0\.0\.0\.0"/);
    assert.deepEqual(await r.client.services.list(), []);
  } finally {
    await finish(r);
  }
});
