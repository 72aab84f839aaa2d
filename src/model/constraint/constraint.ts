/**
 * Nomad's placement constraint (structs.Constraint / api.Constraint) and its
 * checks (Constraint.Validate, validateConstraintAttribute, and the task-level
 * ban on distinct_* from Task.Validate), shared by the HCL and JSON decoders.
 */
import { parseSemverConstraint, parseVersionConstraint } from './go-version.js';
import { compileGoRegexp } from './go-regexp.js';

/** constraint { attribute operator value } (api.Constraint LTarget / Operand / RTarget). */
export interface Constraint {
  readonly lTarget: string;
  readonly operand: string;
  readonly rTarget: string;
}

/** Nomad's operand names. */
export const ConstraintOperand = {
  distinctProperty: 'distinct_property',
  distinctHosts: 'distinct_hosts',
  regexp: 'regexp',
  version: 'version',
  semver: 'semver',
  setContains: 'set_contains',
  setContainsAll: 'set_contains_all',
  setContainsAny: 'set_contains_any',
  isSet: 'is_set',
  isNotSet: 'is_not_set',
} as const;

/** Constraint.String(): "LTarget Operand RTarget", the key of AllocMetric.ConstraintFiltered. */
export function constraintString(c: Constraint): string {
  return `${c.lTarget} ${c.operand} ${c.rTarget}`;
}

/** Where a constraint sits; tasks may not use distinct_hosts / distinct_property. */
export type ConstraintLevel = 'job' | 'group' | 'task';

/** A problem with one constraint; field is the HCL attribute it concerns. */
export interface ConstraintProblem {
  readonly field: 'attribute' | 'operator' | 'value';
  readonly message: string;
}

const EXACT_TARGETS = ['${node.unique.id}', '${node.datacenter}', '${node.unique.name}', '${node.class}', '${node.pool}'];
const PREFIX_TARGETS = ['${attr.', '${device.', '${meta.'];

/**
 * Constraint.Validate (plus Task.Validate's level rule), each message prefixed
 * as Nomad's Job/TaskGroup/Task.Validate does: "Constraint 1 validation failed: …".
 */
export function constraintProblems(c: Constraint, index: number, level: ConstraintLevel): ConstraintProblem[] {
  const out: ConstraintProblem[] = [];
  const add = (field: ConstraintProblem['field'], message: string): void => {
    out.push({ field, message: `Constraint ${index + 1} validation failed: ${message}` });
  };
  if (c.operand === '') add('operator', 'Missing constraint operand');
  let requireLTarget = true;
  switch (c.operand) {
    case 'distinct_hosts':
      requireLTarget = false;
      break;
    case 'set_contains':
    case 'set_contains_all':
    case 'set_contains_any':
      if (c.rTarget === '') add('value', 'Set contains constraint requires an RTarget');
      break;
    case 'regexp': {
      const re = compileGoRegexp(c.rTarget);
      if (!re.ok) add('value', `Regular expression failed to compile: ${re.error}`);
      break;
    }
    case 'version': {
      const v = parseVersionConstraint(c.rTarget);
      if (!v.ok) add('value', `Version constraint is invalid: ${v.error}`);
      break;
    }
    case 'semver': {
      const v = parseSemverConstraint(c.rTarget);
      if (!v.ok) add('value', `Semver constraint is invalid: ${v.error}`);
      break;
    }
    case 'distinct_property':
      if (c.rTarget !== '') {
        if (!/^[0-9]+$/.test(c.rTarget) || BigInt(c.rTarget) > 2n ** 64n - 1n) {
          add('value', `Failed to convert RTarget ${JSON.stringify(c.rTarget)} to uint64: ${parseUintError(c.rTarget)}`);
        } else if (BigInt(c.rTarget) < 1n) {
          add('value', `Distinct Property must have an allowed count of 1 or greater: ${BigInt(c.rTarget)} < 1`);
        }
      }
      break;
    case 'is_set':
    case 'is_not_set':
      if (c.rTarget !== '') add('value', `Operator ${JSON.stringify(c.operand)} does not support an RTarget`);
      break;
    case '=': case '==': case 'is': case '!=': case 'not': case '<': case '<=': case '>': case '>=':
      if (c.rTarget === '') add('value', `Operator ${JSON.stringify(c.operand)} requires an RTarget`);
      break;
    default:
      // Nomad reports an empty operand twice (missing, then unknown type ""), so does drover.
      add('operator', `Unknown constraint type ${JSON.stringify(c.operand)}`);
  }
  if (requireLTarget) {
    if (c.lTarget === '') add('attribute', 'no attribute provided but is required by operator');
    else {
      const problem = attributeProblem(c.lTarget);
      if (problem) add('attribute', problem);
    }
  }
  if (level === 'task' && (c.operand === 'distinct_hosts' || c.operand === 'distinct_property')) {
    out.push({ field: 'operator', message: `Constraint ${index + 1} has disallowed Operand at task level: ${c.operand}` });
  }
  return out;
}

/** validateConstraintAttribute: a literal, or one of the interpolations the scheduler resolves. */
function attributeProblem(target: string): string | undefined {
  if (!target.startsWith('$')) return undefined;
  if (!target.startsWith('${')) return `attribute ${JSON.stringify(target)} is missing an opening brace`;
  if (!target.endsWith('}')) return `attribute ${JSON.stringify(target)} is missing a closing brace`;
  if (EXACT_TARGETS.includes(target) || PREFIX_TARGETS.some((p) => target.startsWith(p))) return undefined;
  return `unsupported attribute ${JSON.stringify(target)}`;
}

/** strconv.ParseUint's error text. */
function parseUintError(s: string): string {
  const kind = /^[0-9]+$/.test(s) ? 'value out of range' : 'invalid syntax';
  return `strconv.ParseUint: parsing ${JSON.stringify(s)}: ${kind}`;
}
