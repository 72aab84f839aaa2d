/**
 * Nomad's defaults and rules for service { } and check { } blocks
 * (api Service.Canonicalize, structs Service.Validate, ServiceCheck.validate*,
 * TaskGroup.validateServices, validateServices), over model values so the HCL
 * jobspec and the JSON decoder apply the same ones.
 *
 * drover is its own service provider: a service without `provider` registers
 * with the agent (Nomad would hand it to Consul), so its checks may use every
 * check type and threshold Consul's do; `provider = "consul"` is accepted and
 * left unregistered with a warning.
 */
import type { RuleProblem } from './job-rules.js';
import type { AddressMode, CheckRestartSpec, CheckSpec, CheckType, OnUpdate, ServiceProvider, ServiceSpec } from './service.js';

export const CHECK_TYPES: readonly CheckType[] = ['http', 'tcp', 'script', 'grpc'];
const ADDRESS_MODES: readonly AddressMode[] = ['auto', 'host', 'driver', 'alloc'];
const ON_UPDATE: readonly OnUpdate[] = ['require_healthy', 'ignore_warnings', 'ignore'];
const INITIAL_STATUS = ['', 'passing', 'warning', 'critical'];
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE'];
/** Nomad's minCheckInterval and minCheckTimeout. */
const MIN_CHECK_MS = 1_000;

export interface CheckRestartInput {
  readonly limit?: number;
  readonly graceMs?: number;
  readonly ignoreWarnings?: boolean;
}

/** A check as written (absent fields take Nomad's defaults). */
export interface CheckInput {
  readonly name?: string;
  readonly type?: string;
  readonly path?: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, readonly string[]>>;
  readonly body?: string;
  readonly protocol?: string;
  readonly portLabel?: string;
  readonly addressMode?: string;
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly initialStatus?: string;
  readonly successBeforePassing?: number;
  readonly failuresBeforeCritical?: number;
  readonly failuresBeforeWarning?: number;
  readonly command?: string;
  readonly args?: readonly string[];
  readonly taskName?: string;
  readonly grpcService?: string;
  readonly grpcUseTls?: boolean;
  readonly tlsSkipVerify?: boolean;
  readonly tlsServerName?: string;
  readonly expose?: boolean;
  readonly notes?: string;
  readonly onUpdate?: string;
  readonly checkRestart?: CheckRestartInput;
}

export interface ServiceInput {
  readonly name?: string;
  readonly portLabel?: string;
  readonly tags?: readonly string[];
  readonly canaryTags?: readonly string[];
  readonly meta?: Readonly<Record<string, string>>;
  readonly canaryMeta?: Readonly<Record<string, string>>;
  readonly addressMode?: string;
  readonly address?: string;
  readonly provider?: string;
  readonly taskName?: string;
  readonly enableTagOverride?: boolean;
  readonly onUpdate?: string;
  readonly connect?: boolean;
  readonly checks?: readonly CheckInput[];
  readonly checkRestart?: CheckRestartInput;
}

/** A field of a service (`check` undefined) or of its check number `check`. */
export interface ServiceProblem extends RuleProblem<keyof ServiceInput | keyof CheckInput | ''> {
  readonly check?: number;
  /** Warnings do not stop the job. */
  readonly warning?: boolean;
}

/** Where a service is declared: its job, group and (for task services) task. */
export interface ServiceScope {
  readonly job: string;
  readonly group: string;
  /** Undefined for group services. */
  readonly task?: string;
}

