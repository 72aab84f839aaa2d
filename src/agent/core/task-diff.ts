/**
 * Whether a job change needs new allocations (Nomad's scheduler tasksUpdated):
 * a destructive change replaces the group's allocations; anything else is
 * applied in place to the running tasks through their Update hooks.
 */
import type { Job, Task, TaskGroup } from '../../model/job.js';
import { DEFAULT_DISK_MB } from '../../model/job-rules.js';

/** Why a group's update is destructive, or undefined when it can be done in place. */
export function destructiveChange(oldJob: Job, newJob: Job, groupName: string): string | undefined {
  const a = oldJob.groups.find((g) => g.name === groupName);
  const b = newJob.groups.find((g) => g.name === groupName);
  if (!a || !b) return 'task group added or removed';
  if (a.tasks.length !== b.tasks.length) return 'number of tasks';
  if ((a.restart.renderTemplates ?? false) !== (b.restart.renderTemplates ?? false)) return 'group restart render_templates';
  // Nomad's tasksUpdated compares the whole EphemeralDisk (size, sticky, migrate): any change replaces allocations.
  if (!deepEqual(ephemeralDisk(a), ephemeralDisk(b))) return 'ephemeral disk';
  // Nomad's networkUpdated: ports are given at placement, so a changed network block needs new allocations.
  if (!deepEqual(a.networks, b.networks)) return 'network';
  // Nomad's tasksUpdated: volumes are mounted when the task starts, so a changed one needs new allocations.
  if (!deepEqual(a.volumes ?? [], b.volumes ?? [])) return 'volumes';
  for (const at of a.tasks) {
    const bt = b.tasks.find((t) => t.name === at.name);
    if (!bt) return `task deleted: ${at.name}`;
    const why = taskChange(oldJob, a, at, newJob, b, bt);
    if (why) return `task "${at.name}": ${why}`;
  }
  return undefined;
}

/** A group's ephemeral disk with Nomad's defaults, for comparison. */
function ephemeralDisk(g: TaskGroup): { size: number; sticky: boolean; migrate: boolean } {
  return { size: g.ephemeralDiskMb ?? DEFAULT_DISK_MB, sticky: g.ephemeralDiskSticky ?? false, migrate: g.ephemeralDiskMigrate ?? false };
}

function taskChange(jobA: Job, ga: TaskGroup, a: Task, jobB: Job, gb: TaskGroup, b: Task): string | undefined {
  if (a.driver !== b.driver) return 'driver';
  if (a.user !== b.user) return 'user';
  if (!deepEqual(a.config, b.config)) return 'config';
  if (!deepEqual(a.env, b.env)) return 'env';
  if (!deepEqual(a.artifacts, b.artifacts)) return 'artifacts';
  // Nomad's tasksUpdated: a changed template block replaces the allocation (the running manager keeps the old ones).
  if (!deepEqual(a.templates, b.templates)) return 'templates';
  // Nomad compares job + group + task meta combined: meta feeds NOMAD_META_* in the task's env.
  if (!deepEqual({ ...jobA.meta, ...ga.meta, ...a.meta }, { ...jobB.meta, ...gb.meta, ...b.meta })) return 'meta';
  if (!deepEqual(a.resources, b.resources)) return 'resources';
  if (!deepEqual(a.networks, b.networks)) return 'network resources';
  if (a.logs.disabled !== b.logs.disabled) return 'logs disabled';
  // Nomad: the identities a task is given are fixed when it is placed (scheduler tasksUpdated).
  if (!deepEqual(a.identity ?? null, b.identity ?? null) || !deepEqual(a.identities ?? [], b.identities ?? [])) return 'task identity';
  if ((a.restart.renderTemplates ?? false) !== (b.restart.renderTemplates ?? false)) return 'restart render_templates';
  // drover: lifecycle and leader shape the alloc runner's task ordering, fixed when it is built.
  if (!deepEqual(a.lifecycle ?? null, b.lifecycle ?? null)) return 'lifecycle';
  if (a.leader !== b.leader) return 'leader';
  if (!deepEqual(a.volumeMounts ?? [], b.volumeMounts ?? [])) return 'volume mounts';
  return undefined;
}

/** Structural equality of JSON-like values (key order ignored). */
export function deepEqual(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => deepEqual(v, y[i]));
  const kx = Object.keys(x).filter((k) => (x as Record<string, unknown>)[k] !== undefined);
  const ky = Object.keys(y).filter((k) => (y as Record<string, unknown>)[k] !== undefined);
  if (kx.length !== ky.length) return false;
  return kx.every((k) => deepEqual((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]));
}
