/** Shared helpers for benchmarks: percentiles and result printing. */

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

/** Nearest-rank percentile of `values` (not mutated). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[rank] as number) * 1000) / 1000;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function printResults(title: string, results: readonly BenchResult[]): void {
  console.log(`\n## ${title}`);
  for (const r of results) console.log(`${r.name.padEnd(60)} ${String(r.value).padStart(12)} ${r.unit}`);
}