/** A service with Nomad's defaults, and the problems of its own fields. */
export function canonicalService(s: ServiceInput, scope: ServiceScope): { service: ServiceSpec; problems: ServiceProblem[] } {
  const problems: ServiceProblem[] = [];
  const base = scope.task === undefined ? `${scope.job}-${scope.group}` : `${scope.job}-${scope.group}-${scope.task}`;
  const name = substituteNames(s.name || base, { JOB: scope.job, TASKGROUP: scope.group, TASK: scope.task ?? 'group', BASE: `${scope.job}-${scope.group}-${scope.task ?? 'group'}` });
  const nameProblem = serviceNameProblem(name);
  if (nameProblem) problems.push({ field: 'name', message: nameProblem });

  const addressMode = pick(s.addressMode || 'auto', ADDRESS_MODES);
  if (!addressMode) problems.push({ field: 'addressMode', message: `Service address_mode must be "auto", "host", "driver" or "alloc"; not ${JSON.stringify(s.addressMode)}` });
  else if (addressMode !== 'auto' && s.address) problems.push({ field: 'address', message: 'Service address_mode must be "auto" if address is set' });
  const onUpdate = pick(s.onUpdate || 'require_healthy', ON_UPDATE);
  if (!onUpdate) problems.push({ field: 'onUpdate', message: `Service on_update must be "require_healthy", "ignore_warnings", or "ignore"; not ${JSON.stringify(s.onUpdate)}` });

  let provider: ServiceProvider = 'nomad';
  if (s.provider === 'consul') {
    provider = 'consul';
    problems.push({ field: 'provider', warning: true, message: `service "${name}" uses provider "consul": drover runs no Consul agent, so it is not registered (the job still runs)` });
  } else if (s.provider !== undefined && s.provider !== '' && s.provider !== 'nomad') {
    problems.push({ field: 'provider', message: `Service provider must be "consul", or "nomad"; not ${JSON.stringify(s.provider)}` });
  }
  if (s.connect) {
    if (s.provider === 'nomad') problems.push({ field: 'connect', message: 'Service with provider nomad cannot include Connect blocks' });
    else if (scope.task !== undefined) problems.push({ field: 'connect', message: `service "${name}" cannot have "connect" block, only services defined in a "group" block can` });
    else problems.push({ field: 'connect', warning: true, message: `service "${name}": Consul Connect needs a Consul agent; drover ignores the connect block (the job still runs)` });
  }

  const taskName = s.taskName || scope.task || '';
  const checks = (s.checks ?? []).map((c, i) => {
    const r = canonicalCheck(c, { service: name, serviceRestart: s.checkRestart, serviceOnUpdate: onUpdate ?? 'require_healthy', taskName: s.taskName || scope.task || '' });
    for (const p of r.problems) problems.push({ ...p, check: i });
    if (r.check.type !== 'script' && s.portLabel === undefined && !c.portLabel) {
      problems.push({ check: i, field: 'portLabel', message: `Check ${r.check.name} invalid: check requires a port but neither check nor service "${name}" have a port` });
    }
    return r.check;
  });

  const service: ServiceSpec = {
    name,
    portLabel: s.portLabel ?? '',
    tags: [...(s.tags ?? [])],
    canaryTags: [...(s.canaryTags ?? [])],
    meta: { ...s.meta },
    canaryMeta: { ...s.canaryMeta },
    addressMode: addressMode ?? 'auto',
    address: s.address ?? '',
    provider,
    taskName,
    enableTagOverride: s.enableTagOverride ?? false,
    onUpdate: onUpdate ?? 'require_healthy',
    connect: s.connect ?? false,
    checks,
  };
  return { service, problems };
}

interface CheckContext {
  readonly service: string;
  readonly serviceRestart: CheckRestartInput | undefined;
  readonly serviceOnUpdate: OnUpdate;
  readonly taskName: string;
}

