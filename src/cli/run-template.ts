/**
 * What `drover run` does with a job that is never placed itself: a periodic
 * job runs on schedule until interrupted (the embedded agent launches its
 * children as `drover agent` would); a parameterized job is dispatched once,
 * with -meta and -payload, and runs like a plain job. What cannot work in the
 * foreground is refused before anything starts, saying why and what to do.
 */
import { readFileSync } from 'node:fs';
import { nextCronTime } from '../jobspec/cron.js';
import type { Job } from '../model/job.js';
import { UsageError } from './flags.js';

/** How `drover run` runs the job. */
export type RunMode = 'plain' | 'periodic' | 'dispatch';

/** The inputs of the one dispatch of a parameterized job. */
export interface DispatchInputs {
  readonly meta: Record<string, string>;
  readonly payload: Uint8Array;
}

export const RUN_TEMPLATE_FLAGS = {
  meta: { type: 'string', multiple: true },
  payload: { type: 'string' },
} as const;

/** The run mode, or a UsageError when the job cannot run in the foreground as given. */
export function runMode(job: Job, flags: { meta?: string[]; payload?: string }, nowMs: number): RunMode {
  const dispatchFlags = (flags.meta?.length ?? 0) > 0 || flags.payload !== undefined;
  if (job.parameterized && job.periodic) {
    // Its dispatched children are themselves periodic: that needs a long-running agent.
    throw new UsageError(`Job "${job.id}" is both parameterized and periodic: each dispatch starts a schedule of its own. Run it on an agent (drover agent; drover job run; drover job dispatch).`);
  }
  if (job.parameterized) return 'dispatch';
  if (dispatchFlags) throw new UsageError(`-meta and -payload are for parameterized jobs; job "${job.id}" has no parameterized block`);
  if (!job.periodic) return 'plain';
  if (!job.periodic.enabled) {
    throw new UsageError(`Job "${job.id}" is periodic with enabled = false, so it would never launch. Set enabled = true, or remove the periodic block to run it once now.`);
  }
  if (nextPeriodicLaunchMs(job, nowMs) === undefined) throw new UsageError(`Job "${job.id}": its periodic schedule has no launch after now, so it would never launch.`);
  return 'periodic';
}

/** -meta KEY=VALUE… and -payload FILE ("-" for stdin), read as `drover job dispatch` reads them. */
export function dispatchInputs(flags: { meta?: string[]; payload?: string }): DispatchInputs {
  const meta: Record<string, string> = {};
  for (const kv of flags.meta ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`Error parsing meta value: ${JSON.stringify(kv)} (expected key=value)`);
    meta[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  let payload: Uint8Array = new Uint8Array();
  if (flags.payload !== undefined) {
    try {
      payload = readFileSync(flags.payload === '-' ? 0 : flags.payload);
    } catch (err) {
      throw new UsageError(`Error reading input data: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { meta, payload };
}

/** The job's next launch strictly after `nowMs` (Unix ms), in its time zone. */
export function nextPeriodicLaunchMs(job: Job, nowMs: number): number | undefined {
  const p = job.periodic;
  if (!p) return undefined;
  return nextCronTime(p.spec !== '' ? [p.spec] : p.specs, p.timeZone, nowMs);
}
