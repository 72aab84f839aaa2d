/** Seconds of Go's zero time.Time since the Unix epoch. */
export const GO_ZERO_TIME_SECONDS = -62135596800;
/** Unix ms → Timestamp; 0 → Go's zero time (what Nomad sends for "not yet"). */
export function msToTimestamp(ms) {
    if (ms === 0)
        return { seconds: GO_ZERO_TIME_SECONDS, nanos: 0 };
    const seconds = Math.floor(ms / 1000);
    return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}
/** Timestamp → Unix ms; absent or Go's zero time → 0. */
export function timestampToMs(t) {
    if (!t || (t.seconds === GO_ZERO_TIME_SECONDS && t.nanos === 0))
        return 0;
    return t.seconds * 1000 + t.nanos / 1e6;
}
/** ms → Duration. */
export function msToDuration(ms) {
    const seconds = Math.trunc(ms / 1000);
    return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}
/** Duration → ms; absent → 0. */
export function durationToMs(d) {
    if (!d)
        return 0;
    return d.seconds * 1000 + d.nanos / 1e6;
}
//# sourceMappingURL=time.js.map