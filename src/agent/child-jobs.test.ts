/**
 * Periodic and dispatched children on an in-process agent with the periodic
 * dispatcher's clock driven by hand: exact launch instants, prohibit_overlap,
 * restarts (no instant launched twice, at most the latest missed one), dispatch checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriverRegistry } from '../drivers/registry.js';
import { MockDriver } from '../drivers/mock/driver.js';
import { silentLogger } from '../model/logger.js';
import { eventually } from '../model/testing/eventually.js';
import { parseJob } from '../jobspec/index.js';
import { DEFAULT_AGENT_CONFIG } from './config/agent-config.js';
import { Agent } from './core/agent.js';
import { childrenOf } from './core/child-jobs.js';
import type { PeriodicTimers } from './core/periodic-dispatcher.js';

/** A clock that moves only when told; due timers fire in order as it passes them. */
class HandClock implements PeriodicTimers {
  private timers: { at: number; fn: () => void }[] = [];
  constructor(public t: number) {}
  now = (): number => this.t;
  set = (fn: () => void, ms: number): (() => void) => {
    const e = { at: this.t + ms, fn };
    this.timers.push(e);
    return () => (this.timers = this.timers.filter((x) => x !== e));
  };
  advanceTo(t: number): void {
    for (;;) {
      const due = this.timers.filter((x) => x.at <= t).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = t;
  }
}

function mockOnly(): DriverRegistry {
  const drivers = new DriverRegistry();
  drivers.register('mock_driver', new MockDriver({ logger: silentLogger, now: Date.now }));
  return drivers;
}

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0, 500);
const S0 = Math.floor(T0 / 1000);

async function start(dataDir: string, clock: HandClock): Promise<Agent> {
  return Agent.start({ config: { ...DEFAULT_AGENT_CONFIG, dataDir }, logger: silentLogger, drivers: mockOnly(), periodicTimers: clock });
}

async function register(agent: Agent, hcl: string): Promise<void> {
  const { job } = await parseJob(hcl, { file: 'j.hcl', drivers: agent.drivers });
  await agent.register(job);
}

const periodicJob = (id: string, periodic: string, runFor = '10ms') => `job "${id}" {
  type = "batch"
  periodic {
${periodic}
  }
  group "g" {
    task "t" {
      driver = "mock_driver"
      config {
        run_for = "${runFor}"
      }
    }
  }
}
`;

const childIds = (agent: Agent, id: string) => childrenOf(agent.jobs(), id).map((c) => c.id);

