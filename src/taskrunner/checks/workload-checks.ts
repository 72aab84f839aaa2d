/**
 * Runs the checks of one workload's services (a task's, or an allocation's
 * group services) and, for those with check_restart, the watcher that
 * restarts the workload. start() replaces whatever ran before; stop() ends
 * every loop and resolves once none can report any more.
 */
import type { CheckSpec, ServiceSpec } from '../../model/service.js';
import type { Logger } from '../../model/logger.js';
import type { CheckResultSink } from '../services/types.js';
import { nomadCheckId } from './check-id.js';
import { runCheck } from './check-runner.js';
import { CheckRestartWatcher, type WorkloadRestarter } from './check-restart.js';
import { checkExecutor, type CheckTargets } from './executor.js';
import type { CheckClock } from './types.js';

export interface WorkloadChecksConfig {
  readonly allocId: string;
  /** "<job>.<group>[<index>]": what Nomad's check results call the group. */
  readonly allocName: string;
  /** The task group's name (part of the check id). */
  readonly group: string;
  /** The task for task services; "" for group services. */
  readonly task: string;
  readonly clock: CheckClock;
  readonly sink: CheckResultSink;
  /** What check_restart restarts; without it check_restart is ignored. */
  readonly restarter?: WorkloadRestarter;
  readonly logger: Logger;
}

/** Which checks of which service this workload runs. */
export type CheckFilter = (check: CheckSpec, service: ServiceSpec) => boolean;

export class WorkloadChecks {
  private ctrl = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(private readonly cfg: WorkloadChecksConfig) {}

  /** Starts a loop per selected check of `services` (already interpolated), after stopping the previous ones. */
  async start(services: readonly ServiceSpec[], filter: CheckFilter, targets: CheckTargets): Promise<void> {
    await this.stop();
    const { cfg } = this;
    const signal = this.ctrl.signal;
    for (const service of services) {
      for (const check of service.checks) {
        if (!filter(check, service)) continue;
        const executor = checkExecutor(check, service, targets);
        if (!executor) continue;
        const mode = check.onUpdate === 'ignore' ? 'readiness' : 'healthiness';
        // Nomad refuses check_restart on readiness checks (on_update = "ignore"); drover just does not watch them.
        const watcher =
          cfg.restarter && check.checkRestart && check.checkRestart.limit > 0 && mode === 'healthiness'
            ? new CheckRestartWatcher({
                checkName: check.name,
                policy: check.checkRestart,
                restarter: cfg.restarter,
                now: () => cfg.clock.now(),
                monotonic: () => cfg.clock.monotonic?.() ?? cfg.clock.now(),
                logger: cfg.logger,
              })
            : undefined;
        this.loops.push(
          runCheck({
            identity: {
              id: nomadCheckId(cfg.allocId, cfg.group, check),
              mode,
              allocId: cfg.allocId,
              group: cfg.allocName,
              task: cfg.task,
              service: service.name,
              check: check.name,
            },
            spec: check,
            executor,
            // Script checks run at once (Nomad's tasklet); native ones after half an interval (its checks_hook observer).
            firstDelayMs: check.type === 'script' ? 0 : Math.floor(check.intervalMs / 2),
            clock: cfg.clock,
            sink: cfg.sink,
            onStatus: watcher && ((s) => void watcher.observe(s)),
            signal,
          }),
        );
      }
    }
  }

  /** Stops every loop; resolves when they have all returned. */
  async stop(): Promise<void> {
    this.ctrl.abort();
    const loops = this.loops;
    this.loops = [];
    this.ctrl = new AbortController();
    await Promise.all(loops);
  }
}
