/**
 * Waiting in tests without guessing how fast the machine is (Nomad's
 * testutil.WaitForResult and TestMultiplier). Tests wait for a condition, never
 * for a fixed time, and every timeout is only a hang guard: it is multiplied by
 * DROVER_TEST_MULTIPLIER so a loaded CI machine (set it to 3) gets more room
 * without any test changing. Imported by tests only.
 */
/** DROVER_TEST_MULTIPLIER from the environment (a positive number), default 1. */
export const TEST_MULTIPLIER = parseMultiplier(process.env['DROVER_TEST_MULTIPLIER']);
function parseMultiplier(raw) {
    const n = Number(raw);
    return raw !== undefined && raw !== '' && Number.isFinite(n) && n > 0 ? n : 1;
}
/** `ms` stretched by TEST_MULTIPLIER: use it for every hang guard a test passes on. */
export function scaled(ms) {
    return Math.ceil(ms * TEST_MULTIPLIER);
}
/**
 * Calls `fn` until it holds, and returns what it returned then. It holds when
 * it neither throws nor returns `false`, `null` or `undefined`: a predicate
 * (`() => x.done`), a finder (`() => list.find(...)`), or assertions ending in
 * `return true`. On timeout the last assertion error is rethrown with
 * `message` in front (so its actual/expected diff survives); a condition that
 * never held throws an Error naming the last value.
 */
export async function eventually(fn, opts = {}) {
    const timeoutMs = scaled(opts.timeoutMs ?? 10_000);
    const intervalMs = opts.intervalMs ?? 10;
    const what = opts.message ?? 'condition';
    const end = performance.now() + timeoutMs;
    for (;;) {
        let last;
        try {
            const value = await fn();
            if (holds(value))
                return value;
            last = { value };
        }
        catch (error) {
            last = { error };
        }
        if (performance.now() >= end)
            throw timeoutError(what, timeoutMs, last);
        await pause(intervalMs);
    }
}
function holds(v) {
    return v !== false && v !== null && v !== undefined;
}
function timeoutError(what, timeoutMs, last) {
    const prefix = `timed out after ${timeoutMs} ms waiting for ${what}`;
    if ('error' in last) {
        if (last.error instanceof Error) {
            last.error.message = `${prefix}: ${last.error.message}`;
            return last.error;
        }
        return new Error(`${prefix}: ${String(last.error)}`);
    }
    return new Error(`${prefix}; last value: ${describe(last.value)}`);
}
function describe(v) {
    try {
        return JSON.stringify(v) ?? String(v);
    }
    catch {
        return String(v);
    }
}
function pause(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
/**
 * Settles as `p` does, or rejects once `ms` (before TEST_MULTIPLIER) passed
 * first, naming `what`. A hang guard for one awaited operation, not a speed
 * check; the timer is cleared either way so it holds no test open.
 */
export async function within(p, ms, what) {
    const limit = scaled(ms);
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: not done within ${limit} ms`)), limit);
    });
    try {
        return await Promise.race([p, timeout]);
    }
    finally {
        clearTimeout(timer);
    }
}
//# sourceMappingURL=eventually.js.map