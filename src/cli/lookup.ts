/**
 * Prefix lookups the way Nomad's commands resolve ids: allocations and jobs
 * by unique prefix, and the task of an allocation a command acts on.
 */
import { ApiError, type ApiAllocation, type ApiJob, type ApiJobListStub } from '../api/index.js';
import { call, CliError, type Ctx } from './common.js';
import { allocListTable, jobListTable } from './listings.js';
import { formatList, limit, SHORT_ID } from './tables.js';

/** The allocation `prefix` names; several matches are an error (printed on stdout with `multipleOk`, exit 0, as `alloc status` does). */
export async function findAlloc(ctx: Ctx, prefix: string, opts: { multipleOk?: boolean; verbose?: boolean } = {}): Promise<ApiAllocation> {
  if (prefix.length === 1) throw new CliError('Alloc ID must contain at least two characters.');
  const stubs = await call(ctx, 'Error querying allocation', ctx.client.allocations.list({ prefix }));
  if (stubs.length === 0) throw new CliError(`No allocation(s) with prefix or id ${JSON.stringify(prefix)} found`);
  if (stubs.length > 1) {
    const table = allocListTable(stubs, opts.verbose ? { verbose: true } : {});
    throw new CliError(`Prefix matched multiple allocations\n\n${table}`, opts.multipleOk ? 0 : 1, opts.multipleOk);
  }
  return call(ctx, 'Error querying allocation', ctx.client.allocations.info((stubs[0] as { ID: string }).ID));
}

/**
 * The id of the job `prefix` names (Nomad's JobIDByPrefix); without list
 * permission, the prefix itself. `filter` narrows the candidates (Nomad's
 * jobIDByPrefix filter) and `none` is then the not-found message.
 */
export async function findJobId(ctx: Ctx, prefix: string, only?: { filter: (j: ApiJobListStub) => boolean; none: string }): Promise<string> {
  let jobs;
  try {
    jobs = await ctx.client.jobs.list({ prefix });
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return prefix;
    return call(ctx, `Error querying job prefix ${JSON.stringify(prefix)}`, Promise.reject(err));
  }
  if (only) jobs = jobs.filter(only.filter);
  if (jobs.length === 0) throw new CliError(only?.none ?? `No job(s) with prefix or ID ${JSON.stringify(prefix)} found`);
  const exact = jobs.find((j) => j.ID === prefix);
  if (exact) return exact.ID;
  if (jobs.length > 1) throw new CliError(`Prefix ${JSON.stringify(prefix)} matched multiple jobs\n\n${jobListTable(jobs)}`);
  return (jobs[0] as { ID: string }).ID;
}

/** The job `prefix` names (Nomad's JobByPrefix). */
export async function findJob(ctx: Ctx, prefix: string): Promise<ApiJob> {
  const id = await findJobId(ctx, prefix);
  return call(ctx, `Error querying job ${JSON.stringify(id)}`, ctx.client.jobs.info(id));
}

/** The task names of the allocation's group, in job order. */
export function allocTaskNames(alloc: ApiAllocation): string[] {
  const group = alloc.Job.TaskGroups?.find((g) => g.Name === alloc.TaskGroup);
  return (group?.Tasks ?? []).map((t) => t.Name);
}

/** `task` checked against the allocation, or its only task (Nomad's lookupAllocTask / validateTaskExistsInAllocation). */
export function allocTask(alloc: ApiAllocation, task: string | undefined): string {
  const names = allocTaskNames(alloc);
  if (task !== undefined && task !== '') {
    if (names.includes(task)) return task;
    throw new CliError(`Could not find task named: ${task}, found:\n${formatList(names.map((n) => [n]))}`);
  }
  if (names.length === 1) return names[0] as string;
  const listed = names.map((n) => `  * ${n}`).join('\n');
  throw new CliError(`Allocation ${JSON.stringify(limit(alloc.ID, SHORT_ID))} is running the following tasks:\n${listed}\n\nPlease specify the task.`);
}
