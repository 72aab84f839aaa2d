/**
 * The constraint filters of Nomad's scheduler stack (job constraints, then the
 * group's and its tasks'), run for each group a registration places. drover
 * has one node and no evaluations yet: a group this node cannot take is
 * refused at registration, naming the constraint as Nomad's placement failure
 * does ("Constraint "${attr.kernel.name} = windows": 1 nodes excluded by filter")
 * and saying what the node has, instead of being left unplaced. Nothing is
 * stored or started for a refused registration.
 */
import { constraintString, firstFailedConstraint, groupConstraints, resolveTarget, ValidationError, type Constraint, type ConstraintNode, type FieldProblem, type Job } from '../../model/index.js';

/** Problems for each placed group whose constraints this node fails (job constraints are reported once). */
export function constraintProblems(job: Job, placements: readonly { readonly group: string }[], nodeOf: () => ConstraintNode): FieldProblem[] {
  const groups = [...new Set(placements.map((p) => p.group))];
  if (groups.length === 0) return [];
  // Most jobs have no constraints: the node's facts are gathered only for those that do.
  const constrained = (job.constraints?.length ?? 0) > 0 || groups.some((name) => groupConstraints(job.groups.find((g) => g.name === name) ?? { tasks: [] }).length > 0);
  if (!constrained) return [];
  const node = nodeOf();
  const jobFailure = firstFailedConstraint(job.constraints ?? [], node);
  if (jobFailure) return [{ field: `job.${job.id}.constraint`, message: describe(jobFailure.message, job.constraints ?? [], jobFailure.key, node, `job "${job.id}"`) }];
  const out: FieldProblem[] = [];
  for (const name of groups) {
    const group = job.groups.find((g) => g.name === name);
    if (!group) continue;
    const cs = groupConstraints(group);
    const failed = firstFailedConstraint(cs, node);
    if (failed) out.push({ field: `job.${job.id}.group.${name}.constraint`, message: describe(failed.message, cs, failed.key, node, `group "${name}"`) });
  }
  return out;
}

/** Throws a ValidationError listing each group this node cannot take. */
export function checkConstraints(job: Job, placements: readonly { readonly group: string }[], nodeOf: () => ConstraintNode): void {
  const problems = constraintProblems(job, placements, nodeOf);
  if (problems.length > 0) throw new ValidationError(problems);
}

/** Nomad's text, then what this node has for the attribute (the first thing a user asks). */
function describe(message: string, cs: readonly Constraint[], key: string, node: ConstraintNode, what: string): string {
  const c = cs.find((x) => constraintString(x) === key);
  if (!c || !c.lTarget.startsWith('${')) return `${message} (${what} cannot be placed on this node)`;
  const got = resolveTarget(c.lTarget, node);
  return `${message} (${what} cannot be placed on this node: ${c.lTarget} is ${got.found ? JSON.stringify(got.value) : 'not set'})`;
}
