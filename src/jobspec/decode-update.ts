/**
 * update { } at job and group level → UpdateStrategy: the group's fields over
 * the job's over Nomad's defaults (api.TaskGroup.Canonicalize), checked with
 * Nomad's UpdateStrategy.Validate messages.
 */
import { maxParallelWarning, resolveUpdateStrategy, updateStrategyProblems, type JobType, type UpdateStrategy } from '../model/index.js';
import { BodyReader } from '../hcl/index.js';
import { UPDATE_NAMES } from './names.js';

type Fields = { -readonly [K in keyof UpdateStrategy]?: UpdateStrategy[K] };

/** The fields the block sets (undefined without the block); `r` reads the job or group body. */
export function decodeUpdateBlock(r: BodyReader): Partial<UpdateStrategy> | undefined {
  const raw = r.block('update');
  if (!raw) return undefined;
  const u = new BodyReader(r.report, r.field('update'), raw, UPDATE_NAMES, 'update');
  const out: Fields = {};
  const set = <K extends keyof UpdateStrategy>(k: K, v: UpdateStrategy[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('staggerMs', u.duration('stagger'));
  set('maxParallel', u.int('max_parallel'));
  set('healthCheck', u.string('health_check') as UpdateStrategy['healthCheck'] | undefined);
  set('minHealthyTimeMs', u.duration('min_healthy_time'));
  set('healthyDeadlineMs', u.duration('healthy_deadline'));
  set('progressDeadlineMs', u.duration('progress_deadline'));
  set('autoRevert', u.bool('auto_revert'));
  set('autoPromote', u.bool('auto_promote'));
  set('canary', u.int('canary'));
  return out;
}

/**
 * The group's resolved strategy (service and system jobs; undefined for the others, which
 * may not have the block: checkTypeRules reports it), its problems reported at the group's
 * update block when it has one, else the job's.
 */
export function groupUpdateStrategy(
  r: BodyReader,
  jobType: JobType,
  count: number,
  jobLevel: { fields: Partial<UpdateStrategy> | undefined; path: string } | undefined,
): UpdateStrategy | undefined {
  if (jobType !== 'service' && jobType !== 'system') return undefined;
  const own = decodeUpdateBlock(r);
  const update = resolveUpdateStrategy(jobLevel?.fields, own);
  if (own || jobLevel?.fields) {
    const at = own ? r.field('update') : (jobLevel?.path ?? r.path);
    for (const p of updateStrategyProblems(update)) r.report.error(`${at}.${p.field}`, p.message);
  }
  const warning = maxParallelWarning(update, count);
  if (warning) r.report.warn(r.path, warning);
  return update;
}
