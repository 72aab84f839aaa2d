/**
 * Nomad's scheduler stack on a cluster of one: whether this node can take
 * one more allocation of a group, checked in Nomad's order (datacenter,
 * job constraints, drivers, group and task constraints, host volumes,
 * distinct_hosts / distinct_property, then CPU, memory, disk and ports),
 * and when not, the AllocMetric naming the filter or the exhausted
 * dimension, as `nomad job run` reports a placement failure.
 *
 * One stack serves one evaluation: each placement it grants counts against
 * the node for the next (resources, ports, distinct_* counts).
 */
import { newAllocMetric, type AllocMetric } from '../../../model/evaluation.js';
import {
  distinctFailure,
  distinctLimits,
  firstFailedConstraint,
  groupConstraints,
  hostVolumeSource,
  type ConstraintNode,
  type HostVolumeConfig,
  type Job,
  type TaskGroup,
} from '../../../model/index.js';
import type { AllocatedNetwork } from '../../../model/network.js';
import type { HealthState } from '../../../drivers/types.js';
import { allocName } from '../alloc-records.js';
import { asksForNetwork, PortConflictError, type PortIndex } from '../ports.js';
import { add, exhaustedDimension, groupAsk, NOTHING, type Comparable } from './resources.js';

/** The node as the stack sees it. */
export interface PlacementNode {
  readonly facts: ConstraintNode;
  /** Each fingerprinted driver's health (absent: never reported). */
  readonly drivers: ReadonlyMap<string, HealthState>;
  readonly hostVolumes: Readonly<Record<string, HostVolumeConfig>>;
  /** Resources allocations may use (less reserved). */
  readonly available: Comparable;
  readonly mhzPerCore: number;
}

/** An allocation already on the node: what it uses and whose it is. */
export interface Resident {
  readonly jobId: string;
  readonly group: string;
  readonly ask: Comparable;
}

export type PlaceResult = { readonly ok: true; readonly network: AllocatedNetwork | undefined } | { readonly ok: false; readonly metric: AllocMetric };

/** `*` and `?` globs, as Nomad matches job datacenters against the node's. */
function globMatch(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(value);
}

export class PlacementStack {
  private used: Comparable = NOTHING;
  private readonly residents: Resident[] = [];

  constructor(
    private readonly node: PlacementNode,
    residents: readonly Resident[],
    /** The node's port index (built on first use: it reads every alloc). */
    private readonly ports: () => PortIndex,
  ) {
    for (const r of residents) this.admit(r);
  }

  /** Tries to place `job`'s `group[index]` as `allocId`; on success the node's books include it. */
  place(job: Job, group: TaskGroup, index: number, allocId: string): PlaceResult {
    return this.select(job, group, index, allocId, true);
  }

  /**
   * Whether an allocation being updated in place still fits this node under the new version
   * (Nomad's inplaceUpdate re-runs the stack on the alloc's node); it keeps its ports.
   * Pass the alloc among the stack's leaving ones, so its own resources are not counted twice.
   */
  keep(job: Job, group: TaskGroup, index: number): PlaceResult {
    return this.select(job, group, index, '', false);
  }

  private select(job: Job, group: TaskGroup, index: number, allocId: string, assignPorts: boolean): PlaceResult {
    const started = process.hrtime.bigint();
    const metric = newAllocMetric(this.node.facts.nodePool, this.node.facts.datacenter);
    const fail = (): PlaceResult => {
      metric.allocationTimeNs = Number(process.hrtime.bigint() - started);
      return { ok: false, metric };
    };
    const filtered = (key: string): PlaceResult => {
      metric.nodesFiltered = 1;
      metric.constraintFiltered[key] = 1;
      return fail();
    };
    if (!job.datacenters.some((dc) => globMatch(dc, this.node.facts.datacenter))) {
      metric.nodesInPool = 0;
      metric.nodesAvailable = Object.fromEntries(job.datacenters.filter((dc) => !dc.includes('*') && !dc.includes('?')).map((dc) => [dc, 0]));
      return fail();
    }
    metric.nodesEvaluated = 1;
    const jobFailure = firstFailedConstraint(job.constraints ?? [], this.node.facts);
    if (jobFailure) return filtered(jobFailure.key);
    if (group.tasks.some((t) => this.node.drivers.get(t.driver) !== 'healthy')) return filtered('missing drivers');
    const groupFailure = firstFailedConstraint(groupConstraints(group), this.node.facts);
    if (groupFailure) return filtered(groupFailure.key);
    if (!this.hasHostVolumes(group, index)) return filtered('missing compatible host volumes');
    const distinct = distinctFailure(distinctLimits(job, group), this.node.facts, {
      job: this.residents.filter((r) => r.jobId === job.id).length,
      group: this.residents.filter((r) => r.jobId === job.id && r.group === group.name).length,
    });
    if (distinct) return filtered(distinct.key);
    const ask = groupAsk(group, this.node.mhzPerCore);
    const dimension = exhaustedDimension(this.node.available, this.used, ask);
    if (dimension) return this.exhausted(metric, dimension, fail);
    let network: AllocatedNetwork | undefined;
    if (assignPorts && asksForNetwork(group)) {
      try {
        network = this.ports().assign(group, allocId, allocName(job, group.name, index));
      } catch (err) {
        if (!(err instanceof PortConflictError)) throw err;
        // Nomad's BinPackIterator: "network: <AssignPorts error>", less our "task group ...:" prefix.
        return this.exhausted(metric, `network: ${err.message.replace(/^[^:]*: /, '')}`, fail);
      }
    }
    this.admit({ jobId: job.id, group: group.name, ask });
    metric.allocationTimeNs = Number(process.hrtime.bigint() - started);
    return { ok: true, network };
  }

  private exhausted(metric: AllocMetric, dimension: string, fail: () => PlaceResult): PlaceResult {
    metric.nodesExhausted = 1;
    metric.dimensionExhausted[dimension] = 1;
    return fail();
  }

  private admit(r: Resident): void {
    this.residents.push(r);
    this.used = add(this.used, r.ask);
  }

  /** HostVolumeChecker: every host volume the group asks for (per_alloc: this index's) exists here. */
  private hasHostVolumes(group: TaskGroup, index: number): boolean {
    return (group.volumes ?? []).every((v) => v.type !== 'host' || this.node.hostVolumes[hostVolumeSource(v, index)] !== undefined);
  }
}
