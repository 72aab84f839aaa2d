/**
 * A field-by-field diff of two job versions' JSON (what Nomad's JobDiff says:
 * fields added, deleted or edited), computed in the browser from
 * GET /v1/job/:id/versions. Task groups and tasks are matched by name, not
 * position, so a reordered group is not reported as changed; server-managed
 * fields (indexes, version, status, submit time) are left out, as Nomad's
 * Job.Diff leaves them out.
 */
import type { ApiJob } from '../../../src/model/nomad-api/index';

export type DiffType = 'Added' | 'Deleted' | 'Edited';

/** One changed field: its path inside its section, and the values on either side (JSON text). */
export interface FieldDiff {
  readonly type: DiffType;
  readonly name: string;
  readonly old?: string;
  readonly new?: string;
}

/** The job itself, a task group or a task, with its changed fields. */
export interface SectionDiff {
  /** "Job", `Task Group "web"` or `Task "web/server"`. */
  readonly title: string;
  /** Added or Deleted when the whole group or task is; Edited otherwise. */
  readonly type: DiffType;
  readonly fields: readonly FieldDiff[];
}

const IGNORED = new Set(['Version', 'SubmitTime', 'CreateIndex', 'ModifyIndex', 'JobModifyIndex', 'Status', 'StatusDescription', 'Stable', 'Stop', 'VersionTag']);

/** The sections that differ between `a` (older) and `b` (newer); empty when they are the same. */
export function diffJobs(a: ApiJob, b: ApiJob): SectionDiff[] {
  const sections: SectionDiff[] = [];
  const top = (j: ApiJob) => Object.fromEntries(Object.entries(j).filter(([k]) => k !== 'TaskGroups' && !IGNORED.has(k)));
  const jobFields = diffValues(top(a), top(b));
  if (jobFields.length > 0) sections.push({ title: 'Job', type: 'Edited', fields: jobFields });
  const groups = pairByName(a.TaskGroups ?? [], b.TaskGroups ?? []);
  for (const [name, ga, gb] of groups) {
    const withoutTasks = (g: object | undefined) => (g ? Object.fromEntries(Object.entries(g).filter(([k]) => k !== 'Tasks')) : undefined);
    const type: DiffType = ga === undefined ? 'Added' : gb === undefined ? 'Deleted' : 'Edited';
    const fields = diffValues(withoutTasks(ga), withoutTasks(gb));
    if (fields.length > 0) sections.push({ title: `Task Group ${JSON.stringify(name)}`, type, fields });
    for (const [task, ta, tb] of pairByName(tasksOf(ga), tasksOf(gb))) {
      const tf = diffValues(ta, tb);
      if (tf.length > 0) sections.push({ title: `Task ${JSON.stringify(`${name}/${task}`)}`, type: ta === undefined ? 'Added' : tb === undefined ? 'Deleted' : 'Edited', fields: tf });
    }
  }
  return sections;
}

function tasksOf(g: object | undefined): object[] {
  const tasks = (g as { Tasks?: unknown } | undefined)?.Tasks;
  return Array.isArray(tasks) ? (tasks as object[]) : [];
}

/** Items of two lists matched by their Name, in the newer list's order, then the deleted ones. */
function pairByName(a: readonly object[], b: readonly object[]): [string, object | undefined, object | undefined][] {
  const name = (o: object, i: number) => {
    const n = (o as { Name?: unknown }).Name;
    return typeof n === 'string' ? n : `#${i}`;
  };
  const older = new Map(a.map((o, i) => [name(o, i), o]));
  const out: [string, object | undefined, object | undefined][] = b.map((o, i) => [name(o, i), older.get(name(o, i)), o]);
  const seen = new Set(out.map(([n]) => n));
  a.forEach((o, i) => {
    if (!seen.has(name(o, i))) out.push([name(o, i), o, undefined]);
  });
  return out;
}

/** The changed leaves of two values, by path ("Meta[owner]", "Services[0].Port"). */
export function diffValues(a: unknown, b: unknown): FieldDiff[] {
  const fa = flatten(a);
  const fb = flatten(b);
  const out: FieldDiff[] = [];
  for (const [k, v] of fb) {
    const old = fa.get(k);
    if (old === undefined) out.push({ type: 'Added', name: k, new: v });
    else if (old !== v) out.push({ type: 'Edited', name: k, old, new: v });
  }
  for (const [k, v] of fa) if (!fb.has(k)) out.push({ type: 'Deleted', name: k, old: v });
  return out.sort((x, y) => x.name.localeCompare(y.name));
}

/** Leaves of a JSON value as path → JSON text; null, empty lists and empty objects count as absent. */
export function flatten(v: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (v === null || v === undefined) return out;
  if (Array.isArray(v)) {
    if (v.length === 0) return out;
    // Lists of plain values are one field ("Datacenters"); lists of objects, one entry per item.
    if (v.every((x) => x === null || typeof x !== 'object')) {
      out.set(path, JSON.stringify(v));
      return out;
    }
    v.forEach((x, i) => {
      const key = x && typeof x === 'object' && typeof (x as { Name?: unknown }).Name === 'string' && (x as { Name: string }).Name !== '' ? (x as { Name: string }).Name : String(i);
      flatten(x, `${path}[${key}]`, out);
    });
    return out;
  }
  if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      // Map keys (Meta, Env, Config…) may hold dots: brackets keep them readable.
      const isMap = /(^|\.)(Meta|Env|Config|Variables)$/.test(path);
      flatten(x, path === '' ? k : isMap ? `${path}[${k}]` : `${path}.${k}`, out);
    }
    return out;
  }
  out.set(path, JSON.stringify(v));
  return out;
}
