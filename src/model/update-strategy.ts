/**
 * Nomad's update { } block (structs.UpdateStrategy): how a destructive job
 * update rolls out and when an allocation counts as healthy. Durations are ms.
 */

export const HealthCheck = { checks: 'checks', taskStates: 'task_states', manual: 'manual' } as const;
export type HealthCheck = (typeof HealthCheck)[keyof typeof HealthCheck];

export interface UpdateStrategy {
  /** Deprecated in Nomad 1.11 (equal to min_healthy_time); kept for validation and the API. */
  readonly staggerMs: number;
  readonly maxParallel: number;
  readonly healthCheck: HealthCheck;
  readonly minHealthyTimeMs: number;
  readonly healthyDeadlineMs: number;
  /** 0: the first unhealthy allocation fails the deployment. */
  readonly progressDeadlineMs: number;
  readonly autoRevert: boolean;
  readonly autoPromote: boolean;
  readonly canary: number;
}

/** Nomad's DefaultUpdateStrategy: what a service job without an update block gets. */
export const DEFAULT_UPDATE_STRATEGY: UpdateStrategy = {
  staggerMs: 30_000,
  maxParallel: 1,
  healthCheck: 'checks',
  minHealthyTimeMs: 10_000,
  healthyDeadlineMs: 5 * 60_000,
  progressDeadlineMs: 10 * 60_000,
  autoRevert: false,
  autoPromote: false,
  canary: 0,
};

export function isHealthCheck(s: string): s is HealthCheck {
  return (Object.values(HealthCheck) as string[]).includes(s);
}

/** Go's time.Duration String() for whole milliseconds, as Nomad's messages print durations. */
function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = `${rest / 1000}s`;
  return `${sign}${h > 0 ? `${h}h${m}m` : m > 0 ? `${m}m` : ''}${s}`;
}

/** A field of the strategy and Nomad's UpdateStrategy.Validate message about it. */
export interface UpdateProblem {
  readonly field: 'health_check' | 'max_parallel' | 'canary' | 'auto_promote' | 'min_healthy_time' | 'healthy_deadline' | 'progress_deadline' | 'stagger';
  readonly message: string;
}

/** Nomad's UpdateStrategy.Validate, message for message. */
export function updateStrategyProblems(u: UpdateStrategy): UpdateProblem[] {
  const out: UpdateProblem[] = [];
  if (!isHealthCheck(u.healthCheck)) out.push({ field: 'health_check', message: `Invalid health check given: ${JSON.stringify(u.healthCheck)}` });
  if (u.maxParallel < 0) out.push({ field: 'max_parallel', message: `Max parallel can not be less than zero: ${u.maxParallel} < 0` });
  if (u.canary < 0) out.push({ field: 'canary', message: `Canary count can not be less than zero: ${u.canary} < 0` });
  if (u.canary === 0 && u.autoPromote) out.push({ field: 'auto_promote', message: 'Auto Promote requires a Canary count greater than zero' });
  if (u.minHealthyTimeMs < 0) out.push({ field: 'min_healthy_time', message: `Minimum healthy time may not be less than zero: ${goDuration(u.minHealthyTimeMs)}` });
  if (u.healthyDeadlineMs <= 0) out.push({ field: 'healthy_deadline', message: `Healthy deadline must be greater than zero: ${goDuration(u.healthyDeadlineMs)}` });
  if (u.progressDeadlineMs < 0) out.push({ field: 'progress_deadline', message: `Progress deadline must be zero or greater: ${goDuration(u.progressDeadlineMs)}` });
  if (u.minHealthyTimeMs >= u.healthyDeadlineMs) {
    out.push({ field: 'min_healthy_time', message: `Minimum healthy time must be less than healthy deadline: ${goDuration(u.minHealthyTimeMs)} > ${goDuration(u.healthyDeadlineMs)}` });
  }
  if (u.progressDeadlineMs !== 0 && u.healthyDeadlineMs >= u.progressDeadlineMs) {
    out.push({ field: 'healthy_deadline', message: `Healthy deadline must be less than progress deadline: ${goDuration(u.healthyDeadlineMs)} > ${goDuration(u.progressDeadlineMs)}` });
  }
  if (u.staggerMs <= 0) out.push({ field: 'stagger', message: `Stagger must be greater than zero: ${goDuration(u.staggerMs)}` });
  return out;
}

/** Nomad's TaskGroup.Warnings text when max_parallel exceeds the group's count; undefined when it does not. */
export function maxParallelWarning(u: UpdateStrategy, count: number): string | undefined {
  if (count > 1 && u.maxParallel > count) {
    return `Update max parallel count is greater than task group count (${u.maxParallel} > ${count}). A destructive change would result in the simultaneous replacement of all allocations.`;
  }
  return undefined;
}

/**
 * api.TaskGroup.Canonicalize: a group's own fields over the job's, over Nomad's defaults.
 * Service and system jobs without any update block get the defaults (api.Job.Canonicalize).
 */
export function resolveUpdateStrategy(jobLevel: Partial<UpdateStrategy> | undefined, groupLevel: Partial<UpdateStrategy> | undefined): UpdateStrategy {
  return { ...DEFAULT_UPDATE_STRATEGY, ...jobLevel, ...groupLevel };
}
