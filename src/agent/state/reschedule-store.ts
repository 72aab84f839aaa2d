/** Rows of the alloc_reschedule table (migration 7); the caller owns transactions. */
import type Database from 'better-sqlite3';
import type { RescheduleEvent } from '../../model/reschedule-tracker.js';

/** What the state holds of an allocation's rescheduling. */
export interface RescheduleRecord {
  readonly allocId: string;
  /** Its RescheduleTracker: the reschedules that led to this alloc, oldest first. */
  readonly events: readonly RescheduleEvent[];
  /** The follow-up evaluation that will replace this failed alloc ('' for none). */
  readonly followupEvalId: string;
  /** When that replacement is due (Unix ms; 0 when none is planned or it was placed). */
  readonly rescheduleAt: number;
}

interface Row {
  alloc_id: string;
  events: string;
  followup_eval_id: string;
  reschedule_at: number;
}

export class RescheduleStore {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare<[string], Row>('SELECT * FROM alloc_reschedule WHERE alloc_id = ?'),
      due: db.prepare<[], Row>('SELECT * FROM alloc_reschedule WHERE reschedule_at > 0 ORDER BY reschedule_at'),
      put: db.prepare<[string, string, string, number]>(
        `INSERT INTO alloc_reschedule (alloc_id, events, followup_eval_id, reschedule_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (alloc_id) DO UPDATE SET events = excluded.events, followup_eval_id = excluded.followup_eval_id, reschedule_at = excluded.reschedule_at`,
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

  /** Every planned reschedule, soonest first. */
  planned(): RescheduleRecord[] {
    return this.q.due.all().map(fromRow);
  }

  put(r: RescheduleRecord): void {
    this.q.put.run(r.allocId, JSON.stringify(r.events), r.followupEvalId, r.rescheduleAt);
  }
}

function fromRow(r: Row): RescheduleRecord {
  return { allocId: r.alloc_id, events: JSON.parse(r.events) as RescheduleEvent[], followupEvalId: r.followup_eval_id, rescheduleAt: r.reschedule_at };
}
