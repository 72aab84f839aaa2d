import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartTracker, RestartReason } from './restarts.js';
import { DriverStartError } from '../model/errors.js';
const exit = (exitCode, signal = 0) => ({ exitCode, signal, oomKilled: false });
function tracker(policy, opts = {}) {
    const clock = { t: 1_000_000 };
    const t = new RestartTracker({
        policy: { attempts: 2, intervalMs: 60_000, delayMs: 1_000, mode: 'fail', ...policy },
        jobType: opts.jobType ?? 'service',
        lifecycle: opts.lifecycle,
        now: () => clock.t,
        random: () => opts.random ?? 0,
    });
    return { t, clock };
}
test('RestartTracker: service exit restarts within policy with the plain delay at zero jitter', () => {
    const { t } = tracker({});
    assert.deepEqual(t.setExitResult(exit(1)).decide(), { kind: 'restart', delayMs: 1_000, reason: RestartReason.withinPolicy });
});
test('RestartTracker: jitter adds up to 25% of the delay', () => {
    const { t } = tracker({ delayMs: 15_000 }, { random: 0.999999 });
    const d = t.setExitResult(exit(0)).decide();
    assert.equal(d.kind, 'restart');
    if (d.kind !== 'restart')
        return;
    assert.ok(d.delayMs > 18_700 && d.delayMs <= 18_750, `delay ${d.delayMs}`);
    const half = tracker({ delayMs: 15_000 }, { random: 0.5 }).t.setExitResult(exit(0)).decide();
    assert.equal(half.kind === 'restart' && half.delayMs, 16_875);
});
test('RestartTracker: mode fail stops after attempts within the interval', () => {
    const { t } = tracker({ attempts: 2, mode: 'fail', intervalMs: 30 * 60_000 });
    assert.equal(t.setExitResult(exit(1)).decide().kind, 'restart');
    assert.equal(t.setExitResult(exit(1)).decide().kind, 'restart');
    assert.deepEqual(t.setExitResult(exit(1)).decide(), {
        kind: 'not-restarting',
        reason: 'Exceeded allowed attempts 2 in interval 30m0s and mode is "fail"',
    });
});
test('RestartTracker: a new interval resets the count', () => {
    const { t, clock } = tracker({ attempts: 1, intervalMs: 10_000 });
    assert.equal(t.setExitResult(exit(1)).decide().kind, 'restart');
    clock.t += 10_001;
    assert.equal(t.setExitResult(exit(1)).decide().kind, 'restart');
    assert.equal(t.setExitResult(exit(1)).decide().kind, 'not-restarting');
});
test('RestartTracker: mode delay waits until the interval ends', () => {
    const { t, clock } = tracker({ attempts: 1, intervalMs: 10_000, mode: 'delay' });
    assert.equal(t.setExitResult(exit(1)).decide().kind, 'restart');
    clock.t += 4_000;
    assert.deepEqual(t.setExitResult(exit(1)).decide(), { kind: 'restart', delayMs: 6_000, reason: RestartReason.delay });
});
test('RestartTracker: batch success is final, batch failure restarts', () => {
    const { t } = tracker({}, { jobType: 'batch' });
    assert.deepEqual(t.setExitResult(exit(0)).decide(), { kind: 'terminated', reason: RestartReason.success });
    assert.equal(t.setExitResult(exit(2)).decide().kind, 'restart');
    const sys = tracker({}, { jobType: 'sysbatch' }).t;
    assert.equal(sys.setExitResult(exit(0)).decide().kind, 'terminated');
});
test('RestartTracker: a signal or error is not success even with exit code 0', () => {
    const { t } = tracker({}, { jobType: 'batch' });
    assert.equal(t.setExitResult(exit(0, 9)).decide().kind, 'restart');
    assert.equal(t.setExitResult({ ...exit(0), err: 'boom' }).decide().kind, 'restart');
});
test('RestartTracker: attempts = 0 allows no restarts (success of batch terminates)', () => {
    assert.deepEqual(tracker({ attempts: 0 }).t.setExitResult(exit(0)).decide(), { kind: 'not-restarting', reason: RestartReason.noRestartsAllowed });
    assert.deepEqual(tracker({ attempts: 0 }, { jobType: 'batch' }).t.setExitResult(exit(0)).decide(), {
        kind: 'terminated',
        reason: RestartReason.noRestartsAllowed,
    });
});
test('RestartTracker: recoverable start errors retry, others are fatal', () => {
    const { t } = tracker({});
    assert.equal(t.setStartError(new DriverStartError('busy', { recoverable: true })).decide().kind, 'restart');
    assert.deepEqual(t.setStartError(new DriverStartError('bad')).decide(), { kind: 'not-restarting', reason: RestartReason.unrecoverable });
    assert.deepEqual(t.setStartError(new Error('plain')).decide(), { kind: 'not-restarting', reason: RestartReason.unrecoverable });
});
test('RestartTracker: killed wins, and state clears after each decision', () => {
    const { t } = tracker({});
    assert.deepEqual(t.setExitResult(exit(1)).setKilled().decide(), { kind: 'killed' });
    // Nothing set: a non-failure restart (Nomad returns "" with no delay).
    assert.deepEqual(t.decide(), { kind: 'restart', delayMs: 0, reason: '' });
});
test('RestartTracker: user-triggered restart is free unless marked a failure', () => {
    const { t } = tracker({ attempts: 1 });
    assert.deepEqual(t.setRestartTriggered(false).decide(), { kind: 'restart', delayMs: 0, reason: '' });
    assert.deepEqual(t.setRestartTriggered(false).decide(), { kind: 'restart', delayMs: 0, reason: '' });
    assert.equal(t.setRestartTriggered(true).decide().kind, 'restart');
    assert.equal(t.setRestartTriggered(true).decide().kind, 'not-restarting');
});
test('RestartTracker: lifecycle tasks — sidecars restart on success, ephemeral and poststop do not', () => {
    const side = tracker({}, { lifecycle: { hook: 'prestart', sidecar: true } }).t;
    assert.equal(side.setExitResult(exit(0)).decide().kind, 'restart');
    const init = tracker({}, { lifecycle: { hook: 'prestart', sidecar: false } }).t;
    assert.equal(init.setExitResult(exit(0)).decide().kind, 'terminated');
    const post = tracker({}, { lifecycle: { hook: 'poststop', sidecar: true } }).t;
    assert.equal(post.setExitResult(exit(0)).decide().kind, 'terminated');
    const poststartSide = tracker({}, { jobType: 'batch', lifecycle: { hook: 'poststart', sidecar: true } }).t;
    assert.equal(poststartSide.setExitResult(exit(0)).decide().kind, 'restart');
});
test('RestartTracker: setPolicy applies to later decisions', () => {
    const { t } = tracker({ attempts: 5 });
    t.setPolicy({ attempts: 0, intervalMs: 1, delayMs: 1, mode: 'fail' });
    assert.equal(t.setExitResult(exit(1)).decide().kind, 'not-restarting');
});
//# sourceMappingURL=restarts.test.js.map