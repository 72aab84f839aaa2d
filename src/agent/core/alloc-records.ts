/** New allocation records, as Nomad's scheduler builds them at placement. */
import type { Job } from '../../model/job.js';
import type { AllocatedNetwork } from '../../model/network.js';
import type { AllocRecord } from '../state/state-db.js';

/** Nomad's allocation name, "<job>.<group>[<index>]". */
export function allocName(job: Job, group: string, index: number): string {
  return `${job.id}.${group}[${index}]`;
}

/** A pending allocation of `group[index]` at job `version`. */
export function newAllocRecord(
  id: string,
  job: Job,
  group: string,
  index: number,
  version: number,
  now: number,
  modifyIndex: number,
  network: AllocatedNetwork | undefined,
): AllocRecord {
  return {
    id,
    jobId: job.id,
    jobVersion: version,
    group,
    index,
    name: allocName(job, group, index),
    desiredStatus: 'run',
    desiredDescription: '',
    clientStatus: 'pending',
    clientDescription: '',
    terminal: false,
    createTime: now,
    modifyTime: now,
    createIndex: modifyIndex,
    modifyIndex,
    ...(network ? { network } : {}),
  };
}

/** Stands in for a job whose version vanished from state (never expected; keeps reads total). */
export function placeholderJob(id: string): Job {
  return { id, name: id, type: 'service', namespace: 'default', region: 'global', datacenters: [], priority: 50, meta: {}, groups: [] };
}
