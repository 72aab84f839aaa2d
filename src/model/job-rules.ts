/**
 * Nomad's job rules (api Canonicalize defaults and nomad/structs Validate),
 * written once over model values so every front end applies the same ones:
 * the HCL jobspec and the agent's JSON (api.Job) decoder. A rule names the
 * model field it is about; each front end turns that into its own path
 * (`resources.memory_max` in HCL, `Resources.MemoryMaxMB` in JSON).
 */
import { posix } from 'node:path';
import { decodeSpec, suggest } from './config-spec.js';
import type { DriverSchemas } from './driver-schemas.js';
import type { FieldProblem } from './errors.js';
import { formatDuration } from './duration.js';
import {
  DEFAULT_BATCH_RESTART,
  DEFAULT_RESOURCES,
  DEFAULT_SERVICE_RESTART,
  type Artifact,
  type ArtifactMode,
  type JobType,
  type LifecycleHook,
  type LogConfig,
  type Resources,
  type RestartMode,
  type RestartPolicy,
} from './job.js';

/** A broken rule: which field of the checked value, and Nomad's message. */
export interface RuleProblem<F extends string = string> {
  readonly field: F;
  readonly message: string;
}

export const JOB_TYPES: readonly JobType[] = ['service', 'batch', 'system', 'sysbatch'];
export const RESTART_MODES: readonly RestartMode[] = ['fail', 'delay'];
export const LIFECYCLE_HOOKS: readonly LifecycleHook[] = ['prestart', 'poststart', 'poststop'];
export const ARTIFACT_MODES: readonly ArtifactMode[] = ['any', 'file', 'dir'];

/** Nomad's priority bounds (JobMinPriority; job_max_priority's default) and default. */
export const MIN_PRIORITY = 1;
export const MAX_PRIORITY = 100;
export const DEFAULT_PRIORITY = 50;
/** Nomad's default ephemeral_disk size (api.DefaultEphemeralDisk), which task logs must fit in. */
export const DEFAULT_DISK_MB = 300;
/** Nomad's EphemeralDisk.Validate floor. */
export const MIN_DISK_MB = 10;

/** Nomad's EphemeralDisk.Validate, in its words. */
export function ephemeralDiskProblem(sizeMb: number): string | undefined {
  return sizeMb < MIN_DISK_MB ? `minimum DiskMB value is ${MIN_DISK_MB}; got ${sizeMb}` : undefined;
}

/** Whether a replacement takes over the previous alloc's data (Nomad's allocwatcher: sticky, or migrate, which implies it). */
export function stickyDisk(g: { readonly ephemeralDiskSticky?: boolean; readonly ephemeralDiskMigrate?: boolean }): boolean {
  return (g.ephemeralDiskSticky ?? false) || (g.ephemeralDiskMigrate ?? false);
}
/** Nomad's minimums (structs.MinResources). */
const MIN_CPU = 1;
const MIN_MEMORY_MB = 10;
/** memory_max = -1 means "no hard limit" in Nomad. */
const MEMORY_NO_LIMIT = -1;
/** Nomad's RestartPolicyMinInterval. */
const MIN_INTERVAL_MS = 5_000;

/** "Invalid job type" message when `type` is not one, else undefined. */
export function jobTypeProblem(type: string): string | undefined {
  if ((JOB_TYPES as readonly string[]).includes(type)) return undefined;
  return `Invalid job type: "${type}"; must be one of ${JOB_TYPES.join(', ')}${suggest(type, JOB_TYPES)}`;
}

/** Type guard for a valid job type. */
export function isJobType(type: string): type is JobType {
  return (JOB_TYPES as readonly string[]).includes(type);
}

