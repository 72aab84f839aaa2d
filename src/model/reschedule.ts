/**
 * Nomad's reschedule { } policy (structs.ReschedulePolicy): how a failed
 * allocation is replaced by a new one. Durations in ms. Its defaults per job
 * type, the job-level → group-level merge of api.TaskGroup.Canonicalize, and
 * ReschedulePolicy.Validate's rules and messages.
 */
import { formatDuration } from './duration.js';
import type { JobType } from './job.js';

export const DELAY_FUNCTIONS = ['constant', 'exponential', 'fibonacci'] as const;
export type DelayFunction = (typeof DELAY_FUNCTIONS)[number];

export interface ReschedulePolicy {
  /** Attempts allowed within intervalMs (ignored when unlimited). */
  readonly attempts: number;
  readonly intervalMs: number;
  /** The first delay; the delay function grows it from there. */
  readonly delayMs: number;
  readonly delayFunction: DelayFunction;
  /** Ceiling of the exponential and fibonacci delays (0: none). */
  readonly maxDelayMs: number;
  readonly unlimited: boolean;
}

/** The fields one reschedule block sets (job level, then group level, override the type's default). */
export type RescheduleOverride = { -readonly [K in keyof ReschedulePolicy]?: ReschedulePolicy[K] };

/** DefaultServiceJobReschedulePolicy. */
export const DEFAULT_SERVICE_RESCHEDULE: ReschedulePolicy = {
  attempts: 0, intervalMs: 0, delayMs: 30_000, delayFunction: 'exponential', maxDelayMs: 3_600_000, unlimited: true,
};

/** DefaultBatchJobReschedulePolicy. */
export const DEFAULT_BATCH_RESCHEDULE: ReschedulePolicy = {
  attempts: 1, intervalMs: 24 * 3_600_000, delayMs: 5_000, delayFunction: 'constant', maxDelayMs: 0, unlimited: false,
};

/** What api's NewDefaultReschedulePolicy returns for a type that never reschedules (only a merge base). */
const DISABLED: ReschedulePolicy = { attempts: 0, intervalMs: 0, delayMs: 0, delayFunction: 'constant', maxDelayMs: 0, unlimited: false };

/** The type's default policy; undefined for system and sysbatch jobs, which are never rescheduled. */
export function defaultReschedule(type: JobType): ReschedulePolicy | undefined {
  if (type === 'service') return DEFAULT_SERVICE_RESCHEDULE;
  if (type === 'batch') return DEFAULT_BATCH_RESCHEDULE;
  return undefined;
}

/** The type's default ← job-level block ← group-level block, field by field (api.TaskGroup.Canonicalize). */
export function mergeReschedule(type: JobType, job: RescheduleOverride | undefined, group: RescheduleOverride | undefined): ReschedulePolicy {
  return { ...(defaultReschedule(type) ?? DISABLED), ...job, ...group };
}

/** The policy a group's allocations follow: what the job wrote, else the type's default. */
export function groupReschedule(group: { readonly reschedule?: ReschedulePolicy }, type: JobType): ReschedulePolicy | undefined {
  if (type === 'system' || type === 'sysbatch') return undefined;
  return group.reschedule ?? defaultReschedule(type);
}

/** ReschedulePolicy.Enabled. */
export function rescheduleEnabled(p: ReschedulePolicy | undefined): p is ReschedulePolicy {
  return p !== undefined && (p.attempts > 0 || p.unlimited);
}

/** "Invalid delay function" message when `name` is not one, else undefined. */
export function delayFunctionProblem(name: string): string | undefined {
  if ((DELAY_FUNCTIONS as readonly string[]).includes(name)) return undefined;
  return `Invalid delay function "${name}", must be one of [${DELAY_FUNCTIONS.map((f) => `"${f}"`).join(' ')}]`;
}

const MIN_INTERVAL_MS = 15_000;
const MIN_DELAY_MS = 5_000;

