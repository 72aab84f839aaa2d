/**
 * Text layout the way Nomad's CLI prints it: columnize-style key/value blocks
 * ("ID   = x") and column lists, Nomad's time formats, and go-humanize's
 * IBytes. Pure functions; the commands decide what goes in them.
 */
/** Nomad's short id length (8 characters). */
export const SHORT_ID = 8;
/** `s` cut to `n` characters (Nomad's limit). */
export function limit(s, n) {
    return s.length < n ? s : s.slice(0, n);
}
/** Columns padded to the widest cell, joined by `glue`; the last column is not padded. */
function columnize(rows, glue, empty) {
    const cells = rows.map((r) => r.map((c) => (c.trim() === '' ? empty : c.trim())));
    const widths = [];
    for (const r of cells)
        r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
    return cells
        .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0) + glue)).join('').trimEnd())
        .join('\n');
}
/** Nomad's formatKV: "Key = value" lines, empty values shown as <none>. */
export function formatKV(rows) {
    return columnize(rows.map(([k, v]) => [k, String(v)]), ' = ', '<none>');
}
/** Nomad's formatList: a header row and data rows, empty cells shown as <none>. */
export function formatList(rows, opts = {}) {
    return columnize(rows.map((r) => r.map(String)), '  ', opts.empty ?? '<none>');
}
/** Nomad's formatTime: RFC 3339 to the second in local time; "" for the zero time. */
export function formatTimeMs(ms) {
    if (!Number.isFinite(ms) || ms < 1000)
        return '';
    const d = new Date(ms);
    const off = -d.getTimezoneOffset();
    const pad = (n) => String(Math.abs(n)).padStart(2, '0');
    const tz = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${tz}`;
}
/** Nomad's formatUnixNanoTime. */
export function formatTimeNs(ns) {
    return formatTimeMs(Math.floor(ns / 1e6));
}
/** An RFC 3339 task-state time, or "N/A" for Go's zero time (Nomad's formatTaskTimes). */
export function formatTaskTime(rfc3339) {
    const ms = Date.parse(rfc3339);
    return Number.isNaN(ms) || ms <= 0 ? 'N/A' : formatTimeMs(ms);
}
/** Nomad's prettyTimeDiff: "3m2s ago", at most two units, "0s ago" under a second. */
export function prettyTimeDiff(thenNs, nowMs = Date.now()) {
    if (thenNs === 0)
        return '';
    const first = Math.round(thenNs / 1e9);
    const second = Math.round(nowMs / 1e3);
    const suffix = second >= first ? 'ago' : 'from now';
    let u = Math.abs(second - first);
    const parts = [];
    const units = [[60, 's'], [60, 'm'], [24, 'h'], [30, 'd'], [12, 'mo']];
    for (const [size, name] of units) {
        if (u % size > 0)
            parts.unshift(`${u % size}${name}`);
        u = Math.floor(u / size);
        if (u === 0)
            break;
    }
    if (u > 0)
        parts.unshift(`${u}y`);
    return parts.length === 0 ? `0s ${suffix}` : `${parts.slice(0, 2).join('')} ${suffix}`;
}
/** go-humanize's IBytes: "64 MiB", "7.5 MiB", "512 B". */
export function iBytes(n) {
    if (n < 10)
        return `${n} B`;
    const sizes = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
    const e = Math.min(Math.floor(Math.log(n) / Math.log(1024)), sizes.length - 1);
    const val = Math.floor((n / 1024 ** e) * 10 + 0.5) / 10;
    return `${val < 10 ? val.toFixed(1) : val.toFixed(0)} ${sizes[e] ?? 'B'}`;
}
//# sourceMappingURL=tables.js.map