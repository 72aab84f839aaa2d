/**
 * restart { } blocks: each level sets only what it writes, and Nomad merges
 * job-type default ← group block ← task block field by field (api/tasks.go
 * TaskGroup.Canonicalize, then Task.Canonicalize).
 */
import { DEFAULT_BATCH_RESTART, DEFAULT_SERVICE_RESTART, formatDuration, suggest, type JobType, type RestartMode, type RestartPolicy } from '../model/index.js';
import { BodyReader } from './fields.js';
import { RESTART_NAMES } from './names.js';
import type { Report } from './report.js';

/** The fields one restart block sets. */
export type RestartOverride = { -readonly [K in keyof RestartPolicy]?: RestartPolicy[K] };

const MODES: readonly RestartMode[] = ['fail', 'delay'];
/** Nomad's RestartPolicyMinInterval. */
const MIN_INTERVAL_MS = 5_000;

/** Nomad's default restart policy for a job type (system jobs restart like services). */
export function defaultRestart(type: JobType): RestartPolicy {
  return type === 'service' || type === 'system' ? DEFAULT_SERVICE_RESTART : DEFAULT_BATCH_RESTART;
}

/** Decodes the fields a restart block sets, checking each. */
export function decodeRestart(report: Report, path: string, raw: Record<string, unknown>): RestartOverride {
  const r = new BodyReader(report, path, raw, RESTART_NAMES, 'restart');
  const out: RestartOverride = {};
  const attempts = r.int('attempts');
  if (attempts !== undefined) {
    if (attempts < 0) report.error(r.field('attempts'), `attempts must not be negative, got ${attempts}`);
    else out.attempts = attempts;
  }
  const interval = r.duration('interval');
  if (interval !== undefined) out.intervalMs = interval;
  const delay = r.duration('delay');
  if (delay !== undefined) out.delayMs = delay;
  const mode = r.string('mode');
  if (mode !== undefined) {
    if ((MODES as readonly string[]).includes(mode)) out.mode = mode as RestartMode;
    else report.error(r.field('mode'), `Unsupported restart mode: "${mode}"; must be "fail" or "delay"${suggest(mode, MODES)}`);
  }
  const render = r.bool('render_templates');
  if (render !== undefined) out.renderTemplates = render;
  return out;
}

/** `base` with the override's fields on top. */
export function mergeRestart(base: RestartPolicy, override: RestartOverride | undefined): RestartPolicy {
  return { ...base, ...override };
}

/** Nomad's RestartPolicy.Validate rules that span fields, reported at `field`. */
export function checkRestart(report: Report, field: string, p: RestartPolicy): void {
  if (p.attempts === 0 && p.mode !== 'fail') {
    report.error(field, `Restart policy "${p.mode}" with ${p.attempts} attempts is ambiguous`);
  }
  if (p.intervalMs < MIN_INTERVAL_MS) {
    report.error(field, `Interval can not be less than ${formatDuration(MIN_INTERVAL_MS)} (got ${formatDuration(p.intervalMs)})`);
  }
  if (p.attempts * p.delayMs > p.intervalMs) {
    report.error(field, `Nomad can't restart the TaskGroup ${p.attempts} times in an interval of ${formatDuration(p.intervalMs)} with a delay of ${formatDuration(p.delayMs)}`);
  }
}
