/**
 * check_restart (Nomad's serviceregistration/watcher.go restarter): restart
 * the workload when a check stays unhealthy. Critical and pending count as
 * unhealthy, warning too unless ignore_warnings; anything else clears the
 * count. Nothing counts before `grace` has passed since the watch began
 * (registration, right after the task started).
 *
 * Nomad polls statuses every second and restarts once a check has been
 * unhealthy for interval × (limit − 1); drover is told every result, so it
 * counts them instead: the limit-th unhealthy result in a row restarts. The
 * restart is a failure for the restart policy, announced with Nomad's
 * TaskRestartSignal event and reason. One watcher restarts at most once: the
 * restart deregisters the service and the next start watches afresh.
 */
import type { CheckRestartSpec } from '../../model/service.js';
import { newEvent, type TaskEvent } from '../../model/task-event.js';
import { errorMessage } from '../../model/errors.js';
import type { Logger } from '../../model/logger.js';
import type { WatchedStatus } from './check-runner.js';

/** What check_restart restarts: a task runner, or for group services the alloc's running tasks (Nomad's WorkloadRestarter). */
export interface WorkloadRestarter {
  restart(event: TaskEvent, failure: boolean): Promise<void>;
}

export interface CheckRestartOptions {
  readonly checkName: string;
  readonly policy: CheckRestartSpec;
  readonly restarter: WorkloadRestarter;
  /** Unix ms: the restart event's time. */
  readonly now: () => number;
  /** Milliseconds on a clock that never steps, for the grace (Nomad's watcher compares on Go's monotonic reading); `now` when absent. */
  readonly monotonic?: () => number;
  readonly logger: Logger;
}

export class CheckRestartWatcher {
  private readonly graceUntil: number;
  private unhealthy = 0;
  private fired = false;

  constructor(private readonly o: CheckRestartOptions) {
    this.graceUntil = (o.monotonic ?? o.now)() + o.policy.graceMs;
  }

  /** Counts one result; true when it restarted the workload. */
  observe(status: WatchedStatus): boolean {
    if (this.fired || this.o.policy.limit <= 0) return false;
    if (!isUnhealthy(status, this.o.policy.ignoreWarnings)) {
      this.unhealthy = 0;
      return false;
    }
    if ((this.o.monotonic ?? this.o.now)() < this.graceUntil) return false;
    this.unhealthy++;
    if (this.unhealthy < this.o.policy.limit) return false;
    this.fired = true;
    const event = newEvent('Restart Signaled', this.o.now(), { restartReason: `healthcheck: check ${JSON.stringify(this.o.checkName)} unhealthy` });
    // Asynchronous, as Nomad's asyncRestart: the restart stops this very check, which must not wait on itself.
    this.o.restarter.restart(event, true).catch((err: unknown) => this.o.logger.debug('failed to restart task', { error: errorMessage(err), check: this.o.checkName }));
    return true;
  }
}

function isUnhealthy(status: WatchedStatus, ignoreWarnings: boolean): boolean {
  switch (status) {
    case 'critical':
    case 'pending':
      return true;
    case 'warning':
      return !ignoreWarnings;
    case 'passing':
      return false;
  }
}
