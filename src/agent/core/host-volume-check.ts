/**
 * The check Nomad's scheduler makes before placing a group with host
 * volumes (feasible.HostVolumeChecker, "missing compatible host volumes"):
 * drover has one node, so a job asking for a host volume it lacks is
 * refused when it is registered, naming the volume, instead of left pending.
 */
import { ValidationError, hostVolumeSource, type FieldProblem, type HostVolumeConfig, type Job } from '../../model/index.js';

/** Problems for each placement whose group names a host volume this node does not have. */
export function hostVolumeProblems(
  job: Job,
  placements: readonly { readonly group: string; readonly index: number }[],
  node: Readonly<Record<string, HostVolumeConfig>>,
): FieldProblem[] {
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  const have = Object.keys(node).sort();
  for (const p of placements) {
    const group = job.groups.find((g) => g.name === p.group);
    for (const v of group?.volumes ?? []) {
      if (v.type !== 'host') continue;
      const source = hostVolumeSource(v, p.index);
      const field = `job.${job.id}.group.${p.group}.volume.${v.name}.source`;
      if (node[source] !== undefined || seen.has(`${field}\0${source}`)) continue;
      seen.add(`${field}\0${source}`);
      out.push({
        field,
        message: `Constraint "missing compatible host volumes": group "${p.group}" volume "${v.name}" needs host volume "${source}", which this node does not have (${have.length === 0 ? 'it has no host_volume blocks' : `it has: ${have.join(', ')}`})`,
      });
    }
  }
  return out;
}

/** Throws a ValidationError listing every missing host volume. */
export function checkHostVolumes(job: Job, placements: readonly { readonly group: string; readonly index: number }[], node: Readonly<Record<string, HostVolumeConfig>>): void {
  const problems = hostVolumeProblems(job, placements, node);
  if (problems.length > 0) throw new ValidationError(problems);
}
