/**
 * The allocation's environment, without any task (Nomad's alloc-level
 * taskenv.Builder): what group services are interpolated against.
 */
import type { Job, TaskGroup } from '../../model/job.js';
import type { AllocatedNetwork } from '../../model/network.js';
import { envLookup, networkEnv, type Lookup, type NodeFacts } from '../task-env.js';

export interface AllocEnvInput {
  readonly job: Job;
  readonly group: TaskGroup;
  readonly allocId: string;
  readonly allocIndex: number;
  readonly node: NodeFacts;
  /** The allocation's ports and address: NOMAD_PORT_<label> and the rest, as tasks see them. */
  readonly network?: AllocatedNetwork;
}

/** The alloc's "<job>.<group>[<index>]" (Nomad's Allocation.Name). */
export function allocName(jobId: string, group: string, index: number): string {
  return `${jobId}.${group}[${index}]`;
}

export function allocEnvLookup(i: AllocEnvInput): Lookup {
  const env: Record<string, string> = {
    NOMAD_ALLOC_ID: i.allocId,
    NOMAD_SHORT_ALLOC_ID: i.allocId.slice(0, 8),
    NOMAD_ALLOC_NAME: allocName(i.job.id, i.group.name, i.allocIndex),
    NOMAD_ALLOC_INDEX: String(i.allocIndex),
    NOMAD_GROUP_NAME: i.group.name,
    NOMAD_JOB_ID: i.job.id,
    NOMAD_JOB_NAME: i.job.name,
    NOMAD_DC: i.node.datacenter,
    NOMAD_NAMESPACE: i.job.namespace,
    NOMAD_REGION: i.job.region,
  };
  for (const [k, v] of Object.entries({ ...i.job.meta, ...i.group.meta })) {
    env[`NOMAD_META_${k.toUpperCase()}`] = v;
    env[`NOMAD_META_${k}`] = v;
  }
  // No task: only the group's ports (and their bridge-mode alloc address) apply.
  if (i.network) Object.assign(env, networkEnv({ ...i.network, taskPorts: {} }, ''));
  return envLookup(env, i.node);
}
