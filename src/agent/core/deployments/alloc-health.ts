/**
 * Whether an allocation looks healthy right now (client/allochealth/tracker.go
 * on one node): every task that must run is running and, with
 * health_check = "checks", every healthiness check of its Nomad services
 * passes. Time (min_healthy_time, healthy_deadline) is the watcher's concern.
 */
import type { TaskGroup } from '../../../model/job.js';
import type { TaskState } from '../../../model/task-state.js';
import type { HealthCheck } from '../../../model/update-strategy.js';
import type { CheckResult } from '../../../taskrunner/services/types.js';

/** ok: healthy if it stays so for min_healthy_time; pending: not yet; unhealthy: final. */
export type HealthVerdict = { readonly kind: 'ok' } | { readonly kind: 'pending'; readonly why: string } | { readonly kind: 'unhealthy'; readonly why: string };

export interface HealthInput {
  readonly group: TaskGroup;
  readonly mode: HealthCheck;
  readonly clientStatus: string;
  readonly states: ReadonlyMap<string, Readonly<TaskState>>;
  readonly checks: ReadonlyMap<string, CheckResult>;
}

/** The number of checks whose results gate health (on_update = "ignore" ones only report). */
export function healthinessCheckCount(group: TaskGroup): number {
  const services = [...group.services, ...group.tasks.flatMap((t) => t.services)].filter((s) => s.provider === 'nomad');
  return services.reduce((n, s) => n + s.checks.filter((c) => c.onUpdate !== 'ignore').length, 0);
}

export function judgeHealth(i: HealthInput): HealthVerdict {
  if (i.clientStatus === 'failed' || i.clientStatus === 'lost') return { kind: 'unhealthy', why: `allocation ${i.clientStatus}` };
  for (const t of i.group.tasks) {
    const s = i.states.get(t.name);
    if (s?.failed) return { kind: 'unhealthy', why: `task ${JSON.stringify(t.name)} failed` };
    // Poststop tasks run after the others; a prestart task that is not a sidecar must only have succeeded.
    if (t.lifecycle?.hook === 'poststop') continue;
    if (t.lifecycle?.hook === 'prestart' && !t.lifecycle.sidecar) {
      if (s?.state === 'dead') continue;
      return { kind: 'pending', why: `task ${JSON.stringify(t.name)} has not finished` };
    }
    if (s?.state !== 'running') return { kind: 'pending', why: `task ${JSON.stringify(t.name)} is not running` };
  }
  if (i.mode !== 'checks') return { kind: 'ok' };
  const results = [...i.checks.values()].filter((c) => c.mode === 'healthiness');
  if (results.length < healthinessCheckCount(i.group)) return { kind: 'pending', why: 'checks have not all reported' };
  const failing = results.find((c) => c.status !== 'success');
  return failing ? { kind: 'pending', why: `check ${JSON.stringify(failing.check)} is ${failing.status}` } : { kind: 'ok' };
}
