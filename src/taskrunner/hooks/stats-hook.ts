/**
 * Samples the task's resource usage while it runs (Nomad's stats hook):
 * consumes the driver's taskStats stream from poststart until exit or stop,
 * pulling a sample after the first only while the sink wants one (task-stats.ts).
 */
import { ABORTED } from '../../model/errors.js';
import type { PoststartHook, PoststartRequest, ExitedHook, StopHook, StatsSink } from './types.js';
import type { Logger } from '../../model/logger.js';

export class StatsHook implements PoststartHook, ExitedHook, StopHook {
  readonly name = 'stats_hook';
  private sampling: AbortController | undefined;

  constructor(private readonly intervalMs: number, private readonly sink: StatsSink, private readonly logger: Logger) {}

  async poststart(req: PoststartRequest): Promise<void> {
    this.stopSampling();
    const ctrl = new AbortController();
    this.sampling = ctrl;
    const signal = AbortSignal.any([ctrl.signal, req.signal]);
    // Runs in the background; the runner does not wait for it.
    void (async () => {
      try {
        // A stream is pulled: while no one wants samples, the driver takes none.
        for await (const usage of req.running.driver.taskStats(req.running.taskId, this.intervalMs, { signal })) {
          this.sink.update(usage);
          if (!(await this.sink.wanted(signal))) break;
        }
      } catch (err) {
        if (!signal.aborted) this.logger.debug('stats stream ended', { error: String(err) });
      }
    })();
  }

  async exited(): Promise<void> {
    this.stopSampling();
  }

  async stop(): Promise<void> {
    this.stopSampling();
  }

  private stopSampling(): void {
    this.sampling?.abort(ABORTED);
    this.sampling = undefined;
  }
}
