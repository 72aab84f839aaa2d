/** Rows of the alloc_reschedule table (migration 7); the caller owns transactions. */
import type Database from 'better-sqlite3';
import type { RescheduleEvent } from '../../model/reschedule-tracker.js';

/** What the state holds of an allocation's rescheduling. */
export interface RescheduleRecord {
  readonly allocId: string;
  /** Its RescheduleTracker: the reschedules that led to this alloc, oldest first. */
  readonly events: readonly RescheduleEvent[];
  /** The follow-up evaluation planned to replace this failed alloc ('' for none). */
  readonly followupEvalId: string;
  /** When that replacement is due (Unix ms; Nomad's WaitUntil). */
  readonly rescheduleAt: number;
  /** The replacement is still to be placed. */
  readonly pending: boolean;
}

interface Row {
  alloc_id: string;
  events: string;
  followup_eval_id: string;
  reschedule_at: number;
  pending: number;
}

export class RescheduleStore {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare<[string], Row>('SELECT * FROM alloc_reschedule WHERE alloc_id = ?'),
      byEval: db.prepare<[string], Row>("SELECT * FROM alloc_reschedule WHERE followup_eval_id = ? AND followup_eval_id != ''"),
      put: db.prepare<[string, string, string, number, number]>(
        `INSERT INTO alloc_reschedule (alloc_id, events, followup_eval_id, reschedule_at, pending) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (alloc_id) DO UPDATE SET events = excluded.events, followup_eval_id = excluded.followup_eval_id,
           reschedule_at = excluded.reschedule_at, pending = excluded.pending`,
      ),
    };
  }

  get(allocId: string): RescheduleRecord | undefined {
    const r = this.q.get.get(allocId);
    return r && fromRow(r);
  }

  /** The tracker events of an alloc (none when it was not a reschedule). */
  events(allocId: string): readonly RescheduleEvent[] {
    return this.get(allocId)?.events ?? [];
  }

  /** The allocs a follow-up evaluation replaces (one on this node, as drover does not batch them). */
  byFollowupEval(evalId: string): RescheduleRecord[] {
    return this.q.byEval.all(evalId).map(fromRow);
  }

  put(r: RescheduleRecord): void {
    this.q.put.run(r.allocId, JSON.stringify(r.events), r.followupEvalId, r.rescheduleAt, r.pending ? 1 : 0);
  }
}

function fromRow(r: Row): RescheduleRecord {
  return {
    allocId: r.alloc_id,
    events: JSON.parse(r.events) as RescheduleEvent[],
    followupEvalId: r.followup_eval_id,
    rescheduleAt: r.reschedule_at,
    pending: r.pending === 1,
  };
}