/** Job.Validate's checks of the job's own fields. */
export function jobProblems(j: {
  id: string;
  region: string;
  namespace: string;
  datacenters: readonly string[];
  priority: number;
}): RuleProblem<'id' | 'region' | 'namespace' | 'datacenters' | 'priority'>[] {
  const out: RuleProblem<'id' | 'region' | 'namespace' | 'datacenters' | 'priority'>[] = [];
  if (j.id === '') out.push({ field: 'id', message: 'Missing job ID' });
  else if (j.id.includes(' ')) out.push({ field: 'id', message: 'Job ID contains a space' });
  else if (j.id.includes('\0')) out.push({ field: 'id', message: 'Job ID contains a null character' });
  if (j.region === '') out.push({ field: 'region', message: 'Missing job region' });
  if (j.namespace === '') out.push({ field: 'namespace', message: 'Job must be in a namespace' });
  if (j.datacenters.length === 0) out.push({ field: 'datacenters', message: 'Missing job datacenters' });
  if (j.datacenters.some((d) => d === '')) out.push({ field: 'datacenters', message: 'Job datacenter must be non-empty string' });
  if (j.priority < MIN_PRIORITY || j.priority > MAX_PRIORITY) {
    out.push({ field: 'priority', message: `job priority must be between [${MIN_PRIORITY}, ${MAX_PRIORITY}], got ${j.priority}` });
  }
  return out;
}

/** Stanzas Nomad allows only for some job types (Job.Validate / TaskGroup.Validate). */
export type TypedStanza = 'update' | 'migrate' | 'reschedule' | 'periodic' | 'parameterized';

/** Why `stanza` is not allowed in a job of `type`, or undefined. */
export function stanzaTypeProblem(stanza: TypedStanza, type: JobType): string | undefined {
  switch (stanza) {
    case 'update':
      return type === 'service' || type === 'system' ? undefined : `Job type "${type}" does not allow update block`;
    case 'migrate':
      return type === 'service' ? undefined : `Job type "${type}" does not allow migrate block`;
    case 'reschedule':
      return type === 'system' || type === 'sysbatch' ? 'System or sysbatch jobs should not have a reschedule policy' : undefined;
    case 'periodic':
      return type === 'batch' || type === 'sysbatch' ? undefined : 'Periodic can only be used with "batch" or "sysbatch" scheduler';
    case 'parameterized':
      return type === 'batch' || type === 'sysbatch' ? undefined : 'Parameterized job can only be used with "batch" or "sysbatch" scheduler';
  }
}

/** The duplicate-group message (indices 0-based). */
export function duplicateGroupProblem(name: string, index: number, firstIndex: number): string {
  return `Job task group ${index + 1} redefines '${name}' from group ${firstIndex + 1}`;
}

/** TaskGroup.Validate's checks of the group's own fields. */
export function groupProblems(name: string, count: number, jobType: JobType): RuleProblem<'name' | 'count'>[] {
  const out: RuleProblem<'name' | 'count'>[] = [];
  if (name.includes('\0')) out.push({ field: 'name', message: 'Task group name contains null character' });
  if (count < 0) out.push({ field: 'count', message: `Task group count can't be negative, got ${count}` });
  if (jobType === 'system' && count > 1) {
    out.push({ field: 'count', message: `Job task group ${name} has count ${count}. Count cannot exceed 1 with system scheduler` });
  }
  return out;
}

/** One task of a group, as the group-level rules see it. */
export interface GroupTask {
  readonly name: string;
  readonly leader: boolean;
  readonly logs: LogConfig;
  readonly lifecycle?: unknown;
}

/**
 * TaskGroup.Validate's rules across tasks: unique names, one leader, logs
 * within the disk, at least one main task. `task` is the index of the task a
 * problem is about (field '' = the task itself), or undefined for the group.
 */
