import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from './duration.js';
test('parseDuration: Go syntax to milliseconds', () => {
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('1m30s'), 90_000);
    assert.equal(parseDuration('250ms'), 250);
    assert.equal(parseDuration('1.5h'), 5_400_000);
    assert.equal(parseDuration('0'), 0);
    assert.equal(parseDuration('500us'), 0.5);
    assert.equal(parseDuration('-2s'), -2_000);
});
test('parseDuration: rejects what Go rejects, saying why', () => {
    assert.throws(() => parseDuration('10'), /missing unit/);
    assert.throws(() => parseDuration('10x'), /invalid duration "10x"/);
    assert.throws(() => parseDuration(''), /empty/);
    assert.throws(() => parseDuration('s'), /invalid duration/);
});
test('formatDuration: prints like Go time.Duration', () => {
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(15_000), '15s');
    assert.equal(formatDuration(17_426.443129), '17.426443129s');
    assert.equal(formatDuration(30 * 60_000), '30m0s');
    assert.equal(formatDuration(24 * 3_600_000), '24h0m0s');
    assert.equal(formatDuration(90_500), '1m30.5s');
    assert.equal(formatDuration(250), '250ms');
    assert.equal(formatDuration(1.5), '1.5ms');
    assert.equal(formatDuration(0.001), '1µs');
    assert.equal(formatDuration(-1_000), '-1s');
});
//# sourceMappingURL=duration.test.js.map