/** ReschedulePolicy.Validate: nothing to say about a disabled policy. */
export function rescheduleProblems(p: ReschedulePolicy): string[] {
  if (!rescheduleEnabled(p)) return [];
  const d = formatDuration;
  const out: string[] = [];
  if (p.attempts > 0) {
    if (p.intervalMs <= 0) out.push('Interval must be a non zero value if Attempts > 0');
    if (p.unlimited) {
      out.push(`Reschedule Policy with Attempts = ${p.attempts}, Interval = ${d(p.intervalMs)}, and Unlimited = true is ambiguous`);
      out.push('If Attempts >0, Unlimited cannot also be set to true');
    }
  }
  let delaysChecked = true;
  if (p.delayMs < MIN_DELAY_MS) {
    out.push(`Delay cannot be less than ${d(MIN_DELAY_MS)} (got ${d(p.delayMs)})`);
    delaysChecked = false;
  }
  if (p.delayFunction !== 'constant') {
    // Nomad's message prints the delay here, not the max delay.
    if (p.maxDelayMs < MIN_DELAY_MS) {
      out.push(`Max Delay cannot be less than ${d(MIN_DELAY_MS)} (got ${d(p.delayMs)})`);
      delaysChecked = false;
    }
    if (p.maxDelayMs < p.delayMs) {
      out.push(`Max Delay cannot be less than Delay ${d(p.delayMs)} (got ${d(p.maxDelayMs)})`);
      delaysChecked = false;
    }
  }
  if (!p.unlimited) {
    if (p.intervalMs < MIN_INTERVAL_MS) out.push(`Interval cannot be less than ${d(MIN_INTERVAL_MS)} (got ${d(p.intervalMs)})`);
    if (delaysChecked) out.push(...viabilityProblems(p));
  }
  return out;
}

/** validateDelayParams: whether `attempts` delays fit in the interval. */
function viabilityProblems(p: ReschedulePolicy): string[] {
  const v = viableAttempts(p);
  if (v.ok) return [];
  const d = formatDuration;
  const head =
    p.delayFunction === 'constant'
      ? `Nomad can only make ${v.possible} attempts in ${d(p.intervalMs)} with initial delay ${d(p.delayMs)} and delay function "${p.delayFunction}"`
      : `Nomad can only make ${v.possible} attempts in ${d(p.intervalMs)} with initial delay ${d(p.delayMs)}, delay function "${p.delayFunction}", and delay ceiling ${d(p.maxDelayMs)}`;
  return [head, `Set the interval to at least ${d(Math.round(v.recommendedMs / 1000) * 1000)} to accommodate ${p.attempts} attempts`];
}

/** ReschedulePolicy.viableAttempts, step for step. */
function viableAttempts(p: ReschedulePolicy): { ok: boolean; possible: number; recommendedMs: number } {
  let possible = 0;
  let recommendedMs = 0;
  let ok = true;
  switch (p.delayFunction) {
    case 'constant':
      recommendedMs = p.attempts * p.delayMs;
      if (p.intervalMs < recommendedMs) {
        possible = Math.floor(p.intervalMs / p.delayMs);
        ok = false;
      }
      break;
    case 'exponential':
      for (let i = 0; i < p.attempts; i++) {
        let next = 2 ** i * p.delayMs;
        if (next > p.maxDelayMs) {
          next = p.maxDelayMs;
          recommendedMs += next;
        } else recommendedMs = next;
        if (recommendedMs < p.intervalMs) possible++;
      }
      if (possible < p.attempts) ok = false;
      break;
    case 'fibonacci': {
      const slots = [p.delayMs, p.delayMs];
      let ceiling = false;
      for (let i = 2; i < p.attempts; i++) {
        const prev = slots[i - 1] as number;
        let next: number;
        if (ceiling) next = prev + p.maxDelayMs;
        else {
          next = prev + (slots[i - 2] as number);
          if (next > p.maxDelayMs) {
            next = p.maxDelayMs;
            ceiling = true;
          }
        }
        slots.push(next);
      }
      recommendedMs = slots[slots.length - 1] as number;
      if (p.intervalMs < recommendedMs) {
        ok = false;
        const i = slots.findIndex((s) => s > p.intervalMs);
        possible = i < 0 ? 0 : i;
      }
      break;
    }
  }
  return { ok, possible: Math.max(possible, 0), recommendedMs };
}
