/**
 * Cron schedules through croner (maintained, no dependencies, accepts the
 * leading seconds field Nomad's cronexpr accepts; 5 fields mean second 0).
 * Never a hand-written parser: the agent's scheduler asks here for next times too.
 */
import { Cron } from 'croner';

function cron(spec: string, timeZone: string): Cron {
  // domAndDow false: day-of-month OR day-of-week when both are restricted, as cron and cronexpr do.
  return new Cron(spec, { paused: true, timezone: timeZone === '' ? 'UTC' : timeZone, domAndDow: false });
}

/** Nomad's "Invalid cron spec" message, with the library's reason; undefined when the spec parses. */
export function cronSpecProblem(spec: string): string | undefined {
  try {
    cron(spec, 'UTC');
    return undefined;
  } catch (err) {
    return `Invalid cron spec "${spec}": ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Nomad's "Invalid time zone" message when Intl does not know the zone. */
export function timeZoneProblem(timeZone: string): string | undefined {
  if (timeZone === '') return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return undefined;
  } catch {
    return `Invalid time zone "${timeZone}": unknown time zone ${timeZone}`;
  }
}

/** The earliest instant (Unix ms) strictly after `afterMs` matching any of the specs in the zone; undefined when none ever does. */
export function nextCronTime(specs: readonly string[], timeZone: string, afterMs: number): number | undefined {
  let best: number | undefined;
  for (const spec of specs) {
    const next = cron(spec, timeZone).nextRun(new Date(afterMs));
    if (next && (best === undefined || next.getTime() < best)) best = next.getTime();
  }
  return best;
}