export function groupTaskProblems(tasks: readonly GroupTask[], diskMb: number): (RuleProblem<'' | 'leader' | 'logs'> & { task?: number })[] {
  const out: (RuleProblem<'' | 'leader' | 'logs'> & { task?: number })[] = [];
  let leaders = 0;
  tasks.forEach((t, i) => {
    const first = tasks.findIndex((o) => o.name === t.name);
    if (first !== i) out.push({ task: i, field: '', message: `Task ${i + 1} redefines '${t.name}' from task ${first + 1}` });
    if (t.leader && ++leaders > 1) out.push({ task: i, field: 'leader', message: 'Only one task may be marked as leader' });
    const logMb = t.logs.maxFiles * t.logs.maxFileSizeMb;
    if (logMb >= diskMb) out.push({ task: i, field: 'logs', message: `log storage (${logMb} MB) must be less than requested disk capacity (${diskMb} MB)` });
  });
  if (tasks.length > 0 && !tasks.some((t) => t.lifecycle === undefined)) {
    out.push({ field: '', message: 'Task group must have at least one main task (one without a lifecycle block)' });
  }
  return out;
}

/** Task.Validate's checks of a task's name. */
export function taskNameProblems(name: string): string[] {
  const out: string[] = [];
  if (name === 'alloc') out.push('Task cannot be named "alloc"');
  if (/[/\\]/.test(name)) out.push('Task name cannot include slashes');
  if (name.includes('\0')) out.push('Task name cannot include null characters');
  return out;
}

/**
 * The one place a task's `config {}` is checked against its driver's schema
 * (both the HCL and the JSON front end call it). An unknown driver is a
 * problem at `driverField`; config problems are reported under `configPath`.
 * Without `drivers`, nothing is checked. Interpolation is still pending here, so `${...}` is allowed in any field;
 * Task.config keeps the raw block and the driver decodes it again at start.
 */
export function driverConfigProblems(
  driver: string,
  config: Readonly<Record<string, unknown>>,
  drivers: DriverSchemas | undefined,
  paths: { readonly driverField: string; readonly configPath: string },
): FieldProblem[] {
  if (!drivers) return []; // left to the agent, which knows its drivers
  const known = drivers.names();
  if (!known.includes(driver)) return [{ field: paths.driverField, message: `unknown driver "${driver}"${suggest(driver, known)}` }];
  const schema = drivers.taskConfigSchema(driver);
  if (!schema) return [];
  return decodeSpec(schema, config, paths.configPath, { allowInterpolation: true }).problems;
}

/** Nomad's default restart policy for a job type (system jobs restart like services). */
export function defaultRestart(type: JobType): RestartPolicy {
  return type === 'service' || type === 'system' ? DEFAULT_SERVICE_RESTART : DEFAULT_BATCH_RESTART;
}

/** "Unsupported restart mode" message when `mode` is not one, else undefined. */
export function restartModeProblem(mode: string): string | undefined {
  if ((RESTART_MODES as readonly string[]).includes(mode)) return undefined;
  return `Unsupported restart mode: "${mode}"; must be "fail" or "delay"${suggest(mode, RESTART_MODES)}`;
}

/** RestartPolicy.Validate's rules that span fields (all about the policy as a whole). */
export function restartProblems(p: RestartPolicy): string[] {
  const out: string[] = [];
  if (p.attempts === 0 && p.mode !== 'fail') out.push(`Restart policy "${p.mode}" with ${p.attempts} attempts is ambiguous`);
  if (p.intervalMs < MIN_INTERVAL_MS) {
    out.push(`Interval can not be less than ${formatDuration(MIN_INTERVAL_MS)} (got ${formatDuration(p.intervalMs)})`);
  }
  if (p.attempts * p.delayMs > p.intervalMs) {
    out.push(`Nomad can't restart the TaskGroup ${p.attempts} times in an interval of ${formatDuration(p.intervalMs)} with a delay of ${formatDuration(p.delayMs)}`);
  }
  return out;
}

/** The resources fields a job sets; the rest take Nomad's defaults. */
export type GivenResources = { -readonly [K in keyof Resources]?: Resources[K] };

/** Resources.Canonicalize: cpu defaults to 100 only when neither cpu nor cores is given. */
export function canonicalResources(given: GivenResources): Resources {
  return {
    cpu: given.cpu ?? (given.cores === undefined ? DEFAULT_RESOURCES.cpu : 0),
    cores: given.cores ?? 0,
    memoryMb: given.memoryMb ?? DEFAULT_RESOURCES.memoryMb,
    memoryMaxMb: given.memoryMaxMb ?? 0,
  };
}

