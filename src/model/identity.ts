/**
 * A task's workload identities (Nomad's `identity` block, nomad/structs
 * workload_id.go): the default one, named "default" and only ever for Nomad
 * itself, and named ones with their own audience and ttl. Canonicalize and
 * the rules are Nomad's, over model values, so the HCL jobspec and the JSON
 * decoder apply the same ones.
 */
import type { RuleProblem } from './job-rules.js';

/** The name of the default identity (Nomad's WorkloadIdentityDefaultName). */
export const DEFAULT_IDENTITY_NAME = 'default';
/** The audience of the default identity (Nomad's IdentityDefaultAud). */
export const DEFAULT_IDENTITY_AUD = 'nomadproject.io';

export type IdentityChangeMode = '' | 'noop' | 'signal' | 'restart';

export interface WorkloadIdentity {
  readonly name: string;
  /** The JWT "aud" claim. */
  readonly audience: readonly string[];
  /** What the task gets when a renewed token arrives; "" behaves as "noop". */
  readonly changeMode: string;
  readonly changeSignal: string;
  /** NOMAD_TOKEN (default) or NOMAD_TOKEN_<name> in the task's env. */
  readonly env: boolean;
  /** secrets/nomad_token (default) or secrets/nomad_<name>.jwt, or `filepath`. */
  readonly file: boolean;
  /** Where to write the token instead, relative to the task dir. */
  readonly filepath: string;
  /** 0: the token never expires (always so for the default identity). */
  readonly ttlMs: number;
  /** Consul service identities only; kept so the job reads back as written. */
  readonly serviceName: string;
  /** Claims a namespace may add (Nomad Enterprise); kept, not signed. */
  readonly extraClaims: readonly string[];
}

/** An identity as written; absent fields take the zero value, as Nomad's structs do. */
export type IdentityInput = Partial<WorkloadIdentity>;

/** Nomad's validIdentityName: safe in file names. */
const VALID_NAME = /^[a-zA-Z0-9-_]{1,128}$/;

/** Nomad's WorkloadIdentity.Canonicalize: "" is the default identity, whose audience is fixed; signals upper-cased. */
export function canonicalIdentity(i: IdentityInput): WorkloadIdentity {
  const name = i.name === undefined || i.name === '' ? DEFAULT_IDENTITY_NAME : i.name;
  return {
    name,
    audience: name === DEFAULT_IDENTITY_NAME ? [DEFAULT_IDENTITY_AUD] : [...(i.audience ?? [])],
    changeMode: i.changeMode ?? '',
    changeSignal: (i.changeSignal ?? '').toUpperCase(),
    env: i.env ?? false,
    file: i.file ?? false,
    filepath: i.filepath ?? '',
    ttlMs: i.ttlMs ?? 0,
    serviceName: i.serviceName ?? '',
    extraClaims: [...(i.extraClaims ?? [])],
  };
}

export type IdentityField = 'name' | 'aud' | 'change_mode' | 'change_signal' | 'ttl' | 'filepath';

/** Nomad's WorkloadIdentity.Validate, each problem naming its field. */
export function identityProblems(i: WorkloadIdentity): RuleProblem<IdentityField>[] {
  const out: RuleProblem<IdentityField>[] = [];
  if (!VALID_NAME.test(i.name)) out.push({ field: 'name', message: `invalid name "${i.name}". Must match regex ${VALID_NAME.source}` });
  i.audience.forEach((aud, n) => {
    if (aud === '') out.push({ field: 'aud', message: `an empty string is an invalid audience (${n + 1})` });
  });
  switch (i.changeMode) {
    case '':
    case 'noop':
    case 'restart':
      if (i.changeSignal !== '') out.push({ field: 'change_signal', message: `can only use change_signal="${i.changeSignal}" with change_mode="signal"` });
      break;
    case 'signal':
      if (i.changeSignal === '') out.push({ field: 'change_signal', message: 'change_signal must be specified when using change_mode="signal"' });
      break;
    default:
      out.push({ field: 'change_mode', message: `invalid change_mode: ${i.changeMode}` });
  }
  if (i.ttlMs > 0 && i.name === DEFAULT_IDENTITY_NAME) out.push({ field: 'ttl', message: 'ttl for default identity not yet supported' });
  if (i.ttlMs < 0) out.push({ field: 'ttl', message: 'ttl must be >= 0' });
  if (i.filepath !== '' && !i.file) out.push({ field: 'filepath', message: 'file parameter must be true in order to specify filepath' });
  return out;
}

/** Nomad's WorkloadIdentity.Warnings, given for named identities only (as Task.Warnings does). */
export function identityWarnings(i: WorkloadIdentity): RuleProblem<IdentityField>[] {
  const out: RuleProblem<IdentityField>[] = [];
  if (i.audience.length === 0) out.push({ field: 'aud', message: 'identities without an audience are insecure' });
  else if (i.audience.length > 1) out.push({ field: 'aud', message: 'while multiple audiences is allowed, it is more secure to use 1 audience per identity' });
  if (i.ttlMs === 0) out.push({ field: 'ttl', message: 'identities without an expiration are insecure' });
  if (i.env && i.changeMode !== 'restart') {
    out.push({ field: 'change_mode', message: `using env=true without change_mode="restart" may result in task not getting updated identity` });
  }
  return out;
}

/**
 * Splits a task's identity blocks as Nomad's Task.Canonicalize does: the
 * first unnamed or "default" one is the task's default identity, the rest are
 * named. Problems carry the index of the block they are about.
 */
export function splitIdentities(blocks: readonly WorkloadIdentity[]): {
  identity?: WorkloadIdentity;
  identities: WorkloadIdentity[];
  problems: (RuleProblem<IdentityField | 'block'> & { readonly index: number })[];
  warnings: (RuleProblem<IdentityField | 'block'> & { readonly index: number })[];
} {
  const problems: (RuleProblem<IdentityField | 'block'> & { index: number })[] = [];
  const warnings: (RuleProblem<IdentityField | 'block'> & { index: number })[] = [];
  let identity: WorkloadIdentity | undefined;
  const identities: WorkloadIdentity[] = [];
  const seen = new Set<string>();
  blocks.forEach((b, index) => {
    for (const p of identityProblems(b)) problems.push({ ...p, index });
    if (b.name === DEFAULT_IDENTITY_NAME) {
      if (identity) problems.push({ field: 'block', message: 'Duplicate default identities found', index });
      else identity = b;
      return;
    }
    for (const w of identityWarnings(b)) warnings.push({ ...w, index: index });
    // Nomad keeps both; only one token can live at secrets/nomad_<name>.jwt, so say so.
    if (seen.has(b.name)) warnings.push({ field: 'name', message: `identity "${b.name}" is defined more than once; the last one wins`, index });
    seen.add(b.name);
    identities.push(b);
  });
  return { ...(identity ? { identity } : {}), identities, problems, warnings };
}
