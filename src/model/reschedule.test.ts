import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_BATCH_RESCHEDULE,
  DEFAULT_SERVICE_RESCHEDULE,
  groupReschedule,
  mergeReschedule,
  rescheduleEnabled,
  rescheduleProblems,
  type ReschedulePolicy,
} from './reschedule.js';
import { failedAllocCollectable, nextReschedule, nextRescheduleDelay, replacementEvents, rescheduleAttempts, type RescheduleEvent } from './reschedule-tracker.js';

const S = 1000;
const policy = (p: Partial<ReschedulePolicy>): ReschedulePolicy => ({ ...DEFAULT_SERVICE_RESCHEDULE, ...p });
const ev = (at: number, delayMs: number, prev = 'a'): RescheduleEvent => ({ rescheduleTime: at, prevAllocId: prev, prevNodeId: 'n', delayMs });

describe('reschedule policy', () => {
  it('defaults per job type; system and sysbatch have none', () => {
    assert.deepEqual(groupReschedule({}, 'service'), DEFAULT_SERVICE_RESCHEDULE);
    assert.deepEqual(groupReschedule({}, 'batch'), DEFAULT_BATCH_RESCHEDULE);
    assert.equal(groupReschedule({}, 'system'), undefined);
    assert.equal(groupReschedule({ reschedule: DEFAULT_BATCH_RESCHEDULE }, 'sysbatch'), undefined);
  });

  it('merges default ← job ← group field by field', () => {
    const p = mergeReschedule('service', { attempts: 2, unlimited: false }, { intervalMs: 300 * S });
    assert.deepEqual(p, { ...DEFAULT_SERVICE_RESCHEDULE, attempts: 2, unlimited: false, intervalMs: 300 * S });
    assert.equal(rescheduleEnabled(mergeReschedule('service', undefined, { attempts: 0, intervalMs: 300 * S, unlimited: false })), false);
  });

  it('Validate: the defaults and the e2e policies pass', () => {
    assert.deepEqual(rescheduleProblems(DEFAULT_SERVICE_RESCHEDULE), []);
    assert.deepEqual(rescheduleProblems(DEFAULT_BATCH_RESCHEDULE), []);
    assert.deepEqual(rescheduleProblems(mergeReschedule('service', undefined, { attempts: 2, intervalMs: 300 * S, unlimited: false })), []);
    assert.deepEqual(rescheduleProblems(mergeReschedule('service', undefined, { delayMs: 5 * S, delayFunction: 'constant', unlimited: true })), []);
    // Disabled: nothing checked.
    assert.deepEqual(rescheduleProblems(policy({ attempts: 0, unlimited: false, delayMs: 0 })), []);
  });

  it("Validate: Nomad's messages", () => {
    assert.deepEqual(rescheduleProblems(policy({ delayMs: 1 * S })), ['Delay cannot be less than 5s (got 1s)']);
    assert.deepEqual(rescheduleProblems(policy({ attempts: 3, intervalMs: 60 * S })), [
      'Reschedule Policy with Attempts = 3, Interval = 1m0s, and Unlimited = true is ambiguous',
      'If Attempts >0, Unlimited cannot also be set to true',
    ]);
    assert.deepEqual(rescheduleProblems(policy({ maxDelayMs: 10 * S })), ['Max Delay cannot be less than Delay 30s (got 10s)']);
    assert.deepEqual(rescheduleProblems(policy({ attempts: 1, intervalMs: 10 * S, unlimited: false, delayFunction: 'constant', delayMs: 5 * S })), [
      'Interval cannot be less than 15s (got 10s)',
    ]);
    assert.deepEqual(rescheduleProblems(policy({ attempts: 5, intervalMs: 20 * S, unlimited: false, delayFunction: 'constant', delayMs: 5 * S })), [
      'Nomad can only make 4 attempts in 20s with initial delay 5s and delay function "constant"',
      'Set the interval to at least 25s to accommodate 5 attempts',
    ]);
    assert.deepEqual(rescheduleProblems(policy({ attempts: 3, intervalMs: 60 * S, unlimited: false })), [
      'Nomad can only make 1 attempts in 1m0s with initial delay 30s, delay function "exponential", and delay ceiling 1h0m0s',
      'Set the interval to at least 2m0s to accommodate 3 attempts',
    ]);
  });
});

