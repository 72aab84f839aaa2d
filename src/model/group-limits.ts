/**
 * A task group's max_run_duration and scaling { } (Nomad's TaskGroup
 * MaxRunDuration and Scaling), with the rules Nomad's TaskGroup.Validate
 * applies to them, shared by the jobspec and API decoders.
 */
import type { JobType } from './job.js';

/** The alloc's ClientDescription (and Killing event text) when max_run_duration stopped it (Nomad's AllocTimeoutReasonMaxRunDuration). */
export const MAX_RUN_DURATION_REASON = 'allocation exceeded max_run_duration';

/** scaling { } of a group (Nomad's ScalingPolicy of type "horizontal"). */
export interface GroupScaling {
  readonly min: number;
  readonly max: number;
  readonly enabled: boolean;
  /** Opaque to Nomad and drover: kept for the autoscaler, returned as written. */
  readonly policy?: Readonly<Record<string, unknown>>;
}

/** Nomad's group limit: it keeps the last 20 scaling events of each group (JobTrackedScalingEvents). */
export const TRACKED_SCALING_EVENTS = 20;

/** TaskGroup.Validate on max_run_duration (ms). */
export function maxRunDurationProblems(ms: number, jobType: JobType): string[] {
  const out: string[] = [];
  if (ms <= 0) out.push('MaxRunDuration must be greater than zero');
  if (jobType !== 'batch' && jobType !== 'sysbatch') out.push(`Job type ${JSON.stringify(jobType)} does not allow max_run_duration`);
  return out;
}

/** ScalingPolicy.Validate and TaskGroup.validateScalingPolicy, each prefixed as Nomad does. */
export function scalingProblems(s: GroupScaling, count: number): string[] {
  const out: string[] = [];
  if (s.max < 0) out.push('maximum count must be specified and non-negative');
  else if (s.max < s.min) out.push('maximum count must not be less than minimum count');
  if (s.min < 0) out.push('minimum count must be specified and non-negative');
  if (s.max < count) out.push('task group count must not be greater than maximum count in scaling policy');
  if (count < s.min) out.push('task group count must not be less than minimum count in scaling policy');
  return out.map((m) => `Scaling policy invalid: ${m}`);
}
