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
