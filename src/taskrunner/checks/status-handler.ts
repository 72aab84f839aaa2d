/**
 * success_before_passing / failures_before_warning / failures_before_critical
 * exactly as Consul's checks.StatusHandler applies them (Nomad hands these
 * fields to Consul): both counters start at their threshold, so the first
 * result is reported whatever it is; after that a passing (or warning)
 * result is reported once `successBeforePassing` of them came in a row, and
 * a critical one once `failuresBeforeCritical` did — or, from
 * `failuresBeforeWarning` on, it is reported as a warning. Until then the
 * check keeps the status it last reported.
 */
import type { CheckHealth, CheckOutcome } from './types.js';

export interface Thresholds {
  readonly successBeforePassing: number;
  readonly failuresBeforeWarning: number;
  readonly failuresBeforeCritical: number;
}

export class StatusHandler {
  private successes: number;
  private failures: number;
  private readonly beforeWarning: number;

  constructor(private readonly t: Thresholds) {
    this.successes = t.successBeforePassing;
    this.failures = t.failuresBeforeCritical;
    // Consul's default: unset means the same as failures_before_critical.
    this.beforeWarning = t.failuresBeforeWarning > 0 ? t.failuresBeforeWarning : t.failuresBeforeCritical;
  }

  /** The status to report for this result, or undefined to keep the last one. */
  observe(o: Pick<CheckOutcome, 'health'>): CheckHealth | undefined {
    if (o.health === 'passing' || o.health === 'warning') {
      this.successes++;
      this.failures = 0;
      return this.successes >= this.t.successBeforePassing ? o.health : undefined;
    }
    this.failures++;
    this.successes = 0;
    if (this.failures >= this.t.failuresBeforeCritical) return 'critical';
    if (this.failures >= this.beforeWarning) return 'warning';
    return undefined;
  }
}
