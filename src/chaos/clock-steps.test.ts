/**
 * Clock steps (issue 16): the wall clock jumps forward or back by hours (an
 * NTP correction, a VM resumed, a hand-set date) while drover runs. Where
 * the code takes a clock, the test injects one that steps:
 *
 * - restart policy windows are measured on the monotonic clock (as Nomad's on
 *   Go's monotonic reading): a step back does not keep counting attempts in an
 *   interval that ended, a step forward does not forgive them early;
 * - periodic launches are wall-clock schedules: a step forward over many
 *   instants launches once, not a burst; a step back launches no instant twice
 *   (also across a restart and a re-registration);
 * - check intervals run on timers: no burst of checks after a step forward,
 *   no stall after a step back; check_restart's grace is monotonic too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { budget, report } from '../chaos/campaign.js';
import { DriverRegistry } from '../drivers/registry.js';
import { MockDriver } from '../drivers/mock/driver.js';
import { silentLogger } from '../model/logger.js';
import { eventually } from '../model/testing/eventually.js';
import { parseJob } from '../jobspec/index.js';
import { DEFAULT_AGENT_CONFIG } from '../agent/config/agent-config.js';
import { Agent } from '../agent/core/agent.js';
import { childrenOf } from '../agent/core/child-jobs.js';
import type { PeriodicTimers } from '../agent/core/periodic-dispatcher.js';
import { allocHarness, makeJob, makeTask, mockDriver } from '../taskrunner/testing.js';
import { runCheck } from '../taskrunner/checks/check-runner.js';
import { CheckRestartWatcher } from '../taskrunner/checks/check-restart.js';
import { RecordingSink } from '../taskrunner/checks/testing.js';
import { sleep } from '../taskrunner/abort.js';

const HOUR = 3_600_000;

/**
 * Timers on a monotonic time `m` that only the test moves; the wall clock is
 * `m + offset`, and `step` moves only the wall clock, as a real clock step does.
 */
class SteppedClock implements PeriodicTimers {
  private timers: { at: number; fn: () => void }[] = [];
  private m = 0;
  constructor(private offset: number) {}
  now = (): number => this.m + this.offset;
  set = (fn: () => void, ms: number): (() => void) => {
    const e = { at: this.m + ms, fn };
    this.timers.push(e);
    return () => (this.timers = this.timers.filter((x) => x !== e));
  };
  /** The wall clock jumps by `ms` (negative: back); timers do not notice. */
  step(ms: number): void {
    this.offset += ms;
  }
  /** Monotonic time passes: due timers fire in order. */
  advance(ms: number): void {
    const until = this.m + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.m = Math.max(this.m, due.at);
      due.fn();
    }
    this.m = until;
  }
}

function mockOnly(): DriverRegistry {
  const drivers = new DriverRegistry();
  drivers.register('mock_driver', new MockDriver({ logger: silentLogger, now: Date.now }));
  return drivers;
}

const every10min = (id: string) => `job "${id}" {
  type = "batch"
  periodic {
    crons = ["*/10 * * * *"]
  }
  group "g" {
    task "t" {
      driver = "mock_driver"
      config {
        run_for = "1ms"
      }
    }
  }
}
`;