function canonicalCheck(c: CheckInput, ctx: CheckContext): { check: CheckSpec; problems: ServiceProblem[] } {
  const problems: ServiceProblem[] = [];
  const bad = (field: keyof CheckInput, message: string): void => void problems.push({ field, message });
  const typeName = (c.type ?? '').toLowerCase();
  const type = pick(typeName, CHECK_TYPES);
  if (!type) bad('type', `invalid check type (${JSON.stringify(typeName)}), must be one of ${CHECK_TYPES.join(', ')}`);
  if (type === 'http') {
    if (!c.path) bad('path', 'http type must have http path');
    else if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(c.path)) bad('path', 'http type must have relative http path');
    const method = (c.method ?? '').toUpperCase();
    if (method !== '' && !HTTP_METHODS.includes(method)) bad('method', `method type ${JSON.stringify(c.method)} not supported in http check`);
  }
  if (type === 'script' && !c.command) bad('command', 'script type must have a valid script path');

  const interval = c.intervalMs ?? 0;
  if (interval === 0) bad('intervalMs', 'missing required value interval. Interval cannot be less than 1s');
  else if (interval < MIN_CHECK_MS) bad('intervalMs', `interval (${interval}ms) cannot be lower than 1s`);
  const timeout = c.timeoutMs ?? 0;
  if (timeout === 0) bad('timeoutMs', 'missing required value timeout. Timeout cannot be less than 1s');
  else if (timeout < MIN_CHECK_MS) bad('timeoutMs', `timeout (${timeout}ms) is lower than required minimum timeout 1s`);

  if (!INITIAL_STATUS.includes(c.initialStatus ?? '')) {
    bad('initialStatus', `invalid initial check state (${c.initialStatus}), must be one of "passing", "warning", "critical" or empty`);
  }
  const addressMode = c.addressMode ?? '';
  if (addressMode === 'auto') bad('addressMode', 'invalid address_mode "auto" - auto only valid for services');
  else if (addressMode !== '' && !pick(addressMode, ADDRESS_MODES)) bad('addressMode', `invalid address_mode ${JSON.stringify(addressMode)}`);
  const onUpdate = c.onUpdate ? pick(c.onUpdate, ON_UPDATE) : ctx.serviceOnUpdate;
  if (!onUpdate) bad('onUpdate', `on_update must be "require_healthy", "ignore_warnings", or "ignore"; got ${JSON.stringify(c.onUpdate)}`);

  const passFail = type === 'http' || type === 'tcp' || type === 'grpc';
  for (const [field, name] of [['successBeforePassing', 'success_before_passing'], ['failuresBeforeCritical', 'failures_before_critical'], ['failuresBeforeWarning', 'failures_before_warning']] as const) {
    const v = c[field] ?? 0;
    if (v < 0) bad(field, `${name} must be non-negative`);
    else if (v > 0 && type && !passFail) bad(field, `${name} not supported for check of type "${type}"`);
  }
  if ((c.notes ?? '').length > 255) bad('notes', 'notes must not be longer than 255 characters');
  if (c.expose && type !== 'http' && type !== 'grpc') bad('expose', 'expose may only be set on HTTP or gRPC checks');

  const restart = mergeCheckRestart(ctx.serviceRestart, c.checkRestart);
  if (restart) {
    if (restart.limit < 0) bad('checkRestart', `check_restart: limit must be greater than or equal to 0 but found ${restart.limit}`);
    if (onUpdate === 'ignore') bad('onUpdate', 'on_update value "ignore" is not compatible with check_restart');
    if (onUpdate === 'ignore_warnings' && !restart.ignoreWarnings) {
      bad('onUpdate', 'on_update value "ignore_warnings" not supported with check_restart ignore_warnings value "false"');
    }
  }

  const check: CheckSpec = {
    name: c.name || `service: ${JSON.stringify(ctx.service)} check`,
    type: type ?? 'tcp',
    path: c.path ?? '',
    method: c.method ? c.method.toUpperCase() : type === 'http' ? 'GET' : '',
    headers: Object.fromEntries(Object.entries(c.headers ?? {}).map(([k, v]) => [k, [...v]])),
    body: c.body ?? '',
    protocol: c.protocol || (type === 'http' ? 'http' : ''),
    portLabel: c.portLabel ?? '',
    // Checks have no "auto": Nomad's default is the host address.
    addressMode: pick(addressMode, ADDRESS_MODES) ?? 'host',
    intervalMs: interval,
    timeoutMs: timeout,
    initialStatus: c.initialStatus ?? '',
    successBeforePassing: Math.max(0, c.successBeforePassing ?? 0),
    failuresBeforeCritical: Math.max(0, c.failuresBeforeCritical ?? 0),
    failuresBeforeWarning: Math.max(0, c.failuresBeforeWarning ?? 0),
    command: c.command ?? '',
    args: [...(c.args ?? [])],
    taskName: c.taskName || ctx.taskName,
    grpcService: c.grpcService ?? '',
    grpcUseTls: c.grpcUseTls ?? false,
    tlsSkipVerify: c.tlsSkipVerify ?? false,
    tlsServerName: c.tlsServerName ?? '',
    expose: c.expose ?? false,
    notes: c.notes ?? '',
    onUpdate: onUpdate ?? 'require_healthy',
    ...(restart ? { checkRestart: restart } : {}),
  };
  return { check, problems };
}

/** Nomad's CheckRestart.Merge: the check's own fields over the service's. */
function mergeCheckRestart(service: CheckRestartInput | undefined, check: CheckRestartInput | undefined): CheckRestartSpec | undefined {
  if (!service && !check) return undefined;
  return {
    limit: check?.limit || service?.limit || 0,
    graceMs: check?.graceMs ?? service?.graceMs ?? 1_000,
    ignoreWarnings: (check?.ignoreWarnings ?? false) || (service?.ignoreWarnings ?? false),
  };
}

/** Nomad's RFC 1123 rule for service names, with `${...}` standing in as a valid label. */
export function serviceNameProblem(name: string): string | undefined {
  const stripped = name.replace(/\$\{[^}]*\}/g, 'ENV-VAR');
  if (/^(?!-)[a-zA-Z0-9-]{1,63}(?<!-)$/.test(stripped)) return undefined;
  return `Service name must be valid per RFC 1123 and can contain only alphanumeric characters or dashes and must be no longer than 63 characters: ${JSON.stringify(name)}`;
}

/** What the group-level rules need to know about the group. */
export interface GroupServiceContext {
  readonly group: string;
  readonly taskNames: readonly string[];
  /** Port labels of the group's network (and tasks' deprecated networks). */
  readonly portLabels: ReadonlySet<string>;
}

/** A problem of one service (`service` index) in a group's or task's list. */
export interface ServiceListProblem extends ServiceProblem {
  readonly service: number;
}

