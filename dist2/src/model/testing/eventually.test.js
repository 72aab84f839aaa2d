import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, scaled, TEST_MULTIPLIER, within } from './eventually.js';
test('eventually: retries until the condition holds and returns its value', async () => {
    let n = 0;
    assert.equal(await eventually(() => (++n >= 3 ? `after ${n}` : undefined), { intervalMs: 1 }), 'after 3');
    let m = 0;
    assert.equal(await eventually(async () => ++m === 2, { intervalMs: 1 }), true);
    assert.equal(await eventually(() => 0), 0, 'only false, null and undefined mean "not yet"');
});
test('eventually: an assertion that keeps failing is rethrown with the message in front', async () => {
    await assert.rejects(eventually(() => assert.equal(1, 2), { timeoutMs: 20, intervalMs: 1, message: 'one to be two' }), (e) => e instanceof assert.AssertionError && /^timed out after \d+ ms waiting for one to be two: Expected values/.test(e.message));
    await assert.rejects(eventually(() => false, { timeoutMs: 20, intervalMs: 1, message: 'never' }), /waiting for never; last value: false/);
});
test('within: passes the result through; names what hung', async () => {
    assert.equal(await within(Promise.resolve(5), 1_000, 'five'), 5);
    await assert.rejects(within(new Promise(() => { }), 10, 'the void'), new RegExp(`^Error: the void: not done within ${scaled(10)} ms$`));
});
test('TEST_MULTIPLIER: defaults to 1 and stretches timeouts', () => {
    if (process.env['DROVER_TEST_MULTIPLIER'] === undefined)
        assert.equal(TEST_MULTIPLIER, 1);
    assert.equal(scaled(100), Math.ceil(100 * TEST_MULTIPLIER));
});
//# sourceMappingURL=eventually.test.js.map