test('periodic: launches each */2 seconds instant once, and across restarts launches at most the latest missed one', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'drover-periodic-'));
  const clock = new HandClock(T0);
  let agent = await start(dataDir, clock);
  try {
    await register(agent, periodicJob('p', '    crons = ["*/2 * * * * *"]'));
    assert.equal(agent.allocs('p').length, 0, 'the parent is never placed');
    assert.equal(agent.periodic.nextLaunchOf('p'), (S0 + 2) * 1000);

    clock.advanceTo(T0 + 1_400);
    await agent.periodic.idle();
    assert.deepEqual(childIds(agent, 'p'), []);
    clock.advanceTo((S0 + 2) * 1000);
    await agent.periodic.idle();
    assert.deepEqual(childIds(agent, 'p'), [`p/periodic-${S0 + 2}`]);
    const child = agent.job(`p/periodic-${S0 + 2}`);
    assert.equal(child?.job.parentId, 'p');
    assert.equal(child?.job.periodic, undefined, 'a child is a plain job');
    assert.equal(agent.allocs(child.id).length, 1, 'the child is placed');
    clock.advanceTo((S0 + 4) * 1000 + 300);
    await agent.periodic.idle();
    assert.deepEqual(childIds(agent, 'p'), [`p/periodic-${S0 + 2}`, `p/periodic-${S0 + 4}`]);

    // Restart before the next instant: nothing launched on start, the next instant as scheduled.
    await agent.shutdown();
    clock.advanceTo((S0 + 5) * 1000);
    agent = await start(dataDir, clock);
    await agent.periodic.idle();
    assert.equal(childIds(agent, 'p').length, 2, 'no launch on start before the next instant');
    clock.advanceTo((S0 + 6) * 1000);
    await agent.periodic.idle();
    assert.deepEqual(childIds(agent, 'p').slice(2), [`p/periodic-${S0 + 6}`]);

    // Down across 8, 10 and 12: one launch on start (now, as Nomad's force run), then the schedule goes on.
    await agent.shutdown();
    clock.advanceTo((S0 + 13) * 1000 + 300);
    agent = await start(dataDir, clock);
    await agent.periodic.idle();
    assert.deepEqual(childIds(agent, 'p').slice(3), [`p/periodic-${S0 + 13}`]);
    assert.equal(agent.periodic.nextLaunchOf('p'), (S0 + 14) * 1000);
    clock.advanceTo((S0 + 14) * 1000);
    await agent.periodic.idle();
    assert.deepEqual(childIds(agent, 'p').slice(3), [`p/periodic-${S0 + 13}`, `p/periodic-${S0 + 14}`]);

    // Stopping the parent stops launches; children stay. Purging it purges them.
    agent.deregister('p', false);
    assert.equal(agent.periodic.nextLaunchOf('p'), undefined);
    clock.advanceTo((S0 + 20) * 1000);
    await agent.periodic.idle();
    assert.equal(childIds(agent, 'p').length, 5);
    assert.ok(childIds(agent, 'p').every((id) => agent.job(id)?.stop === false), 'children are not stopped with the parent');
    agent.deregister('p', true);
    await eventually(() => agent.jobs().length === 0, { timeoutMs: 20_000, message: 'parent and children purged' });
  } finally {
    await agent.shutdown();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('periodic: prohibit_overlap skips a launch while a child runs; force launches now; enabled = false launches nothing', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'drover-periodic-'));
  const clock = new HandClock(T0);
  const agent = await start(dataDir, clock);
  try {
    await register(agent, periodicJob('o', '    crons = ["*/2 * * * * *"]\n    prohibit_overlap = true', '1h'));
    await register(agent, periodicJob('off', '    crons = ["*/2 * * * * *"]\n    enabled = false'));
    clock.advanceTo((S0 + 2) * 1000);
    await agent.periodic.idle();
    clock.advanceTo((S0 + 4) * 1000);
    await agent.periodic.idle();
    assert.deepEqual(childIds(agent, 'o'), [`o/periodic-${S0 + 2}`], 'the second launch is skipped while the first child runs');
    assert.deepEqual(childIds(agent, 'off'), []);
    assert.equal(agent.periodic.nextLaunchOf('off'), undefined);

    clock.advanceTo((S0 + 5) * 1000 + 100);
    assert.equal(await agent.periodic.force('o'), `o/periodic-${S0 + 5}`, 'force runs even with a child running');
    await assert.rejects(agent.periodic.force('off'), /can't force run non-tracked job "off"/);
    agent.deregister('o', true);
    agent.deregister('off', true);
    await eventually(() => agent.jobs().length === 0, { timeoutMs: 20_000, message: 'purged' });
  } finally {
    await agent.shutdown();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('dispatch: meta and payload checks in Nomad words, merged meta, payload kept, idempotency token', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'drover-dispatch-'));
  const clock = new HandClock(T0);
  const agent = await start(dataDir, clock);
  try {
    await register(agent, `job "d" {
  type = "batch"
  meta {
    base = "1"
  }
  parameterized {
    payload = "required"
    meta_required = ["who"]
    meta_optional = ["why"]
  }
  group "g" {
    task "t" {
      driver = "mock_driver"
      config {
        run_for = "10ms"
      }
      dispatch_payload {
        file = "in.txt"
      }
    }
  }
}
`);
    assert.equal(agent.allocs('d').length, 0, 'the parent is never placed');
    const payload = Buffer.from('hello');
    const bad = (meta: Record<string, string>, p: Uint8Array, message: RegExp) =>
      assert.rejects(agent.childJobs.dispatch('d', { payload: p, meta, idempotencyToken: '' }), message);
    await bad({ who: 'x' }, new Uint8Array(), /Payload is not provided but required by parameterized job$/);
    await bad({ who: 'x' }, new Uint8Array(16 * 1024 + 1), /Payload exceeds maximum size; 16385 > 16384$/);
    await bad({ who: 'x', nope: 'y' }, payload, /Dispatch request included unpermitted metadata keys: \[nope\]$/);
    await bad({}, payload, /Dispatch did not provide required meta keys: \[who\]$/);
    await assert.rejects(agent.childJobs.dispatch('missing', { payload, meta: {}, idempotencyToken: '' }), /parameterized job not found/);

    const r = await agent.childJobs.dispatch('d', { payload, meta: { who: 'me' }, idempotencyToken: 'tok' });
    assert.match(r.dispatchedJobId, /^d\/dispatch-\d+-[0-9a-f]{8}$/);
    const child = agent.job(r.dispatchedJobId)!.job;
    assert.equal(child.parentId, 'd');
    assert.equal(child.dispatched, true);
    assert.deepEqual(child.meta, { base: '1', who: 'me' });
    assert.equal(Buffer.from(child.payload ?? '', 'base64').toString(), 'hello');
    const again = await agent.childJobs.dispatch('d', { payload, meta: { who: 'me' }, idempotencyToken: 'tok' });
    assert.equal(again.dispatchedJobId, r.dispatchedJobId, 'the same token returns the existing child');
    const other = await agent.childJobs.dispatch('d', { payload, meta: { who: 'me' }, idempotencyToken: '' });
    assert.notEqual(other.dispatchedJobId, r.dispatchedJobId);
    assert.equal(childrenOf(agent.jobs(), 'd').length, 2);

    agent.deregister('d', false);
    await assert.rejects(agent.childJobs.dispatch('d', { payload, meta: { who: 'me' }, idempotencyToken: '' }), /Specified job "d" is stopped/);
    agent.deregister('d', true);
    await eventually(() => agent.jobs().length === 0, { timeoutMs: 20_000, message: 'parent and children purged' });
  } finally {
    await agent.shutdown();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('periodic: a crash between a child and its launch record does not launch again on restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'drover-periodic-'));
  const clock = new HandClock(T0);
  let agent = await start(dataDir, clock);
  try {
    await register(agent, periodicJob('c', '    crons = ["*/2 * * * * *"]'));
    clock.advanceTo((S0 + 2) * 1000);
    await agent.periodic.idle();
    // As if the agent died right after registering the child: the record still holds the registration time.
    agent.db.durable(() => agent.launches.put('default', 'c', T0));
    await agent.shutdown();
    clock.advanceTo((S0 + 3) * 1000);
    agent = await start(dataDir, clock);
    await agent.periodic.idle();
    assert.deepEqual(childIds(agent, 'c'), [`c/periodic-${S0 + 2}`]);
    assert.equal(agent.periodic.nextLaunchOf('c'), (S0 + 4) * 1000);
    agent.deregister('c', true);
    await eventually(() => agent.jobs().length === 0, { timeoutMs: 20_000, message: 'purged' });
  } finally {
    await agent.shutdown();
    await rm(dataDir, { recursive: true, force: true });
  }
});
