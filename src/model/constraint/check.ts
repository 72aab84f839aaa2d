/**
 * Whether a node satisfies placement constraints, with the semantics of
 * Nomad's scheduler (scheduler/feasible/feasible.go: resolveTarget,
 * checkConstraint, and the distinct_hosts / distinct_property iterators),
 * for one node. Pure: the caller passes the node and the allocations already
 * placed.
 */
import { constraintString, type Constraint } from './constraint.js';
import { parseGoVersion, parseSemverConstraint, parseVersionConstraint, type Parsed, type VersionTerm } from './go-version.js';
import { compileGoRegexp } from './go-regexp.js';

/** What a constraint can read about a node (structs.Node's fields resolveTarget looks at). */
export interface ConstraintNode {
  readonly id: string;
  readonly name: string;
  readonly datacenter: string;
  readonly nodeClass: string;
  readonly nodePool: string;
  /** Fingerprinted attributes, driver ones included ("driver.raw_exec" = "1"). */
  readonly attributes: Readonly<Record<string, string>>;
  readonly meta: Readonly<Record<string, string>>;
}

/** A resolved target: unknown attributes and meta keys are not found (and read as ""). */
export interface ResolvedTarget {
  readonly value: string;
  readonly found: boolean;
}

/** resolveTarget: a literal unless it starts with "${"; `${driver.*}` and `${device.*}` are never found here, as in Nomad. */
export function resolveTarget(target: string, node: ConstraintNode): ResolvedTarget {
  if (!target.startsWith('${')) return { value: target, found: true };
  switch (target) {
    case '${node.unique.id}': return { value: node.id, found: true };
    case '${node.datacenter}': return { value: node.datacenter, found: true };
    case '${node.unique.name}': return { value: node.name, found: true };
    case '${node.class}': return { value: node.nodeClass, found: true };
    case '${node.pool}': return { value: node.nodePool, found: true };
  }
  for (const [prefix, map] of [['${attr.', node.attributes], ['${meta.', node.meta]] as const) {
    if (target.startsWith(prefix)) {
      // TrimSuffix: a missing "}" leaves the key as written.
      const key = target.slice(prefix.length, target.endsWith('}') ? -1 : undefined);
      const value = Object.hasOwn(map, key) ? map[key] : undefined;
      return value === undefined ? { value: '', found: false } : { value, found: true };
    }
  }
  return { value: '', found: false };
}

/** Whether one constraint holds on the node (meetsConstraint); distinct_* always hold here (see {@link distinctLimits}). */
export function meetsConstraint(c: Constraint, node: ConstraintNode): boolean {
  const l = resolveTarget(c.lTarget, node);
  const r = resolveTarget(c.rTarget, node);
  return checkOperand(c.operand, l, r);
}

/** checkConstraint for resolved values. */
export function checkOperand(operand: string, l: ResolvedTarget, r: ResolvedTarget): boolean {
  const both = l.found && r.found;
  switch (operand) {
    case 'distinct_hosts':
    case 'distinct_property':
      return true;
    case '=': case '==': case 'is':
      return both && l.value === r.value;
    case '!=': case 'not':
      // Not-found values read as "", so `${attr.missing} != x` holds.
      return l.value !== r.value;
    case '<': case '<=': case '>': case '>=':
      return both && checkOrder(operand, l.value, r.value);
    case 'is_set':
      return l.found;
    case 'is_not_set':
      return !l.found;
    case 'version':
      return both && versionMatch(parseVersionConstraint, l.value, r.value);
    case 'semver':
      return both && versionMatch(parseSemverConstraint, l.value, r.value);
    case 'regexp': {
      const re = compileGoRegexp(r.value);
      return both && re.ok && re.re.test(l.value);
    }
    case 'set_contains':
    case 'set_contains_all': {
      const have = new Set(l.value.split(',').map((s) => s.trim()));
      return both && r.value.split(',').every((s) => have.has(s.trim()));
    }
    case 'set_contains_any': {
      const have = new Set(l.value.split(',').map((s) => s.trim()));
      return both && r.value.split(',').some((s) => have.has(s.trim()));
    }
    default:
      return false;
  }
}

/** checkOrder: as int64 when both parse, else as float64, else lexically (byte order). */
function checkOrder(op: string, l: string, r: string): boolean {
  const li = goParseInt(l);
  const ri = goParseInt(r);
  if (li !== undefined && ri !== undefined) return compare(op, li, ri);
  const lf = goParseFloat(l);
  const rf = goParseFloat(r);
  if (lf !== undefined && rf !== undefined) return compare(op, lf, rf);
  return compare(op, compareBytes(l, r), 0);
}

/** Go compares strings bytewise; UTF-8 byte order is code point order (JS `<` compares UTF-16 units). */
function compareBytes(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function compare<T extends number | bigint>(op: string, a: T, b: T): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    default: return false;
  }
}

/** strconv.ParseInt(s, 10, 64). */
function goParseInt(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n ? n : undefined;
}

