/**
 * Evaluations as drover's one-node scheduler writes them. Each write that
 * can change what runs is recorded as a Nomad evaluation; the placements it
 * asks for go through the placement stack, and what the node cannot take is
 * left unplaced: the evaluation names each such group with its AllocMetric
 * and a blocked evaluation holds the rest until capacity frees up
 * (Nomad's BlockedEvals, reduced to one node: every blocked evaluation is
 * retried whenever an allocation ends, one is stopped, or a driver's health
 * changes).
 */
import { randomUUID } from 'node:crypto';
import type { AllocMetric, EvalStatus, EvalTrigger, Evaluation } from '../../model/evaluation.js';
import type { Job, TaskGroup } from '../../model/job.js';
import type { AllocatedNetwork } from '../../model/network.js';
import { STOP_REASONS, type Placement, type Plan } from './reconcile.js';
import type { AllocRecord } from '../state/state-db.js';
import type { PlacementStack } from './placement/stack.js';

/** A placement the stack granted: the new alloc's id and network. */
export interface Granted extends Placement {
  readonly id: string;
  readonly network: AllocatedNetwork | undefined;
}

/** What an evaluation's placements came to. */
export interface PlacementOutcome {
  readonly granted: Granted[];
  /** Group → the first failure's metric, later ones of the group coalesced into it. */
  readonly failed: Record<string, AllocMetric>;
  /** Group → allocations left unplaced. */
  readonly queued: Record<string, number>;
}

/** Runs each placement through the stack, in order; failures of one group are coalesced as Nomad does. */
export function placeAll(job: Job, placements: readonly Placement[], stack: PlacementStack): PlacementOutcome {
  const out: PlacementOutcome = { granted: [], failed: {}, queued: {} };
  for (const g of job.groups) out.queued[g.name] = 0;
  for (const p of placements) {
    const group = job.groups.find((g) => g.name === p.group) as TaskGroup;
    const prior = out.failed[p.group];
    if (prior) {
      // Nomad stops trying a group after its first failure in an evaluation.
      prior.coalescedFailures++;
      out.queued[p.group] = (out.queued[p.group] ?? 0) + 1;
      continue;
    }
    const id = randomUUID();
    const r = stack.place(job, group, p.index, id);
    if (r.ok) out.granted.push({ ...p, id, network: r.network });
    else {
      out.failed[p.group] = r.metric;
      out.queued[p.group] = (out.queued[p.group] ?? 0) + 1;
    }
  }
  return out;
}

/**
 * The plan with each in-place update the node still takes kept, and each it no longer
 * takes (a new constraint, a driver gone, more resources than free) turned into a
 * destructive one, a stop and a placement, as Nomad's inplaceUpdate does.
 * The stack must have been built without the `changing` allocs.
 */
export function keepFeasibleInPlace(plan: Plan, job: Job, changing: readonly AllocRecord[], stack: PlacementStack): Plan {
  const inPlace: string[] = [];
  const stop = [...plan.stop];
  const place = [...plan.place];
  for (const id of plan.inPlace) {
    // Only the allocs in `changing` move to a new version (and are left out of the stack's books until checked).
    const a = changing.find((x) => x.id === id);
    const group = a && job.groups.find((g) => g.name === a.group);
    if (!a || !group || stack.keep(job, group, a.index).ok) inPlace.push(id);
    else {
      stop.push({ allocId: id, description: STOP_REASONS.update });
      place.push({ group: a.group, index: a.index });
    }
  }
  return { ...plan, inPlace, stop, place };
}

/** "group[index]" of each granted placement. */
export function grantedNames(o: PlacementOutcome): Set<string> {
  return new Set(o.granted.map((g) => `${g.group}[${g.index}]`));
}

export interface NewEval {
  readonly job: Job;
  readonly jobModifyIndex: number;
  readonly trigger: EvalTrigger;
  readonly index: number;
  readonly now: number;
  readonly nodeId: string;
  readonly status?: EvalStatus;
  readonly statusDescription?: string;
  readonly failed?: Readonly<Record<string, AllocMetric>>;
  readonly queued?: Readonly<Record<string, number>>;
  readonly previousEval?: string;
  readonly blockedEval?: string;
  readonly id?: string;
}

/** A new evaluation record (complete unless told otherwise). */
export function newEvaluation(e: NewEval): Evaluation {
  return {
    id: e.id ?? randomUUID(),
    namespace: e.job.namespace,
    priority: e.job.priority,
    type: e.job.type,
    triggeredBy: e.trigger,
    jobId: e.job.id,
    jobModifyIndex: e.jobModifyIndex,
    nodeId: e.trigger === 'node-update' ? e.nodeId : '',
    deploymentId: '',
    status: e.status ?? 'complete',
    statusDescription: e.statusDescription ?? '',
    waitUntil: 0,
    nextEval: '',
    previousEval: e.previousEval ?? '',
    blockedEval: e.blockedEval ?? '',
    failedTGAllocs: e.failed ?? {},
    queuedAllocations: e.queued ?? {},
    createIndex: e.index,
    modifyIndex: e.index,
    createTime: e.now,
    modifyTime: e.now,
  };
}

/**
 * The records an evaluation writes: itself, and when groups went unplaced a
 * blocked evaluation (triggered by "queued-allocs") that waits for capacity.
 */
export function evaluationRecords(e: NewEval, outcome: PlacementOutcome): { readonly eval: Evaluation; readonly blocked?: Evaluation } {
  const unplaced = Object.keys(outcome.failed).length > 0;
  if (!unplaced) return { eval: newEvaluation({ ...e, queued: outcome.queued }) };
  const evalId = e.id ?? randomUUID();
  const blocked = newEvaluation({
    ...e,
    id: randomUUID(),
    trigger: 'queued-allocs',
    status: 'blocked',
    previousEval: evalId,
    failed: outcome.failed,
    queued: outcome.queued,
  });
  return { eval: newEvaluation({ ...e, id: evalId, failed: outcome.failed, queued: outcome.queued, blockedEval: blocked.id }), blocked };
}

/** Nomad's texts for evaluations that are not run. */
export const EVAL_CANCEL_REASONS = {
  superseded: 'canceled after more recent eval was processed',
  duplicateBlocked: (jobId: string) => `existing blocked evaluation exists for job ${JSON.stringify(jobId)}`,
} as const;
