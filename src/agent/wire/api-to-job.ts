/**
 * Nomad's api.Job JSON → drover's Job. The JSON is rewritten into the body
 * shape hcl2json gives for the same job in HCL (snake_case names, blocks as
 * lists, labeled blocks keyed by label) and decoded by the jobspec decoder,
 * so a job sent as JSON gets exactly the defaults, checks and messages of
 * the same job written in HCL. Nomad fields drover does not run become
 * warnings (as in HCL); names Nomad does not know are errors.
 */
import { ValidationError, type DriverSchemas, type FieldProblem, type Job } from '../../model/index.js';
import { decodeJobFile } from '../../jobspec/decode-job.js';
import { locate } from '../../jobspec/locate.js';
import { Report } from '../../jobspec/report.js';
import { ARTIFACT_NAMES, GROUP_NAMES, JOB_NAMES, RESOURCES_NAMES, TASK_NAMES } from '../../jobspec/names.js';

/** A decoded job and the warnings for Nomad fields drover ignores. */
export interface DecodedApiJob {
  readonly job: Job;
  readonly warnings: FieldProblem[];
}

type Rename = Readonly<Record<string, string>>;

/** Fields the server sets: accepted and dropped without a word. */
const JOB_SERVER_FIELDS = new Set([
  'Stop', 'ParentID', 'Dispatched', 'DispatchIdempotencyToken', 'Payload', 'ConsulNamespace', 'VaultNamespace', 'NomadTokenID',
  'Status', 'StatusDescription', 'Stable', 'Version', 'SubmitTime', 'CreateIndex', 'ModifyIndex', 'JobModifyIndex', 'VersionTag',
  'ConsulToken', 'VaultToken', 'Submission',
]);

const JOB_FIELDS: Rename = {
  Region: 'region', Namespace: 'namespace', ID: 'id', Name: 'name', Type: 'type', Priority: 'priority', Datacenters: 'datacenters',
  Meta: 'meta', AllAtOnce: 'all_at_once', NodePool: 'node_pool', Constraints: 'constraint', Affinities: 'affinity', Spreads: 'spread',
  Update: 'update', Multiregion: 'multiregion', Periodic: 'periodic', ParameterizedJob: 'parameterized', Reschedule: 'reschedule',
  Migrate: 'migrate', UI: 'ui',
};
const GROUP_FIELDS: Rename = {
  Count: 'count', Meta: 'meta', ShutdownDelay: 'shutdown_delay', Constraints: 'constraint', Affinities: 'affinity', Spreads: 'spread',
  Volumes: 'volume', Disconnect: 'disconnect', ReschedulePolicy: 'reschedule', Update: 'update', Migrate: 'migrate',
  Networks: 'network', Services: 'service', MaxRunDuration: 'max_run_duration', StopAfterClientDisconnect: 'stop_after_client_disconnect',
  MaxClientDisconnect: 'max_client_disconnect', Scaling: 'scaling', Consul: 'consul', PreventRescheduleOnLost: 'prevent_reschedule_on_lost',
};
const TASK_FIELDS: Rename = {
  Driver: 'driver', User: 'user', Env: 'env', Meta: 'meta', KillTimeout: 'kill_timeout', Leader: 'leader', ShutdownDelay: 'shutdown_delay',
  KillSignal: 'kill_signal', Constraints: 'constraint', Affinities: 'affinity', Services: 'service', Vault: 'vault', Consul: 'consul',
  Templates: 'template', DispatchPayload: 'dispatch_payload', VolumeMounts: 'volume_mount', CSIPluginConfig: 'csi_plugin', Kind: 'kind',
  ScalingPolicies: 'scaling', Secrets: 'secret', Identity: 'identity', Identities: 'identity', Actions: 'action', Schedule: 'schedule',
};
const RESTART_FIELDS: Rename = { Interval: 'interval', Attempts: 'attempts', Delay: 'delay', Mode: 'mode', RenderTemplates: 'render_templates' };
const RESOURCES_FIELDS: Rename = {
  CPU: 'cpu', Cores: 'cores', MemoryMB: 'memory', MemoryMaxMB: 'memory_max', DiskMB: 'disk', Networks: 'network', Devices: 'device',
  NUMA: 'numa', SecretsMB: 'secrets', IOPS: 'iops',
};
const LOGS_FIELDS: Rename = { MaxFiles: 'max_files', MaxFileSizeMB: 'max_file_size', Enabled: 'enabled', Disabled: 'disabled' };
const LIFECYCLE_FIELDS: Rename = { Hook: 'hook', Sidecar: 'sidecar' };
const ARTIFACT_FIELDS: Rename = {
  GetterSource: 'source', GetterOptions: 'options', GetterHeaders: 'headers', GetterMode: 'mode', GetterInsecure: 'insecure',
  RelativeDest: 'destination', Chown: 'chown',
};

/** HCL names drover accepts but ignores (with a warning) at any level. */
const IGNORED = new Set([JOB_NAMES, GROUP_NAMES, TASK_NAMES, RESOURCES_NAMES, ARTIFACT_NAMES].flatMap((n) => n.ignored));

/** Decodes a JSON job; throws ValidationError naming every bad field. */
export function fromApiJob(raw: unknown, drivers: DriverSchemas): DecodedApiJob {
  const problems: FieldProblem[] = [];
  const c = new Converter(problems);
  const job = c.object(raw, 'Job');
  if (!job) throw new ValidationError(problems);
  const id = typeof job['ID'] === 'string' ? job['ID'] : '';
  if (id === '') problems.push({ field: 'Job.ID', message: 'Missing job ID' });
  const body = c.job(job, 'Job');
  if (problems.length > 0) throw new ValidationError(problems);
  const report = new Report(locate(''));
  const decoded = decodeJobFile(report, { job: { [id]: [body] } }, drivers);
  if (report.errors.length > 0 || !decoded) throw new ValidationError(report.errors);
  return { job: decoded, warnings: report.warnings };
}