/** strconv.ParseFloat(s, 64) for the decimal, hex-float-free forms plus Inf/NaN; out-of-range values fail as in Go. */
function goParseFloat(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  const t = s.replaceAll('_', '');
  // Go accepts underscores only between digits with a base prefix; plain decimals take none.
  if (t !== s) return undefined;
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** checkVersionMatch: the node's value parses leniently (go-version NewVersion) for both operators. */
function versionMatch(parse: (s: string) => Parsed<VersionTerm[]>, l: string, r: string): boolean {
  const v = parseGoVersion(l);
  if (!v.ok) return false;
  const terms = parse(r);
  return terms.ok && terms.value.every((t) => t.check(v.value));
}


/** What the scheduler reports for a filtered node: the AllocMetric.ConstraintFiltered key and the CLI's line. */
export interface ConstraintFailure {
  /** Constraint.String(), "distinct_hosts", "distinct_property: …" or `missing property "…"`. */
  readonly key: string;
  /** command/monitor.go formatAllocMetrics: `Constraint "KEY": 1 nodes excluded by filter`. */
  readonly message: string;
}

/** The line `nomad job run` / `job status` prints for a ConstraintFiltered entry. */
export function constraintFilteredText(key: string, nodes = 1): string {
  return `Constraint ${JSON.stringify(key)}: ${nodes} nodes excluded by filter`;
}

function failure(key: string): ConstraintFailure {
  return { key, message: constraintFilteredText(key) };
}

interface HasConstraints {
  readonly constraints?: readonly Constraint[];
}

/**
 * The group's constraints and its tasks' (Nomad's taskGroupConstraint checker).
 * Nomad's stack checks, in order: the job's constraints, the group's drivers
 * ("missing drivers"), these, devices, networks, host volumes, then
 * distinct_hosts and distinct_property; the first failure is the reason.
 */
export function groupConstraints(group: HasConstraints & { readonly tasks: readonly HasConstraints[] }): Constraint[] {
  return [...(group.constraints ?? []), ...group.tasks.flatMap((t) => t.constraints ?? [])];
}

/** The job's constraints, then {@link groupConstraints} (for callers with no driver check in between). */
export function placementConstraints(job: HasConstraints, group: HasConstraints & { readonly tasks: readonly HasConstraints[] }): Constraint[] {
  return [...(job.constraints ?? []), ...groupConstraints(group)];
}

/** The first constraint the node fails, as the scheduler reports it; undefined when the node is feasible. */
export function firstFailedConstraint(constraints: readonly Constraint[], node: ConstraintNode): ConstraintFailure | undefined {
  const c = constraints.find((x) => !meetsConstraint(x, node));
  return c && failure(constraintString(c));
}

/** distinct_hosts / distinct_property in force for one group (job-level ones span the whole job). */
export interface DistinctLimits {
  /** At most one allocation of the job on a node (job-level distinct_hosts). */
  readonly jobHosts: boolean;
  /** At most one allocation of this group on a node (group-level distinct_hosts). */
  readonly groupHosts: boolean;
  /** Each allows `allowed` allocations per value of `property` (all allocations on one node share its value). */
  readonly properties: readonly DistinctProperty[];
}

export interface DistinctProperty {
  readonly scope: 'job' | 'group';
  /** The LTarget, e.g. "${meta.rack}". */
  readonly property: string;
  readonly allowed: number;
}

/**
 * Reads the distinct_* constraints of a job and group, with Nomad's defaults
 * (distinct_hosts true unless RTarget parses as false; count 1). System and
 * sysbatch jobs place one allocation per node anyway: Nomad's system stack has
 * no distinct_hosts iterator, so it is off for them (distinct_property holds).
 */
export function distinctLimits(job: HasConstraints & { readonly type?: string }, group: HasConstraints): DistinctLimits {
  const system = job.type === 'system' || job.type === 'sysbatch';
  const properties = (scope: 'job' | 'group', cs: readonly Constraint[] | undefined): DistinctProperty[] =>
    (cs ?? []).filter((c) => c.operand === 'distinct_property').map((c) => ({ scope, property: c.lTarget, allowed: c.rTarget === '' ? 1 : Number(c.rTarget) }));
  return {
    jobHosts: !system && hasDistinctHosts(job.constraints),
    groupHosts: !system && hasDistinctHosts(group.constraints),
    properties: [...properties('job', job.constraints), ...properties('group', group.constraints)],
  };
}

/** hasDistinctHostsConstraint: only the first distinct_hosts counts; an unparsable value enforces it. */
function hasDistinctHosts(cs: readonly Constraint[] | undefined): boolean {
  const c = cs?.find((x) => x.operand === 'distinct_hosts');
  if (!c) return false;
  const b = goParseBool(c.rTarget);
  return c.rTarget === '' || b === undefined || b;
}

/** strconv.ParseBool. */
function goParseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** Live allocations (placed or proposed, not terminal or being stopped) already on this node. */
export interface PlacedCounts {
  /** Of the whole job (same namespace and ID). */
  readonly job: number;
  /** Of this job's group. */
  readonly group: number;
}

/**
 * Whether one more allocation of the group may go on this node under its
 * distinct_* limits (DistinctHostsIterator, then DistinctPropertyIterator),
 * with the filter reason Nomad records when not.
 */
export function distinctFailure(limits: DistinctLimits, node: ConstraintNode, placed: PlacedCounts): ConstraintFailure | undefined {
  if ((limits.jobHosts && placed.job > 0) || (limits.groupHosts && placed.group > 0)) return failure('distinct_hosts');
  for (const p of limits.properties) {
    const v = resolveTarget(p.property, node);
    if (p.property === '' || !v.found) return failure(`missing property ${JSON.stringify(p.property)}`);
    const used = p.scope === 'job' ? placed.job : placed.group;
    if (used >= p.allowed) return failure(`distinct_property: ${p.property}=${v.value} used by ${used} allocs`);
  }
  return undefined;
}
