/**
 * Nomad's scaling policies (GET /v1/scaling/policies, /v1/scaling/policy/:id):
 * one horizontal policy per group with a scaling { } block, derived from the
 * stored jobs rather than kept in a table. A policy's ID is a UUID derived
 * from its job's ID and create index and its group, so it stays the same
 * across job versions (as Nomad keeps it while the target stays) and a job
 * purged and registered again gets new ones. A stopped job's policies read
 * as disabled, as Nomad disables them on deregister.
 */
import { createHash } from 'node:crypto';
import type { GroupScaling } from '../../model/group-limits.js';
import type { JobRecord } from '../state/state-db.js';

export interface ScalingPolicyView {
  readonly id: string;
  readonly namespace: string;
  readonly jobId: string;
  readonly group: string;
  readonly enabled: boolean;
  readonly scaling: GroupScaling;
  readonly createIndex: number;
  readonly modifyIndex: number;
}

/** Every group policy of `jobs`, by ID. */
export function scalingPolicies(jobs: readonly JobRecord[]): ScalingPolicyView[] {
  const out: ScalingPolicyView[] = [];
  for (const j of jobs) {
    for (const g of j.job.groups) {
      if (!g.scaling) continue;
      out.push({
        id: policyId(j, g.name),
        namespace: j.job.namespace,
        jobId: j.id,
        group: g.name,
        enabled: g.scaling.enabled && !j.stop,
        scaling: g.scaling,
        createIndex: j.createIndex,
        modifyIndex: j.modifyIndex,
      });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

function policyId(job: JobRecord, group: string): string {
  const h = createHash('sha256').update(`${job.id}\0${job.createIndex}\0${group}\0horizontal`).digest('hex');
  // A version-4-shaped UUID, as Nomad's uuid.Generate gives.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
