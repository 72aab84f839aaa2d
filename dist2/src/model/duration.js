/**
 * Go duration syntax ("1m30s", "250ms", "1.5h") parsed to milliseconds, and
 * milliseconds formatted the way Go's time.Duration prints, so event messages
 * read exactly like Nomad's ("Task restarting in 17.426443129s").
 */
const UNIT_MS = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    μs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
};
const PART = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
/** Parses a Go duration string into milliseconds; throws a plain Error with the reason. */
export function parseDuration(input) {
    const text = input.trim();
    if (text === '')
        throw new Error(`invalid duration "${input}": empty`);
    let rest = text;
    let sign = 1;
    if (rest[0] === '-' || rest[0] === '+') {
        sign = rest[0] === '-' ? -1 : 1;
        rest = rest.slice(1);
    }
    if (rest === '0')
        return 0;
    let total = 0;
    let parts = 0;
    while (rest.length > 0) {
        const m = PART.exec(rest);
        if (!m) {
            const hint = /^\d+(\.\d+)?$/.test(rest) ? ' (missing unit: use ns, us, ms, s, m or h)' : '';
            throw new Error(`invalid duration "${input}"${hint}`);
        }
        total += Number(m[1]) * UNIT_MS[m[2]];
        rest = rest.slice(m[0].length);
        parts++;
    }
    if (parts === 0)
        throw new Error(`invalid duration "${input}"`);
    return sign * total;
}
/** Formats milliseconds as Go's time.Duration.String() does (nanosecond precision). */
export function formatDuration(ms) {
    let ns = Math.round(ms * 1e6);
    if (ns === 0)
        return '0s';
    const neg = ns < 0;
    if (neg)
        ns = -ns;
    let out;
    if (ns < 1e9) {
        // Sub-second values use the largest unit that keeps a leading digit.
        if (ns < 1e3)
            out = `${ns}ns`;
        else if (ns < 1e6)
            out = `${trimFraction(ns / 1e3)}µs`;
        else
            out = `${trimFraction(ns / 1e6)}ms`;
    }
    else {
        const h = Math.floor(ns / 3.6e12);
        const m = Math.floor((ns % 3.6e12) / 6e10);
        const sNs = ns % 6e10;
        const s = `${Math.floor(sNs / 1e9)}${fractionDigits(sNs % 1e9)}s`;
        if (h > 0)
            out = `${h}h${m}m${s}`;
        else if (m > 0)
            out = `${m}m${s}`;
        else
            out = s;
    }
    return neg ? `-${out}` : out;
}
function fractionDigits(ns) {
    if (ns === 0)
        return '';
    return `.${String(ns).padStart(9, '0').replace(/0+$/, '')}`;
}
function trimFraction(v) {
    return String(Number(v.toFixed(6)));
}
//# sourceMappingURL=duration.js.map