describe('reschedule tracker', () => {
  it('delay functions: constant, exponential, fibonacci, capped, reset after a long run', () => {
    const c = policy({ delayFunction: 'constant', delayMs: 5 * S });
    assert.equal(nextRescheduleDelay(c, [ev(0, 5 * S), ev(1, 5 * S)], 2), 5 * S);
    const e = policy({ delayFunction: 'exponential', delayMs: 5 * S, maxDelayMs: 30 * S });
    assert.equal(nextRescheduleDelay(e, [], 0), 5 * S);
    assert.equal(nextRescheduleDelay(e, [ev(0, 5 * S)], 1), 10 * S);
    assert.equal(nextRescheduleDelay(e, [ev(0, 20 * S)], 1), 30 * S);
    // At the ceiling, an alloc that ran longer than the ceiling since its reschedule starts over.
    assert.equal(nextRescheduleDelay(e, [ev(0, 30 * S)], 31 * S), 5 * S);
    const f = policy({ delayFunction: 'fibonacci', delayMs: 5 * S, maxDelayMs: 60 * S });
    assert.equal(nextRescheduleDelay(f, [ev(0, 5 * S)], 1), 5 * S);
    assert.equal(nextRescheduleDelay(f, [ev(0, 5 * S), ev(1, 5 * S)], 2), 10 * S);
    assert.equal(nextRescheduleDelay(f, [ev(0, 5 * S), ev(1, 10 * S)], 2), 15 * S);
    assert.equal(nextRescheduleDelay(f, [ev(0, 60 * S), ev(1, 5 * S)], 2), 5 * S);
  });

  it('eligibility: attempts within the interval; unlimited always; disabled never', () => {
    const p = policy({ attempts: 2, intervalMs: 300 * S, unlimited: false, delayFunction: 'constant', delayMs: 5 * S });
    assert.deepEqual(nextReschedule(p, [], 1000), { at: 6000, delayMs: 5 * S, eligible: true });
    assert.equal(nextReschedule(p, [ev(0, 5 * S)], 10 * S)?.eligible, true);
    assert.equal(nextReschedule(p, [ev(0, 5 * S), ev(S, 5 * S)], 10 * S)?.eligible, false);
    // Attempts older than the interval no longer count.
    assert.equal(nextReschedule(p, [ev(0, 5 * S), ev(S, 5 * S)], 302 * S)?.eligible, true);
    assert.deepEqual(rescheduleAttempts(p, [ev(0, 5 * S), ev(S, 5 * S)], 300.5 * S), { attempted: 1, total: 2 });
    assert.equal(nextReschedule(DEFAULT_SERVICE_RESCHEDULE, [ev(0, 1), ev(1, 1), ev(2, 1)], 3)?.eligible, true);
    assert.equal(nextReschedule(policy({ attempts: 0, unlimited: false }), [], 0), undefined);
    assert.equal(nextReschedule(undefined, [], 0), undefined);
  });

  it('the replacement carries events within the interval, or the last five when unlimited', () => {
    const p = policy({ attempts: 3, intervalMs: 100 * S, unlimited: false });
    const now = ev(200 * S, 5 * S, 'x');
    assert.deepEqual(replacementEvents(p, [ev(50 * S, 1), ev(150 * S, 2)], now), [ev(150 * S, 2), now]);
    const many = [1, 2, 3, 4, 5, 6, 7].map((i) => ev(i, i));
    assert.deepEqual(replacementEvents(DEFAULT_SERVICE_RESCHEDULE, many, now), [...many.slice(2), now]);
  });

  it('GC: a failed unreplaced alloc stays while its policy may still reschedule it', () => {
    assert.equal(failedAllocCollectable(undefined, [], 0), true);
    assert.equal(failedAllocCollectable(policy({ attempts: 0, unlimited: false }), [], 0), true);
    assert.equal(failedAllocCollectable(DEFAULT_SERVICE_RESCHEDULE, [ev(0, 1)], 1e12), false);
    assert.equal(failedAllocCollectable(DEFAULT_BATCH_RESCHEDULE, [], 1e12), false);
    assert.equal(failedAllocCollectable(DEFAULT_BATCH_RESCHEDULE, [ev(0, 5 * S)], 24 * 3600 * S), false);
    assert.equal(failedAllocCollectable(DEFAULT_BATCH_RESCHEDULE, [ev(0, 5 * S)], 24 * 3600 * S + 1), true);
  });
});
