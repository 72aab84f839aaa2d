/**
 * Job, TaskGroup and Task `Constraints` in Nomad's api JSON → Constraint, with
 * the checks the HCL decoder applies (model/constraint), reported at the
 * JSON field. The API takes the operand as written: no jobspec2 shorthands
 * and no "=" default (an empty Operand is "Missing constraint operand").
 */
import { constraintProblems, type Constraint, type ConstraintLevel, type ConstraintProblem } from '../../model/index.js';
import type { JsonFields, JsonReader } from './json-reader.js';

const CONSTRAINT: JsonFields = { decoded: ['LTarget', 'RTarget', 'Operand'] };

const JSON_FIELD: Readonly<Record<ConstraintProblem['field'], string>> = { attribute: 'LTarget', operator: 'Operand', value: 'RTarget' };

/** The parent's Constraints list (empty when absent or null). */
export function decodeApiConstraints(parent: JsonReader, level: ConstraintLevel): Constraint[] {
  return parent.list('Constraints', CONSTRAINT).map((r, i) => {
    const c: Constraint = { lTarget: r.string('LTarget') ?? '', operand: r.string('Operand') ?? '', rTarget: r.string('RTarget') ?? '' };
    for (const p of constraintProblems(c, i, level)) r.problems.error(r.field(JSON_FIELD[p.field]), p.message);
    return c;
  });
}