class Converter {
  constructor(private readonly problems: FieldProblem[]) {}

  object(v: unknown, path: string): Record<string, unknown> | undefined {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    this.problems.push({ field: path, message: `expected an object, got ${describe(v)}` });
    return undefined;
  }

  list(v: unknown, path: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.problems.push({ field: path, message: `expected a list, got ${describe(v)}` });
    return [];
  }

  job(j: Record<string, unknown>, path: string): Record<string, unknown> {
    const out = this.rename(j, path, JOB_FIELDS, new Set([...JOB_SERVER_FIELDS, 'TaskGroups']));
    const groups: Record<string, unknown[]> = {};
    this.list(j['TaskGroups'], `${path}.TaskGroups`).forEach((g, i) => {
      const gp = `${path}.TaskGroups[${i}]`;
      const obj = this.object(g, gp);
      if (!obj) return;
      const name = this.label(obj, gp);
      if (name !== undefined) (groups[name] ??= []).push(this.group(obj, gp));
    });
    if (Object.keys(groups).length > 0) out['group'] = groups;
    return out;
  }

  private group(g: Record<string, unknown>, path: string): Record<string, unknown> {
    const out = this.rename(g, path, GROUP_FIELDS, new Set(['Name', 'Tasks', 'RestartPolicy', 'EphemeralDisk']));
    this.nested(out, 'restart', g['RestartPolicy'], `${path}.RestartPolicy`, RESTART_FIELDS);
    const disk = g['EphemeralDisk'];
    if (disk !== undefined && disk !== null) {
      const d = this.object(disk, `${path}.EphemeralDisk`);
      // Only the size matters to drover (task logs must fit); sticky/migrate are meaningless on one client.
      if (d && typeof d['Size'] === 'number') out['ephemeral_disk'] = [{ size: d['Size'] }];
    }
    const tasks: Record<string, unknown[]> = {};
    this.list(g['Tasks'], `${path}.Tasks`).forEach((t, i) => {
      const tp = `${path}.Tasks[${i}]`;
      const obj = this.object(t, tp);
      if (!obj) return;
      const name = this.label(obj, tp);
      if (name !== undefined) (tasks[name] ??= []).push(this.task(obj, tp));
    });
    if (Object.keys(tasks).length > 0) out['task'] = tasks;
    return out;
  }

  private task(t: Record<string, unknown>, path: string): Record<string, unknown> {
    const out = this.rename(t, path, TASK_FIELDS, new Set(['Name', 'Config', 'Resources', 'RestartPolicy', 'LogConfig', 'Lifecycle', 'Artifacts']));
    const config = t['Config'];
    if (config !== undefined && config !== null) {
      const obj = this.object(config, `${path}.Config`);
      if (obj) out['config'] = [obj];
    }
    this.nested(out, 'resources', t['Resources'], `${path}.Resources`, RESOURCES_FIELDS);
    this.nested(out, 'restart', t['RestartPolicy'], `${path}.RestartPolicy`, RESTART_FIELDS);
    this.nested(out, 'logs', t['LogConfig'], `${path}.LogConfig`, LOGS_FIELDS);
    this.nested(out, 'lifecycle', t['Lifecycle'], `${path}.Lifecycle`, LIFECYCLE_FIELDS);
    const artifacts = this.list(t['Artifacts'], `${path}.Artifacts`)
      .map((a, i) => this.object(a, `${path}.Artifacts[${i}]`) && this.rename(a as Record<string, unknown>, `${path}.Artifacts[${i}]`, ARTIFACT_FIELDS, new Set()))
      .filter((a): a is Record<string, unknown> => a !== undefined);
    if (artifacts.length > 0) out['artifact'] = artifacts;
    return out;
  }

  /** A one-block stanza (`restart { }`): renamed fields, written as a one-element list. */
  private nested(out: Record<string, unknown>, hclName: string, v: unknown, path: string, fields: Rename): void {
    if (v === undefined || v === null) return;
    const obj = this.object(v, path);
    if (obj) out[hclName] = [this.rename(obj, path, fields, new Set())];
  }

  private label(obj: Record<string, unknown>, path: string): string | undefined {
    const name = obj['Name'];
    if (typeof name === 'string' && name !== '') return name;
    this.problems.push({ field: `${path}.Name`, message: 'missing name' });
    return undefined;
  }

  /** Copies known fields under their HCL names; drops nulls and empty ignored stanzas; unknown fields are problems. */
  private rename(obj: Record<string, unknown>, path: string, fields: Rename, handled: ReadonlySet<string>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (handled.has(k)) continue;
      const name = fields[k];
      if (name === undefined) {
        this.problems.push({ field: `${path}.${k}`, message: `unknown field "${k}"` });
        continue;
      }
      // Nomad's canonical JSON spells out unused stanzas as false / 0 / "": only real settings warn.
      if (isEmpty(v) || (IGNORED.has(name) && !v)) continue;
      // false is the default: keeping it would make HCL- and JSON-born jobs compare unequal.
      if (name === 'render_templates' && v === false) continue;
      out[name] = v;
    }
    return out;
  }
}

/** null, [], {} and false-y defaults carry nothing: Nomad's canonical JSON is full of them. */
function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}