test('chaos: periodic launches under clock steps: one launch after a step forward, no instant twice after a step back (also across a restart and a re-registration)', { timeout: budget(60_000, 600_000) }, async () => {
  const cycles = budget(2, 20);
  const dataDir = mkdtempSync(join(tmpdir(), 'drover-clock-'));
  const T0 = Date.UTC(2026, 0, 1, 0, 0, 30);
  const clock = new SteppedClock(T0);
  const start = () => Agent.start({ config: { ...DEFAULT_AGENT_CONFIG, dataDir }, logger: silentLogger, drivers: mockOnly(), periodicTimers: clock });
  let agent = await start();
  const launched = (): string[] => childrenOf(agent.jobs(), 'p').map((c) => c.id);
  const settle = () => agent.periodic.idle();
  let forward = 0;
  let back = 0;
  try {
    const { job } = await parseJob(every10min('p'), { file: 'p.hcl', drivers: agent.drivers });
    await agent.register(job);
    for (let c = 0; c < cycles; c++) {
      // Ten minutes pass: one launch.
      let before = launched().length;
      clock.advance(10 * 60_000);
      await settle();
      assert.equal(launched().length, before + 1, 'one launch per instant');

      // Forward three hours (18 instants): once the pending timer fires, one launch, not 18.
      before = launched().length;
      clock.step(3 * HOUR);
      forward++;
      clock.advance(10 * 60_000);
      await settle();
      assert.equal(launched().length, before + 1, `a step forward over 18 instants launches once (launched ${launched().length - before})`);
      // The schedule goes on from the new time.
      const next = agent.periodic.nextLaunchOf('p') as number;
      assert.ok(next > clock.now() && next - clock.now() <= 10 * 60_000, 'the next launch is the next instant after the new time');

      // Back two hours: instants already launched come round again on the wall clock, and are not launched twice.
      const seen = new Set(launched());
      clock.step(-2 * HOUR);
      back++;
      for (let i = 0; i < 14; i++) {
        clock.advance(10 * 60_000);
        await settle();
      }
      const ids = launched();
      assert.equal(new Set(ids).size, ids.length, 'no child ID twice');
      const instants = ids.map((id) => Number(id.slice(id.lastIndexOf('-') + 1)));
      assert.deepEqual(
        instants,
        [...instants].sort((a, b) => a - b),
        'launch instants only move forward',
      );
      assert.ok(ids.length > seen.size, 'launches resumed once the wall clock passed the last launch');

      // Back again, then a restart and a re-registration: still nothing launched twice.
      clock.step(-2 * HOUR);
      back++;
      await agent.shutdown();
      agent = await start();
      await settle();
      await agent.register(job);
      const beforeRestart = launched().length;
      for (let i = 0; i < 13; i++) {
        clock.advance(10 * 60_000);
        await settle();
      }
      const afterIds = launched();
      const afterInstants = afterIds.map((id) => Number(id.slice(id.lastIndexOf('-') + 1)));
      assert.deepEqual(afterInstants, [...afterInstants].sort((a, b) => a - b), 'after a restart and a re-registration, launch instants only move forward');
      assert.ok(afterIds.length >= beforeRestart, 'nothing lost');
    }
    report({
      scenario: 'clock steps: periodic launches',
      runs: forward + back,
      checked: 'a 3 h step forward launches once (not 18); 2 h steps back launch no instant twice, also across an agent restart and a re-registration; launches resume once the wall clock passes the last launch',
      result: 'pass',
      figures: { 'steps forward': forward, 'steps back': back, launches: launched().length },
    });
  } finally {
    await agent.shutdown();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('chaos: restart policy windows under clock steps are measured on the monotonic clock', { timeout: budget(60_000, 600_000) }, async () => {
  const rounds = budget(1, 10);
  let steps = 0;
  for (let r = 0; r < rounds; r++) {
    // Back an hour at every start: with one attempt allowed per 300 ms, a task failing every 400 ms restarts for ever.
    // (On the wall clock the interval never ended, so the second failure exceeded the attempts and the task died.)
    let offset = 0;
    const back = allocHarness(
      makeJob([makeTask('t', { run_for: '400ms', exit_code: 1 }, { restart: { attempts: 1, intervalMs: 300, delayMs: 20, mode: 'fail' } })]),
      await mockDriver(),
      { now: () => Date.now() + offset },
    );
    const stepBack = setInterval(() => (offset -= HOUR), 50);
    const run = back.runner.run();
    try {
      await back.waitFor(() => back.types('t').filter((x) => x === 'Restarting').length >= 4, 20_000);
      assert.ok(!back.types('t').includes('Not Restarting'), `a step back did not exhaust the attempts: ${back.types('t').join(', ')}`);
    } finally {
      clearInterval(stepBack);
      await back.runner.kill();
      await run;
    }
    steps++;

    // Forward an hour at every start: one attempt per hour means the second failure is final.
    offset = 0;
    const fwd = allocHarness(
      makeJob([makeTask('t', { run_for: '20ms', exit_code: 1 }, { restart: { attempts: 1, intervalMs: HOUR, delayMs: 10, mode: 'fail' } })]),
      await mockDriver(),
      { now: () => Date.now() + offset },
    );
    const stepFwd = setInterval(() => (offset += 2 * HOUR), 5);
    try {
      await fwd.runner.run();
      assert.deepEqual(
        fwd.types('t').filter((x) => x === 'Restarting' || x === 'Not Restarting'),
        ['Restarting', 'Not Restarting'],
        'a step forward did not forgive the attempt made within the hour',
      );
    } finally {
      clearInterval(stepFwd);
    }
    steps++;
  }
  report({
    scenario: 'clock steps: restart policy windows',
    runs: steps,
    checked: 'wall clock stepped back 1 h every 50 ms: a task within its attempts per interval keeps restarting; stepped forward 2 h every 5 ms: the attempts within the hour still run out',
    result: 'pass',
    figures: { rounds },
  });
});

test('chaos: check intervals and check_restart grace under clock steps: no burst, no stall', { timeout: budget(60_000, 600_000) }, async () => {
  const intervalMs = 100;
  const runForMs = budget(1_500, 60_000);
  let offset = 0;
  const now = () => Date.now() + offset;
  const stop = new AbortController();
  const sink = new RecordingSink();
  let runs = 0;
  const runsAt: number[] = [];
  const t0 = performance.now();
  const loop = runCheck({
    identity: { id: 'c', check: 'c', group: 'g', allocId: 'a', jobId: 'j', namespace: 'default', service: 's', mode: 'healthiness', task: '' } as never,
    spec: { intervalMs, timeoutMs: 1_000, initialStatus: '', successBeforePassing: 0, failuresBeforeWarning: 0, failuresBeforeCritical: 0 },
    executor: {
      execute: () => {
        runs++;
        runsAt.push(performance.now() - t0);
        return Promise.resolve({ health: 'passing', statusCode: 0, output: '' });
      },
    },
    firstDelayMs: 0,
    clock: { now, monotonic: () => performance.now(), sleep },
    sink,
    signal: stop.signal,
  });
  // Forward and back by hours, every 200 ms.
  let steps = 0;
  const stepper = setInterval(() => {
    offset += steps % 2 === 0 ? 5 * HOUR : -7 * HOUR;
    steps++;
  }, 200);
  await sleep(runForMs, new AbortController().signal);
  clearInterval(stepper);
  const elapsed = performance.now() - t0;
  stop.abort();
  await loop;
  // No burst: never more runs than the intervals that passed (+1 for the first, at once).
  assert.ok(runs <= Math.ceil(elapsed / intervalMs) + 1, `no burst of checks: ${runs} runs in ${Math.round(elapsed)} ms at ${intervalMs} ms`);
  // No stall: no gap between runs longer than many intervals (a stalled loop would wait out the hours stepped back).
  const gaps = runsAt.slice(1).map((t, i) => t - (runsAt[i] as number));
  assert.ok(runs >= 3, `checks ran (${runs})`);
  const longestGap = Math.max(...gaps);

  // check_restart's grace: a step back during the grace does not stretch it by hours.
  let restarted = 0;
  let wallOffset = 0;
  const watcher = new CheckRestartWatcher({
    checkName: 'c',
    policy: { limit: 1, graceMs: 200, ignoreWarnings: false },
    restarter: {
      restart: () => {
        restarted++;
        return Promise.resolve();
      },
    },
    now: () => Date.now() + wallOffset,
    monotonic: () => performance.now(),
    logger: silentLogger,
  });
  wallOffset -= 2 * HOUR;
  await eventually(() => watcher.observe('critical') || restarted > 0, { timeoutMs: 10_000, message: 'check_restart fires once the grace passed' });
  assert.equal(restarted, 1);

  report({
    scenario: 'clock steps: check intervals and check_restart grace',
    runs: steps,
    checked: `wall clock stepped +5 h / -7 h every 200 ms under a ${intervalMs} ms check: no burst, no stall; check_restart grace not stretched by a 2 h step back`,
    result: 'pass',
    figures: { checks: runs, 'elapsed ms': Math.round(elapsed), 'longest gap ms': Math.round(longestGap) },
  });
});
