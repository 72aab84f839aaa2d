/** Rows of the evaluations table (migration 7); the caller owns transactions. */
import type Database from 'better-sqlite3';
import type { EvalStatus, Evaluation } from '../../model/evaluation.js';

interface EvalRow {
  data: string;
}

export class EvalStore {
  private readonly q;

  constructor(db: Database.Database) {
    const prep = <T = unknown>(sql: string) => db.prepare<unknown[], T>(sql);
    this.q = {
      get: prep<EvalRow>('SELECT data FROM evaluations WHERE id = ?'),
      byPrefix: prep<EvalRow>("SELECT data FROM evaluations WHERE id LIKE ? || '%' ORDER BY id LIMIT 2"),
      all: prep<EvalRow>('SELECT data FROM evaluations ORDER BY create_index DESC, id'),
      byJob: prep<EvalRow>('SELECT data FROM evaluations WHERE job_id = ? ORDER BY create_index DESC, id'),
      blockedOf: prep<EvalRow>("SELECT data FROM evaluations WHERE job_id = ? AND status = 'blocked' ORDER BY create_index DESC LIMIT 1"),
      open: prep<{ one: number }>("SELECT 1 AS one FROM evaluations WHERE job_id = ? AND status IN ('blocked', 'pending') LIMIT 1"),
      byStatus: prep<EvalRow>('SELECT data FROM evaluations WHERE status = ? ORDER BY create_index, id'),
      put: prep('INSERT OR REPLACE INTO evaluations (id, job_id, status, create_index, data) VALUES (?, ?, ?, ?, ?)'),
      deleteByJob: prep('DELETE FROM evaluations WHERE job_id = ?'),
      delete: prep('DELETE FROM evaluations WHERE id = ?'),
    };
  }

  get(id: string): Evaluation | undefined {
    const row = this.q.get.get(id);
    return row && parse(row);
  }

  /** The evaluation whose id starts with `prefix`, when exactly one does. */
  byPrefix(prefix: string): Evaluation | undefined {
    const rows = this.q.byPrefix.all(prefix);
    return rows.length === 1 ? parse(rows[0] as EvalRow) : undefined;
  }

  /** Newest first. */
  all(): Evaluation[] {
    return this.q.all.all().map(parse);
  }

  /** The job's evaluations, newest first. */
  byJob(jobId: string): Evaluation[] {
    return this.q.byJob.all(jobId).map(parse);
  }

  /** The job's blocked evaluation, if one waits for capacity. */
  blockedOf(jobId: string): Evaluation | undefined {
    const row = this.q.blockedOf.get(jobId);
    return row && parse(row);
  }

  /** Whether an evaluation of the job is still to run (blocked, or pending its wait). */
  hasOpen(jobId: string): boolean {
    return this.q.open.get(jobId) !== undefined;
  }

  /** Evaluations in one status, oldest first. */
  byStatus(status: EvalStatus): Evaluation[] {
    return this.q.byStatus.all(status).map(parse);
  }

  put(e: Evaluation): void {
    this.q.put.run(e.id, e.jobId, e.status, e.createIndex, JSON.stringify(e));
  }

  delete(id: string): void {
    this.q.delete.run(id);
  }

  deleteByJob(jobId: string): void {
    this.q.deleteByJob.run(jobId);
  }
}

function parse(r: EvalRow): Evaluation {
  return JSON.parse(r.data) as Evaluation;
}
