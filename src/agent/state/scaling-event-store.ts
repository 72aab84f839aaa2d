/** Rows of the scaling_events table: each job group's newest scaling events (Nomad's JobScalingEvents); the caller owns transactions. */
import type Database from 'better-sqlite3';

/** One scaling event as Nomad stores it (structs.ScalingEvent); Time in unix ns. */
export interface ScalingEventRecord {
  readonly time: number;
  /** The new count; null for an event that only reports (an autoscaler error, say). */
  readonly count: number | null;
  readonly previousCount: number;
  readonly message: string;
  readonly error: boolean;
  readonly meta: Readonly<Record<string, unknown>> | null;
  readonly evalId: string | null;
  readonly createIndex: number;
}

export class ScalingEventStore {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      put: db.prepare<[string, number, string, number, string]>('INSERT INTO scaling_events (job_id, job_create_index, task_group, create_index, event) VALUES (?, ?, ?, ?, ?)'),
      // Events of an earlier job of the same id (purged since) are not this job's.
      dropOtherJobs: db.prepare<[string, number]>('DELETE FROM scaling_events WHERE job_id = ? AND job_create_index <> ?'),
      trim: db.prepare<[string, string, string, string, number]>(
        `DELETE FROM scaling_events WHERE job_id = ? AND task_group = ? AND create_index NOT IN
           (SELECT create_index FROM scaling_events WHERE job_id = ? AND task_group = ? ORDER BY create_index DESC LIMIT ?)`,
      ),
      byJob: db.prepare<[string, number], { task_group: string; event: string }>(
        'SELECT task_group, event FROM scaling_events WHERE job_id = ? AND job_create_index = ? ORDER BY task_group, create_index DESC',
      ),
    };
  }

  /** Prepends an event to the group's list and keeps the newest `keep`. */
  add(job: { id: string; createIndex: number }, group: string, event: ScalingEventRecord, keep: number): void {
    this.q.dropOtherJobs.run(job.id, job.createIndex);
    this.q.put.run(job.id, job.createIndex, group, event.createIndex, JSON.stringify(event));
    this.q.trim.run(job.id, group, job.id, group, keep);
  }

  /** The job's events by group, newest first. */
  byJob(job: { id: string; createIndex: number }): Map<string, ScalingEventRecord[]> {
    const out = new Map<string, ScalingEventRecord[]>();
    for (const row of this.q.byJob.all(job.id, job.createIndex)) {
      const list = out.get(row.task_group) ?? [];
      list.push(JSON.parse(row.event) as ScalingEventRecord);
      out.set(row.task_group, list);
    }
    return out;
  }
}
