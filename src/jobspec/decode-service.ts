/**
 * service { } and check { } → ServiceSpec / CheckSpec, with Nomad's defaults
 * and rules (model/service-rules.ts); problems point at the HCL field.
 */
import {
  canonicalService,
  type CheckInput,
  type CheckRestartInput,
  type ServiceInput,
  type ServiceProblem,
  type ServiceScope,
  type ServiceSpec,
} from '../model/index.js';
import { BodyReader, isObject, type Report } from '../hcl/index.js';
import { CHECK_NAMES, CHECK_RESTART_NAMES, SERVICE_NAMES } from './names.js';

/** HCL names of the input fields problems name. */
const HCL_FIELDS: Readonly<Record<string, string>> = {
  portLabel: 'port',
  addressMode: 'address_mode',
  onUpdate: 'on_update',
  taskName: 'task',
  intervalMs: 'interval',
  timeoutMs: 'timeout',
  initialStatus: 'initial_status',
  successBeforePassing: 'success_before_passing',
  failuresBeforeCritical: 'failures_before_critical',
  failuresBeforeWarning: 'failures_before_warning',
  checkRestart: 'check_restart',
  tlsServerName: 'tls_server_name',
  canaryTags: 'canary_tags',
  enableTagOverride: 'enable_tag_override',
};

/** A decoded service and where each of its checks was written (for the group/task rules). */
export interface DecodedService {
  readonly service: ServiceSpec;
  readonly path: string;
  readonly checkPaths: readonly string[];
}

/** Decodes every service block under `r` (a group or a task). */
export function decodeServices(r: BodyReader, scope: ServiceScope): DecodedService[] {
  return r.blocks('service').map((b) => decodeService(r.report, b.path, b.body, scope));
}

function decodeService(report: Report, path: string, raw: Record<string, unknown>, scope: ServiceScope): DecodedService {
  const r = new BodyReader(report, path, raw, SERVICE_NAMES, 'service');
  const checkBlocks = r.blocks('check');
  const input: ServiceInput = {
    name: r.string('name'),
    portLabel: r.string('port'),
    tags: r.stringList('tags'),
    canaryTags: r.stringList('canary_tags'),
    meta: r.stringMap('meta'),
    canaryMeta: r.stringMap('canary_meta'),
    addressMode: r.string('address_mode'),
    address: r.string('address'),
    provider: r.string('provider'),
    taskName: r.string('task'),
    enableTagOverride: r.bool('enable_tag_override'),
    onUpdate: r.string('on_update'),
    connect: r.has('connect'),
    checks: checkBlocks.map((b) => decodeCheck(report, b.path, b.body)),
    checkRestart: decodeCheckRestart(r),
  };
  const { service, problems } = canonicalService(input, scope);
  const checkPaths = checkBlocks.map((b) => b.path);
  reportServiceProblems(report, path, checkPaths, problems);
  return { service, path, checkPaths };
}

/** Sends service problems to the report at the HCL field they name. */
export function reportServiceProblems(report: Report, path: string, checkPaths: readonly string[], problems: readonly ServiceProblem[]): void {
  for (const p of problems) {
    const base = p.check === undefined ? path : (checkPaths[p.check] ?? path);
    const field = p.field === '' ? base : `${base}.${HCL_FIELDS[p.field] ?? p.field}`;
    if (p.warning) report.warn(field, p.message);
    else report.error(field, p.message);
  }
}

function decodeCheck(report: Report, path: string, raw: Record<string, unknown>): CheckInput {
  const r = new BodyReader(report, path, raw, CHECK_NAMES, 'check');
  return {
    name: r.string('name'),
    type: r.string('type'),
    path: r.string('path'),
    method: r.string('method'),
    headers: decodeHeaders(r),
    body: r.string('body'),
    protocol: r.string('protocol'),
    portLabel: r.string('port'),
    addressMode: r.string('address_mode'),
    intervalMs: r.duration('interval'),
    timeoutMs: r.duration('timeout'),
    initialStatus: r.string('initial_status'),
    successBeforePassing: r.int('success_before_passing'),
    failuresBeforeCritical: r.int('failures_before_critical'),
    failuresBeforeWarning: r.int('failures_before_warning'),
    command: r.string('command'),
    args: r.stringList('args'),
    taskName: r.string('task'),
    grpcService: r.string('grpc_service'),
    grpcUseTls: r.bool('grpc_use_tls'),
    tlsSkipVerify: r.bool('tls_skip_verify'),
    tlsServerName: r.string('tls_server_name'),
    expose: r.bool('expose'),
    notes: r.string('notes'),
    onUpdate: r.string('on_update'),
    checkRestart: decodeCheckRestart(r),
  };
}

function decodeCheckRestart(parent: BodyReader): CheckRestartInput | undefined {
  const raw = parent.block('check_restart');
  if (!raw) return undefined;
  const r = new BodyReader(parent.report, parent.field('check_restart'), raw, CHECK_RESTART_NAMES, 'check_restart');
  const limit = r.int('limit');
  if (limit !== undefined && limit < 0) r.report.error(r.field('limit'), `limit must be greater than or equal to 0 but found ${limit}`);
  return { limit, graceMs: r.duration('grace'), ignoreWarnings: r.bool('ignore_warnings') };
}

/** header { Name = ["v1", "v2"] } (a single string is taken as one value). */
function decodeHeaders(r: BodyReader): Record<string, string[]> | undefined {
  const raw = r.block('header');
  if (!raw) return undefined;
  const out: Record<string, string[]> = {};
  for (const [name, v] of Object.entries(raw)) {
    const values = Array.isArray(v) ? v : [v];
    if (values.every((x) => typeof x === 'string' || typeof x === 'number') && !values.some(isObject)) out[name] = values.map(String);
    else r.report.error(`${r.field('header')}.${name}`, 'expected a list of strings, e.g. Authorization = ["Basic ..."]');
  }
  return out;
}