/** Resources.Validate (and the task's MinResources checks). */
export function resourceProblems(r: Resources): RuleProblem<keyof Resources>[] {
  const out: RuleProblem<keyof Resources>[] = [];
  if (r.cores < 0) out.push({ field: 'cores', message: `cores value (${r.cores}) cannot be negative` });
  if (r.cores > 0 && r.cpu > 0) out.push({ field: 'cores', message: "Task can only ask for 'cpu' or 'cores' resource, not both." });
  if (r.cpu < MIN_CPU && r.cores === 0) out.push({ field: 'cpu', message: `minimum CPU value is ${MIN_CPU}; got ${r.cpu}` });
  if (r.memoryMb < MIN_MEMORY_MB) out.push({ field: 'memoryMb', message: `minimum MemoryMB value is ${MIN_MEMORY_MB}; got ${r.memoryMb}` });
  if (r.memoryMaxMb !== 0 && r.memoryMaxMb !== MEMORY_NO_LIMIT && r.memoryMaxMb < r.memoryMb) {
    out.push({ field: 'memoryMaxMb', message: `memory_max (${r.memoryMaxMb} MB) should be larger than memory (${r.memoryMb} MB)` });
  }
  return out;
}

/** Why a lifecycle hook is invalid, or undefined. */
export function lifecycleHookProblem(hook: string): string | undefined {
  if (hook === '') return 'no lifecycle hook provided: hook must be "prestart", "poststart" or "poststop"';
  if ((LIFECYCLE_HOOKS as readonly string[]).includes(hook)) return undefined;
  return `invalid hook "${hook}"; must be "prestart", "poststart" or "poststop"${suggest(hook, LIFECYCLE_HOOKS)}`;
}

/** Type guard for a valid lifecycle hook. */
export function isLifecycleHook(hook: string): hook is LifecycleHook {
  return (LIFECYCLE_HOOKS as readonly string[]).includes(hook);
}

/** LogConfig.Validate. */
export function logProblems(l: LogConfig): RuleProblem<'maxFiles' | 'maxFileSizeMb'>[] {
  const out: RuleProblem<'maxFiles' | 'maxFileSizeMb'>[] = [];
  if (l.maxFiles < 1) out.push({ field: 'maxFiles', message: `minimum number of files is 1; got ${l.maxFiles}` });
  if (l.maxFileSizeMb < 1) out.push({ field: 'maxFileSizeMb', message: `minimum file size is 1MB; got ${l.maxFileSizeMb}` });
  return out;
}

/** The artifact fields a job sets. */
export interface GivenArtifact {
  readonly source?: string;
  readonly destination?: string;
  readonly mode?: string;
  readonly options?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
}

/** TaskArtifact.Canonicalize and Validate: the artifact with Nomad's defaults, and what is wrong with it. */
export function canonicalArtifact(a: GivenArtifact): { artifact: Artifact; problems: RuleProblem<'source' | 'mode' | 'destination'>[] } {
  const problems: RuleProblem<'source' | 'mode' | 'destination'>[] = [];
  const source = a.source ?? '';
  if (source === '') problems.push({ field: 'source', message: 'source must be specified' });
  let mode: ArtifactMode = 'any';
  const given = a.mode ?? 'any';
  const known = ARTIFACT_MODES.find((m) => m === given);
  if (known) mode = known;
  else problems.push({ field: 'mode', message: `invalid artifact mode "${given}"; must be one of: any, file, dir${suggest(given, ARTIFACT_MODES)}` });
  // Nomad: file mode defaults to local/<source's base name>, the others to local/.
  const destination = a.destination ?? (mode === 'file' ? posix.join('local', posix.basename(source)) : 'local/');
  if (!posix.join('/alloc/task', destination).startsWith('/alloc/')) {
    problems.push({ field: 'destination', message: 'destination escapes allocation directory' });
  }
  return { artifact: { source, destination, mode, options: a.options ?? {}, headers: a.headers ?? {} }, problems };
}
