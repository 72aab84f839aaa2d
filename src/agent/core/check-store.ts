/**
 * The latest result of every Nomad service check, per allocation (Nomad's
 * client checkstore shim, client/serviceregistration/checks/checkstore):
 * kept in memory for the API, written to state.db only when a check is new
 * or its status changed, and restored at start. A "pending" result never
 * replaces one already known, as in Nomad.
 */
import { errorMessage } from '../../model/errors.js';
import type { Logger } from '../../model/logger.js';
import type { CheckResult, CheckResultSink } from '../../taskrunner/services/types.js';
import type { StateDB } from '../state/state-db.js';
import type { ServiceStore } from '../state/service-store.js';

export class CheckStore implements CheckResultSink {
  /** alloc id → check id → latest result. */
  private readonly current = new Map<string, Map<string, CheckResult>>();

  constructor(
    private readonly db: StateDB,
    private readonly store: ServiceStore,
    private readonly logger: Logger,
  ) {
    for (const r of store.checkResults()) this.entry(r.allocId).set(r.id, r);
  }

  /**
   * Records a result. Results of an allocation the agent no longer runs
   * (purged, or ended and cleaned up) are dropped: a checker finishing after
   * the alloc's cleanup must not bring its results back.
   */
  put(result: CheckResult): void {
    let checks = this.current.get(result.allocId);
    const prev = checks?.get(result.id);
    if (result.status === 'pending' && prev) return;
    if (!checks) {
      const alloc = this.db.alloc(result.allocId);
      if (!alloc || alloc.terminal) return;
      checks = this.entry(result.allocId);
    }
    checks.set(result.id, result);
    if (prev && prev.status === result.status) return;
    try {
      this.store.putCheckResult(result);
    } catch (err) {
      // The API still has the result; only a restart before the next change would miss it.
      this.logger.error('failed to store check result', { alloc_id: result.allocId, check_id: result.id, error: errorMessage(err) });
    }
  }

  purge(allocId: string): void {
    this.current.delete(allocId);
    this.store.deleteCheckResults(allocId);
  }

  /** The allocation's latest results by check id (empty when it has none). */
  list(allocId: string): ReadonlyMap<string, CheckResult> {
    return new Map(this.current.get(allocId) ?? []);
  }

  /** Forgets results of allocations that are gone or terminal (left by a crash before their cleanup). */
  sweep(): void {
    for (const allocId of [...this.current.keys()]) {
      const a = this.db.alloc(allocId);
      if (!a || a.terminal) this.purge(allocId);
    }
  }

  private entry(allocId: string): Map<string, CheckResult> {
    let m = this.current.get(allocId);
    if (!m) this.current.set(allocId, (m = new Map<string, CheckResult>()));
    return m;
  }
}
