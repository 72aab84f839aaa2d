/**
 * Rows of the deployments and alloc_deployment tables and job_versions.stable
 * (the deployments migration); the caller owns transactions.
 */
import type Database from 'better-sqlite3';

export type DeploymentStatus = 'running' | 'paused' | 'failed' | 'successful' | 'cancelled';

/** Nomad's DeploymentState for one task group (durations and instants in ms). */
export interface DeploymentGroupState {
  readonly autoRevert: boolean;
  readonly autoPromote: boolean;
  readonly progressDeadlineMs: number;
  /** Unix ms by which an allocation must become healthy; 0 while unset. */
  readonly requireProgressBy: number;
  readonly promoted: boolean;
  readonly placedCanaries: readonly string[];
  readonly desiredCanaries: number;
  readonly desiredTotal: number;
  readonly placedAllocs: number;
  readonly healthyAllocs: number;
  readonly unhealthyAllocs: number;
}

/** Nomad's Deployment on this node. */
export interface DeploymentRecord {
  readonly id: string;
  readonly jobId: string;
  readonly jobVersion: number;
  readonly jobCreateIndex: number;
  readonly jobModifyIndex: number;
  readonly status: DeploymentStatus;
  readonly statusDescription: string;
  readonly groups: Readonly<Record<string, DeploymentGroupState>>;
  readonly createIndex: number;
  readonly modifyIndex: number;
  readonly createTime: number;
  readonly modifyTime: number;
}

/** Nomad's AllocDeploymentStatus plus the deployment the alloc belongs to. */
export interface AllocDeploymentRecord {
  readonly allocId: string;
  readonly deploymentId: string;
  /** undefined until the alloc was judged healthy or unhealthy. */
  readonly healthy: boolean | undefined;
  /** Unix ms the health was set (0 before). */
  readonly timestamp: number;
  readonly canary: boolean;
  readonly modifyIndex: number;
}

interface DeploymentRow {
  id: string;
  job_id: string;
  job_version: number;
  job_create_index: number;
  job_modify_index: number;
  status: string;
  status_description: string;
  groups: string;
  create_index: number;
  modify_index: number;
  create_time: number;
  modify_time: number;
}

interface AllocDeploymentRow {
  alloc_id: string;
  deployment_id: string;
  healthy: number | null;
  timestamp: number;
  canary: number;
  modify_index: number;
}

/** Whether the deployment may still progress (Nomad's Deployment.Active on one node). */
export function isActive(d: DeploymentRecord): boolean {
  return d.status === 'running' || d.status === 'paused';
}

export class DeploymentStore {
  private readonly q;
  /**
   * Each deployment's group states as last read or written. A row read again shares the states that
   * did not change with them instead of holding fresh copies: the event stream keeps every deployment
   * as written, and a job of 300 groups, whose 300 allocs each updated it once, kept 90,000 of them.
   */
  private readonly lastGroups = new Map<string, Readonly<Record<string, DeploymentGroupState>>>();

