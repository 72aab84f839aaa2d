/** Rows of the periodic_launch table (migration 5); the caller owns transactions. */
import type Database from 'better-sqlite3';

export class PeriodicLaunchStore {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare<[string, string], { launch_ms: number }>('SELECT launch_ms FROM periodic_launch WHERE namespace = ? AND job_id = ?'),
      put: db.prepare<[string, string, number]>(
        'INSERT INTO periodic_launch (namespace, job_id, launch_ms) VALUES (?, ?, ?) ON CONFLICT (namespace, job_id) DO UPDATE SET launch_ms = excluded.launch_ms',
      ),
      del: db.prepare<[string, string]>('DELETE FROM periodic_launch WHERE namespace = ? AND job_id = ?'),
    };
  }

  /** The last launch (Unix ms) of a periodic job, if any was recorded. */
  get(namespace: string, jobId: string): number | undefined {
    return this.q.get.get(namespace, jobId)?.launch_ms;
  }

  put(namespace: string, jobId: string, launchMs: number): void {
    this.q.put.run(namespace, jobId, launchMs);
  }

  delete(namespace: string, jobId: string): void {
    this.q.del.run(namespace, jobId);
  }
}