/** Nomad's rules across a group's services: checks' tasks exist, script checks name a task, labels exist, no duplicates, one provider. */
export function groupServiceProblems(services: readonly ServiceSpec[], ctx: GroupServiceContext): ServiceListProblem[] {
  const out: ServiceListProblem[] = [];
  services.forEach((s, i) => {
    if (s.addressMode === 'driver') {
      out.push({ service: i, field: 'addressMode', message: `service "${s.name}" cannot use address_mode="driver", only services defined in a "task" block can use this mode` });
    }
    if (s.taskName !== '' && !ctx.taskNames.includes(s.taskName)) out.push({ service: i, field: 'taskName', message: `Service ${s.name} invalid: refers to non-existent task ${s.taskName}` });
    s.checks.forEach((c, j) => {
      if (c.taskName !== '' && !ctx.taskNames.includes(c.taskName)) {
        out.push({ service: i, check: j, field: 'taskName', message: `Check ${c.name} invalid: refers to non-existent task ${c.taskName}` });
      }
      if (c.type === 'script' && c.taskName === '') {
        out.push({ service: i, check: j, field: 'taskName', message: `Service [${ctx.group}]->${s.name} or Check ${c.name} must specify task parameter` });
      }
    });
    out.push(...labelProblems(s, i, ctx.portLabels));
  });
  return out;
}

/** Nomad's validateServices for one task's services. */
export function taskServiceProblems(services: readonly ServiceSpec[], task: string, portLabels: ReadonlySet<string>): ServiceListProblem[] {
  const out: ServiceListProblem[] = [];
  const seen = new Set<string>();
  services.forEach((s, i) => {
    if (s.addressMode === 'alloc') {
      out.push({ service: i, field: 'addressMode', message: `service "${s.name}" cannot use address_mode="alloc", only services defined in a "group" block can use this mode` });
    }
    if (s.taskName !== task) out.push({ service: i, field: 'taskName', message: `Service ${s.name} is invalid: may only specify task the service belongs to, got "${s.taskName}"` });
    if (seen.has(`${s.name}\0${s.portLabel}`)) out.push({ service: i, field: 'name', message: `service "${s.name}" is duplicate` });
    seen.add(`${s.name}\0${s.portLabel}`);
    const checkNames = new Set<string>();
    s.checks.forEach((c, j) => {
      if (checkNames.has(c.name)) out.push({ service: i, check: j, field: 'name', message: `check "${c.name}" is duplicate` });
      checkNames.add(c.name);
      if (c.taskName !== task) out.push({ service: i, check: j, field: 'taskName', message: `Check ${c.name} is invalid: may only specify task the check belongs to, got "${c.taskName}"` });
      if (c.addressMode === 'alloc') {
        out.push({ service: i, check: j, field: 'addressMode', message: `check "${c.name}" cannot use address_mode="alloc", only checks defined in a "group" service block can use this mode` });
      }
    });
    out.push(...labelProblems(s, i, portLabels));
  });
  return out;
}

/**
 * Services must be unique per (name, task, port) across a group. Nomad also
 * wants one provider per group, but there an unset provider means Consul; in
 * drover it means the agent's own, so a group mixing unset and "consul" (valid
 * for Nomad) must not be refused: the provider rule is left out.
 */
export function uniqueServiceProblem(all: readonly { readonly service: ServiceSpec; readonly task: string }[]): string | undefined {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const { service: s, task } of all) {
    const key = `${task}->${s.name}${s.portLabel === '' ? '' : `:${s.portLabel}`}`;
    if (seen.has(key) && !dups.includes(key)) dups.push(key);
    seen.add(key);
  }
  return dups.length > 0 ? `Services are not unique: ${dups.join(', ')}` : undefined;
}

/** A port label the service or its checks use must exist in the group's network (numbers are literal ports). */
function labelProblems(s: ServiceSpec, i: number, labels: ReadonlySet<string>): ServiceListProblem[] {
  const out: ServiceListProblem[] = [];
  // A number is a literal port; "${NOMAD_PORT_x}" is resolved when the service registers.
  const missing = (label: string): boolean => label !== '' && !/^\d+$/.test(label) && !label.includes('${') && !labels.has(label);
  if (missing(s.portLabel)) out.push({ service: i, field: 'portLabel', message: `port label "${s.portLabel}" referenced by services ${s.name} does not exist` });
  s.checks.forEach((c, j) => {
    if (c.portLabel !== s.portLabel && missing(c.portLabel)) {
      out.push({ service: i, check: j, field: 'portLabel', message: `port label "${c.portLabel}" referenced by check ${c.name} of service ${s.name} does not exist` });
    }
  });
  return out;
}

function pick<T extends string>(value: string, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

/** Nomad's Service.Canonicalize: ${JOB}, ${TASKGROUP}, ${TASK} and ${BASE} in a service name. */
function substituteNames(name: string, vars: Readonly<Record<string, string>>): string {
  return name.replace(/\$\{(JOB|TASKGROUP|TASK|BASE)\}/g, (_, k: string) => vars[k] ?? '');
}
