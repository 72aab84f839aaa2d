/** A job's status and summary as Nomad derives them from its allocations. */
import type { ApiJob, ApiJobListStub, ApiJobSummary, ApiTaskGroupSummary } from '../../model/nomad-api/index.js';
import type { AllocRecord, JobRecord } from '../state/state-db.js';
import { toApiJob } from '../../model/nomad-api/job-to-api.js';
import { isParentJob } from '../../model/job.js';

/** Nomad's job status: "dead" when stopped or done, "running" while an alloc runs, "pending" before any. */
export function jobStatus(job: JobRecord, allocs: readonly AllocRecord[], openEval = false): 'pending' | 'running' | 'dead' {
  if (job.stop) return 'dead';
  // A periodic or parameterized parent is never placed: Nomad shows it running until stopped.
  if (isParentJob(job.job)) return 'running';
  if (allocs.length === 0) return 'pending';
  if (allocs.some((a) => !a.terminal && (a.clientStatus === 'pending' || a.clientStatus === 'running'))) return 'running';
  // Nomad's getJobStatus: an evaluation still to run (blocked, or a reschedule waiting its delay) keeps it pending.
  return openEval ? 'pending' : 'dead';
}

/** Per-group alloc counts (Nomad's JobSummary). */
export function jobSummary(
  job: JobRecord,
  allocs: readonly AllocRecord[],
  children?: readonly { job: JobRecord; allocs: readonly AllocRecord[] }[],
  queued: Readonly<Record<string, number>> = {},
): ApiJobSummary {
  const summary: Record<string, ApiTaskGroupSummary> = {};
  for (const g of job.job.groups) summary[g.name] = { Queued: queued[g.name] ?? 0, Complete: 0, Failed: 0, Running: 0, Starting: 0, Lost: 0, Unknown: 0 };
  for (const a of allocs) {
    const s = summary[a.group];
    if (!s) continue;
    if (a.clientStatus === 'pending') s.Starting++;
    else if (a.clientStatus === 'running') s.Running++;
    else if (a.clientStatus === 'complete') s.Complete++;
    else s.Failed++;
  }
  const out: ApiJobSummary = { JobID: job.id, Namespace: job.job.namespace, Summary: summary, CreateIndex: job.createIndex, ModifyIndex: job.modifyIndex };
  if (children) {
    const by = (s: string) => children.filter((c) => jobStatus(c.job, c.allocs) === s).length;
    out.Children = { Pending: by('pending'), Running: by('running'), Dead: by('dead') };
  }
  return out;
}

/** The full job JSON with the server-set fields; `openEval`: an evaluation of the job is blocked or pending. */
export function toApiJobWithStatus(job: JobRecord, allocs: readonly AllocRecord[], openEval = false): ApiJob {
  return toApiJob(job.job, {
    Stop: job.stop,
    Status: jobStatus(job, allocs, openEval),
    Version: job.version,
    submitTimeMs: job.submitTime,
    CreateIndex: job.createIndex,
    ModifyIndex: job.modifyIndex,
    JobModifyIndex: job.jobModifyIndex,
  });
}

/** GET /v1/jobs entry. */
/** `queued`: the allocations the job's blocked evaluation still has to place, by group. */
export function toApiJobStub(job: JobRecord, allocs: readonly AllocRecord[], queued: Readonly<Record<string, number>> = {}, openEval = false): ApiJobListStub {
  const j = job.job;
  return {
    ID: j.id,
    ParentID: j.parentId ?? '',
    Name: j.name,
    Namespace: j.namespace,
    Datacenters: [...j.datacenters],
    Type: j.type,
    Priority: j.priority,
    Periodic: j.periodic !== undefined,
    // Nomad's IsParameterized: a dispatched child is not itself parameterized.
    ParameterizedJob: j.parameterized !== undefined && j.dispatched !== true,
    Stop: job.stop,
    Status: jobStatus(job, allocs, openEval),
    StatusDescription: '',
    JobSummary: jobSummary(job, allocs, undefined, queued),
    CreateIndex: job.createIndex,
    ModifyIndex: job.modifyIndex,
    JobModifyIndex: job.jobModifyIndex,
    SubmitTime: job.submitTime * 1_000_000,
    ...(Object.keys(j.meta).length > 0 ? { Meta: { ...j.meta } } : {}),
  };
}