  constructor(db: Database.Database) {
    const prep = <T = unknown>(sql: string) => db.prepare<unknown[], T>(sql);
    this.q = {
      get: prep<DeploymentRow>('SELECT * FROM deployments WHERE id = ?'),
      byPrefix: prep<DeploymentRow>("SELECT * FROM deployments WHERE id LIKE ? || '%' ORDER BY id LIMIT 2"),
      all: prep<DeploymentRow>('SELECT * FROM deployments ORDER BY create_index'),
      byJob: prep<DeploymentRow>('SELECT * FROM deployments WHERE job_id = ? ORDER BY create_index DESC'),
      active: prep<DeploymentRow>("SELECT * FROM deployments WHERE status IN ('running', 'paused') ORDER BY create_index"),
      delete: prep('DELETE FROM deployments WHERE id = ?'),
      put: prep(
        `INSERT OR REPLACE INTO deployments (id, job_id, job_version, job_create_index, job_modify_index, status, status_description, groups,
           create_index, modify_index, create_time, modify_time)
         VALUES (@id, @jobId, @jobVersion, @jobCreateIndex, @jobModifyIndex, @status, @statusDescription, @groups,
           @createIndex, @modifyIndex, @createTime, @modifyTime)`,
      ),
      alloc: prep<AllocDeploymentRow>('SELECT * FROM alloc_deployment WHERE alloc_id = ?'),
      allocs: prep<AllocDeploymentRow>('SELECT * FROM alloc_deployment WHERE deployment_id = ?'),
      healthyRunning: prep<{ alloc_id: string; task_group: string }>(
        `SELECT d.alloc_id, a.task_group FROM alloc_deployment d JOIN allocs a ON a.id = d.alloc_id
         WHERE d.deployment_id = ? AND d.healthy = 1 AND a.terminal = 0 AND a.desired_status = 'run'`,
      ),
      putAlloc: prep(
        'INSERT OR REPLACE INTO alloc_deployment (alloc_id, deployment_id, healthy, timestamp, canary, modify_index) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      stable: prep<{ version: number }>('SELECT version FROM job_versions WHERE id = ? AND stable = 1 ORDER BY version DESC'),
      setStable: prep('UPDATE job_versions SET stable = ? WHERE id = ? AND version = ?'),
    };
  }

  get(id: string): DeploymentRecord | undefined {
    const row = this.q.get.get(id);
    return row && this.fromRow(row);
  }

  /** The deployment by full id or unique prefix. */
  byIdOrPrefix(id: string): DeploymentRecord | undefined {
    const exact = this.get(id);
    if (exact || id === '') return exact;
    const rows = this.q.byPrefix.all(id);
    return rows.length === 1 ? this.fromRow(rows[0] as DeploymentRow) : undefined;
  }

  all(): DeploymentRecord[] {
    return this.q.all.all().map((r) => this.fromRow(r));
  }

  /** The job's deployments, newest first. */
  byJob(jobId: string): DeploymentRecord[] {
    return this.q.byJob.all(jobId).map((r) => this.fromRow(r));
  }

  active(): DeploymentRecord[] {
    return this.q.active.all().map((r) => this.fromRow(r));
  }

  /** Drops a deployment (the GC's, Nomad's deploymentReap); its allocs keep naming it, as Nomad's do. */
  delete(id: string): void {
    this.q.delete.run(id);
    this.lastGroups.delete(id);
  }

  put(d: DeploymentRecord): void {
    this.q.put.run({ ...d, groups: JSON.stringify(d.groups) });
    this.lastGroups.set(d.id, d.groups);
  }

  private fromRow(r: DeploymentRow): DeploymentRecord {
    const parsed = JSON.parse(r.groups) as Record<string, DeploymentGroupState>;
    const last = this.lastGroups.get(r.id);
    const groups: Record<string, DeploymentGroupState> = {};
    for (const [name, g] of Object.entries(parsed)) {
      const prev = last?.[name];
      groups[name] = prev && sameGroupState(prev, g) ? prev : g;
    }
    this.lastGroups.set(r.id, groups);
    return {
      id: r.id,
      jobId: r.job_id,
      jobVersion: r.job_version,
      jobCreateIndex: r.job_create_index,
      jobModifyIndex: r.job_modify_index,
      status: r.status as DeploymentStatus,
      statusDescription: r.status_description,
      groups,
      createIndex: r.create_index,
      modifyIndex: r.modify_index,
      createTime: r.create_time,
      modifyTime: r.modify_time,
    };
  }

  alloc(allocId: string): AllocDeploymentRecord | undefined {
    const row = this.q.alloc.get(allocId);
    return row && allocFromRow(row);
  }

  allocs(deploymentId: string): AllocDeploymentRecord[] {
    return this.q.allocs.all(deploymentId).map(allocFromRow);
  }

  /**
   * The deployment's allocations judged healthy that still run, with their group: one query, read
   * on every health change (reading each alloc's record made 300 allocs turning healthy cost 270,000 reads).
   */
  healthyRunning(deploymentId: string): Array<{ readonly allocId: string; readonly group: string }> {
    return this.q.healthyRunning.all(deploymentId).map((r) => ({ allocId: r.alloc_id, group: r.task_group }));
  }

  putAlloc(a: AllocDeploymentRecord): void {
    this.q.putAlloc.run(a.allocId, a.deploymentId, a.healthy === undefined ? null : a.healthy ? 1 : 0, a.timestamp, a.canary ? 1 : 0, a.modifyIndex);
  }

  /** The job's stable versions, newest first. */
  stableVersions(jobId: string): number[] {
    return this.q.stable.all(jobId).map((r) => r.version);
  }

  setStable(jobId: string, version: number, stable: boolean): void {
    this.q.setStable.run(stable ? 1 : 0, jobId, version);
  }
}

function sameGroupState(a: DeploymentGroupState, b: DeploymentGroupState): boolean {
  for (const k of Object.keys(b) as Array<keyof DeploymentGroupState>) {
    if (k === 'placedCanaries') continue;
    if (a[k] !== b[k]) return false;
  }
  return Object.keys(a).length === Object.keys(b).length && a.placedCanaries.length === b.placedCanaries.length && a.placedCanaries.every((id, i) => id === b.placedCanaries[i]);
}

function allocFromRow(r: AllocDeploymentRow): AllocDeploymentRecord {
  return {
    allocId: r.alloc_id,
    deploymentId: r.deployment_id,
    healthy: r.healthy === null ? undefined : r.healthy === 1,
    timestamp: r.timestamp,
    canary: r.canary === 1,
    modifyIndex: r.modify_index,
  };
}
