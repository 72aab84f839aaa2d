/**
 * Nomad's RescheduleTracker arithmetic (nomad/structs alloc.go and the
 * scheduler's UpdateRescheduleTracker), pure: times are Unix ms passed in, so
 * every answer is exact. An allocation's tracker lists the reschedules that
 * led to it; the failed allocation's tracker decides its own replacement.
 */
import type { ReschedulePolicy } from './reschedule.js';

/** One reschedule that led to an allocation (RescheduleEvent; Nomad keeps ns, drover ms). */
export interface RescheduleEvent {
  /** When the replacement was placed. */
  readonly rescheduleTime: number;
  readonly prevAllocId: string;
  readonly prevNodeId: string;
  readonly delayMs: number;
}

/** Unlimited policies carry at most this many past events (the scheduler's maxPastRescheduleEvents). */
const MAX_PAST_EVENTS = 5;

/** rescheduleInfo: reschedules within the policy's interval before `at`, and the attempts allowed. */
export function rescheduleAttempts(p: ReschedulePolicy, events: readonly RescheduleEvent[], at: number): { attempted: number; total: number } {
  const attempted = p.attempts > 0 ? events.filter((e) => at - e.rescheduleTime < p.intervalMs).length : 0;
  return { attempted, total: p.attempts };
}

/**
 * Allocation.NextDelay: the policy's delay for a first reschedule, then grown by the delay
 * function from the last event's, capped at maxDelay; back to the first delay once the
 * alloc ran longer than the ceiling since its last reschedule (`failTime`: its last task finish).
 */
export function nextRescheduleDelay(p: ReschedulePolicy, events: readonly RescheduleEvent[], failTime: number): number {
  const last = events[events.length - 1];
  if (!last) return p.delayMs;
  let delay: number;
  switch (p.delayFunction) {
    case 'constant':
      return p.delayMs;
    case 'exponential':
      delay = last.delayMs * 2;
      break;
    case 'fibonacci': {
      const before = events[events.length - 2];
      delay = p.delayMs;
      if (before) delay = before.delayMs === p.maxDelayMs && last.delayMs === p.delayMs ? last.delayMs : last.delayMs + before.delayMs;
      break;
    }
  }
  if (p.maxDelayMs > 0 && delay > p.maxDelayMs) {
    delay = p.maxDelayMs;
    if (failTime - last.rescheduleTime > delay) delay = p.delayMs;
  }
  return delay;
}

/** When a failed allocation may be replaced (failTime + next delay), and whether the policy still allows it. */
export interface NextReschedule {
  readonly at: number;
  readonly delayMs: number;
  readonly eligible: boolean;
}

/** Allocation.NextRescheduleTime for a failed allocation the job still wants. */
export function nextReschedule(p: ReschedulePolicy | undefined, events: readonly RescheduleEvent[], failTime: number): NextReschedule | undefined {
  if (!p || (p.attempts === 0 && !p.unlimited)) return undefined;
  const delayMs = nextRescheduleDelay(p, events, failTime);
  let eligible = p.unlimited || p.attempts > 0;
  if (p.attempts > 0 && events.length > 0) {
    eligible = rescheduleAttempts(p, events, failTime).attempted < p.attempts && delayMs < p.intervalMs;
  }
  return { at: failTime + delayMs, delayMs, eligible };
}

/**
 * UpdateRescheduleTracker: the replacement's events, those of the failed alloc still
 * within the interval (the last few when unlimited), then this reschedule.
 */
export function replacementEvents(p: ReschedulePolicy, previous: readonly RescheduleEvent[], event: RescheduleEvent): RescheduleEvent[] {
  const kept = p.attempts > 0
    ? previous.filter((e) => p.intervalMs > 0 && event.rescheduleTime - e.rescheduleTime <= p.intervalMs)
    : previous.slice(-MAX_PAST_EVENTS);
  return [...kept, event];
}

/**
 * allocGCEligible for a failed alloc the job still wants and nothing replaced yet: collectable
 * when its policy never reschedules, or when its last reschedule is older than the interval.
 */
export function failedAllocCollectable(p: ReschedulePolicy | undefined, events: readonly RescheduleEvent[], now: number): boolean {
  if (!p || (!p.unlimited && p.attempts === 0)) return true;
  if (p.unlimited) return false;
  const last = events[events.length - 1];
  return last !== undefined && now - last.rescheduleTime > p.intervalMs;
}
