/**
 * Periodic and parameterized (dispatch) jobs: the parent's configuration, the
 * fields a child carries, and Nomad's rules for them (nomad/structs
 * PeriodicConfig, ParameterizedJobConfig, DispatchPayloadConfig; nomad/job_endpoint.go
 * validateDispatchRequest). Cron syntax itself is checked where the cron library is (jobspec/cron.ts).
 */

/** periodic { } */
export interface PeriodicConfig {
  /** false keeps the job registered but launches nothing (Nomad skips validation then too). */
  readonly enabled: boolean;
  /** The older single `cron` attribute ("" when unset). */
  readonly spec: string;
  /** `crons`: the next launch is the earliest of them. */
  readonly specs: readonly string[];
  readonly prohibitOverlap: boolean;
  /** IANA name; "" means UTC, as Nomad. */
  readonly timeZone: string;
}

export const DispatchPayload = { optional: 'optional', required: 'required', forbidden: 'forbidden' } as const;
export type DispatchPayload = (typeof DispatchPayload)[keyof typeof DispatchPayload];

/** parameterized { } */
export interface ParameterizedConfig {
  readonly payload: DispatchPayload;
  readonly metaRequired: readonly string[];
  readonly metaOptional: readonly string[];
}

/** A task's dispatch_payload { }: where the payload lands, relative to the task's local/ dir. */
export interface DispatchPayloadConfig {
  readonly file: string;
}

/** Nomad's DispatchPayloadSizeLimit. */
export const DISPATCH_PAYLOAD_SIZE_LIMIT = 16 * 1024;

/** Nomad's child-ID suffixes (structs.PeriodicLaunchSuffix, DispatchLaunchSuffix). */
export const PERIODIC_LAUNCH_SUFFIX = '/periodic-';
export const DISPATCH_LAUNCH_SUFFIX = '/dispatch-';

/** "<parent>/periodic-<unix seconds>". */
export function periodicChildId(parentId: string, launchMs: number): string {
  return `${parentId}${PERIODIC_LAUNCH_SUFFIX}${Math.floor(launchMs / 1000)}`;
}

/**
 * "<parent>/dispatch-<unix seconds>-<8 hex>", or with an ID prefix template
 * "<parent>/dispatch-<template>-<unix seconds>-<8 hex>" (Nomad's structs.DispatchedID;
 * `uuid` supplies the hex).
 */
export function dispatchedChildId(parentId: string, nowMs: number, uuid: string, idPrefixTemplate = ''): string {
  const prefix = idPrefixTemplate === '' ? '' : `${idPrefixTemplate}-`;
  return `${parentId}${DISPATCH_LAUNCH_SUFFIX}${prefix}${Math.floor(nowMs / 1000)}-${uuid.slice(0, 8)}`;
}

/**
 * Why a dispatch's IdPrefixTemplate cannot be used, or undefined. Nomad takes
 * the template as it comes and registers the child without Job.Validate, so a
 * space would give a child whose ID Job.Validate refuses and a NUL one no
 * command can name; drover refuses both, in Job.Validate's words.
 */
export function idPrefixTemplateProblem(template: string): string | undefined {
  if (template.includes(' ')) return `IdPrefixTemplate ${JSON.stringify(template)}: Job ID contains a space`;
  if (template.includes('\0')) return `IdPrefixTemplate ${JSON.stringify(template)}: Job ID contains a null character`;
  return undefined;
}

export function isDispatchPayload(s: string): s is DispatchPayload {
  return Object.hasOwn(DispatchPayload, s);
}

/** ParameterizedJobConfig.Validate's messages, with the field each one is about. */
export function parameterizedProblems(payload: string, required: readonly string[], optional: readonly string[]): { field: 'payload' | 'meta_optional'; message: string }[] {
  const out: { field: 'payload' | 'meta_optional'; message: string }[] = [];
  if (!isDispatchPayload(payload)) out.push({ field: 'payload', message: `Unknown payload requirement: "${payload}"` });
  const both = optional.filter((k) => required.includes(k));
  if (both.length > 0) {
    out.push({ field: 'meta_optional', message: `Required and optional meta keys should be disjoint. Following keys exist in both: [${both.join(' ')}]` });
  }
  return out;
}

/** PeriodicConfig.Validate's structural checks (cron syntax and time zone are checked by the caller). */
export function periodicShapeProblems(p: PeriodicConfig): { field: 'cron' | 'crons'; message: string }[] {
  if (!p.enabled) return [];
  if (p.spec !== '' && p.specs.length > 0) return [{ field: 'crons', message: 'Only cron or crons may be used' }];
  if (p.spec === '' && p.specs.length === 0) return [{ field: 'crons', message: 'Must specify a spec' }];
  return [];
}

/** Is the dispatch_payload file inside the task dir (Nomad: must not escape the allocation via "task/local/")? */
export function dispatchFileProblem(file: string): string | undefined {
  const parts: string[] = ['task', 'local'];
  for (const seg of file.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return 'destination escapes allocation directory';
      parts.pop();
    } else parts.push(seg);
  }
  return undefined;
}

/** validateDispatchRequest, in Nomad's order and words; undefined when the request is acceptable. */
export function dispatchRequestProblem(cfg: ParameterizedConfig, payload: Uint8Array, meta: Readonly<Record<string, string>>): string | undefined {
  const has = payload.length !== 0;
  if (cfg.payload === 'required' && !has) return 'Payload is not provided but required by parameterized job';
  if (cfg.payload === 'forbidden' && has) return 'Payload provided but forbidden by parameterized job';
  if (payload.length > DISPATCH_PAYLOAD_SIZE_LIMIT) return `Payload exceeds maximum size; ${payload.length} > ${DISPATCH_PAYLOAD_SIZE_LIMIT}`;
  const unpermitted = Object.keys(meta).filter((k) => !cfg.metaRequired.includes(k) && !cfg.metaOptional.includes(k));
  if (unpermitted.length > 0) return `Dispatch request included unpermitted metadata keys: [${unpermitted.join(' ')}]`;
  const missing = cfg.metaRequired.filter((k) => !Object.hasOwn(meta, k));
  if (missing.length > 0) return `Dispatch did not provide required meta keys: [${missing.join(' ')}]`;
  return undefined;
}
