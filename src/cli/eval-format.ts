/** Placement failures as Nomad's CLI prints them (command/monitor.go formatAllocMetrics, evalFailureStatus). */
import type { ApiAllocationMetric, ApiEvaluation } from '../api/index.js';

/** "* Constraint ...: 1 nodes excluded by filter" lines, each starting with `prefix`. */
export function allocMetricLines(m: ApiAllocationMetric, prefix: string): string[] {
  const out: string[] = [];
  const entries = (x: Record<string, number> | null) => Object.entries(x ?? {});
  if (m.NodesEvaluated === 0) out.push(`${prefix}* No nodes were eligible for evaluation`);
  for (const [dc, n] of entries(m.NodesAvailable)) if (n === 0) out.push(`${prefix}* No nodes are available in datacenter ${JSON.stringify(dc)}`);
  for (const [cls, n] of entries(m.ClassFiltered)) out.push(`${prefix}* Class ${JSON.stringify(cls)}: ${n} nodes excluded by filter`);
  for (const [c, n] of entries(m.ConstraintFiltered)) out.push(`${prefix}* Constraint ${JSON.stringify(c)}: ${n} nodes excluded by filter`);
  if (m.NodesExhausted > 0) out.push(`${prefix}* Resources exhausted on ${m.NodesExhausted} nodes`);
  for (const [cls, n] of entries(m.ClassExhausted)) out.push(`${prefix}* Class ${JSON.stringify(cls)} exhausted on ${n} nodes`);
  for (const [dim, n] of entries(m.DimensionExhausted)) out.push(`${prefix}* Dimension ${JSON.stringify(dim)} exhausted on ${n} nodes`);
  for (const q of m.QuotaExhausted ?? []) out.push(`${prefix}* Quota limit hit ${JSON.stringify(q)}`);
  return out;
}

/** The failed groups, sorted by name (sortedTaskGroupFromMetrics). */
export function failedGroups(e: ApiEvaluation): Array<[string, ApiAllocationMetric]> {
  return Object.entries(e.FailedTGAllocs ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

/** `Task Group "g" (failed to place 2 allocations):` */
export function failedGroupHeader(group: string, m: ApiAllocationMetric): string {
  const n = m.CoalescedFailures + 1;
  return `Task Group ${JSON.stringify(group)} (failed to place ${n} ${n === 1 ? 'allocation' : 'allocations'}):`;
}

/** Nomad's evalFailureStatus: the "Placement Failures" column. */
export function evalFailureStatus(e: ApiEvaluation): string {
  const failures = Object.keys(e.FailedTGAllocs ?? {}).length > 0;
  if (e.Status === 'blocked') return 'N/A - In Progress';
  if (failures) return 'true';
  return 'false';
}
