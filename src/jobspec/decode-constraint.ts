/**
 * constraint { } at job, group and task level → Constraint, as jobspec2's
 * decodeConstraint does (shorthands such as `version = "> 1.0"` or
 * `distinct_hosts = true` set operator and value; the operator defaults to
 * "="), then checked with Nomad's Constraint.Validate at the field and line.
 */
import { constraintProblems, type Constraint, type ConstraintLevel } from '../model/index.js';
import { BodyReader } from '../hcl/index.js';
import { CONSTRAINT_NAMES } from './names.js';

/** Shorthands that set the operator to their own name and the value to theirs, applied in jobspec2's order. */
const VALUE_SHORTHANDS = ['version', 'semver', 'regexp', 'set_contains'] as const;

/** The constraint blocks of one job, group or task body (empty when none). */
export function decodeConstraints(parent: BodyReader, level: ConstraintLevel): Constraint[] {
  return parent.blocks('constraint').map((b, i) => {
    const r = new BodyReader(parent.report, b.path, b.body, CONSTRAINT_NAMES, 'constraint');
    // Where each part came from, so a problem points at what was written.
    const from = { attribute: 'attribute', operator: 'operator', value: 'value' };
    let lTarget = r.string('attribute') ?? '';
    let rTarget = r.string('value') ?? '';
    let operand = r.string('operator') ?? '';
    for (const key of VALUE_SHORTHANDS) {
      const v = r.string(key) ?? '';
      if (v === '') continue;
      operand = key;
      rTarget = v;
      from.operator = key;
      from.value = key;
    }
    const hosts = r.bool('distinct_hosts');
    if (hosts !== undefined) {
      operand = 'distinct_hosts';
      rTarget = String(hosts);
      from.operator = 'distinct_hosts';
      from.value = 'distinct_hosts';
    }
    const property = r.string('distinct_property') ?? '';
    if (property !== '') {
      operand = 'distinct_property';
      lTarget = property;
      from.operator = 'distinct_property';
      from.attribute = 'distinct_property';
    }
    if (operand === '') operand = '=';
    const c: Constraint = { lTarget, operand, rTarget };
    for (const p of constraintProblems(c, i, level)) parent.report.error(problemAt(r, b.path, from[p.field]), p.message);
    return c;
  });
}

function problemAt(r: BodyReader, blockPath: string, key: string): string {
  return r.has(key) ? r.field(key) : blockPath;
}
