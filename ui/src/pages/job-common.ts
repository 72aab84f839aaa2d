/** Small helpers the job pages share. */
import type { ApiJob } from '../../../src/model/nomad-api/index';
import type { StreamEvent } from '../live';

/** Whether a stream event concerns job `id` (its own events, its allocations', evaluations' and deployments'). */
export const concernsJob =
  (id: string) =>
  (e: StreamEvent): boolean =>
    e.Key === id || (e.FilterKeys ?? []).includes(id);

/** The status a job shows: Nomad's status, "stopped" for a stop still under way. */
export function jobStatus(j: Pick<ApiJob, 'Status' | 'Stop'>): string {
  return j.Stop && j.Status !== 'dead' ? 'stopped' : (j.Status ?? 'unknown');
}

/**
 * A periodic or parameterized template (Nomad UI's "periodic" and "parameterized"
 * pages): it places nothing itself, its children do. A dispatched child keeps
 * its parent's parameterized block and is not one.
 */
export function isTemplateJob(j: Pick<ApiJob, 'Periodic' | 'ParameterizedJob' | 'ParentID' | 'Dispatched'>): boolean {
  return (Boolean(j.Periodic) && !j.ParentID) || (Boolean(j.ParameterizedJob) && !j.Dispatched);
}
