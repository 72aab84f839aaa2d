/** Shared helpers for benchmarks: percentiles and result printing. */
/** Nearest-rank percentile of `values` (not mutated). */
export function percentile(values, p) {
    if (values.length === 0)
        return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return Math.round(sorted[rank] * 1000) / 1000;
}
export function median(values) {
    return percentile(values, 50);
}
export function printResults(title, results) {
    console.log(`\n## ${title}`);
    for (const r of results)
        console.log(`${r.name.padEnd(60)} ${String(r.value).padStart(12)} ${r.unit}`);
}
//# sourceMappingURL=stats.js.map