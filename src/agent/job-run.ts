/**
 * Runs one job's allocations on this node: `count` allocations per group,
 * each in its own alloc dir, all supervised by alloc runners. Used by
 * `drover run` (foreground) and by the agent.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Job, TaskGroup } from '../model/job.js';
import type { TaskEvent } from '../model/task-event.js';
import { displayMessage } from '../model/task-event.js';
import type { TaskState } from '../model/task-state.js';
import type { DriverRegistry } from '../drivers/registry.js';
import type { Logger } from '../drivers/types.js';
import { AllocRunner, type AllocClientStatus } from '../taskrunner/alloc-runner.js';
import type { TaskStateStore } from '../taskrunner/state-store.js';
import { filterHostEnv } from '../taskrunner/task-env.js';
import type { NodeIdentity } from './node.js';

export interface AllocInfo {
  readonly id: string;
  readonly name: string;
  readonly index: number;
  readonly group: string;
  readonly dir: string;
}

export interface JobRunOptions {
  readonly job: Job;
  readonly dataDir: string;
  readonly drivers: DriverRegistry;
  readonly store: TaskStateStore;
  readonly node: NodeIdentity;
  readonly logger: Logger;
  readonly now: () => number;
  readonly random: () => number;
  readonly statsIntervalMs?: number;
  readonly onTaskEvent?: (alloc: AllocInfo, taskName: string, event: TaskEvent, state: Readonly<TaskState>) => void;
}

export interface AllocOutcome {
  readonly alloc: AllocInfo;
  readonly status: AllocClientStatus;
  /** For failed allocs: "task: last meaningful event". */
  readonly reasons: string[];
}

export class JobRun {
  readonly allocs: Array<{ info: AllocInfo; runner: AllocRunner }> = [];

  constructor(private readonly opts: JobRunOptions) {
    for (const group of opts.job.groups) {
      for (let index = 0; index < group.count; index++) this.allocs.push(this.newAlloc(group, index));
    }
  }

  private newAlloc(group: TaskGroup, index: number): { info: AllocInfo; runner: AllocRunner } {
    const o = this.opts;
    const id = randomUUID();
    const info: AllocInfo = { id, index, group: group.name, name: `${o.job.id}.${group.name}[${index}]`, dir: join(o.dataDir, 'alloc', id) };
    const runner = new AllocRunner({
      alloc: { id, index, dir: info.dir, job: o.job, group },
      driver: (name) => o.drivers.get(name),
      store: o.store,
      node: o.node,
      validate: { userDenylist: [], checkedDrivers: [] },
      hostEnv: filterHostEnv(process.env),
      statsIntervalMs: o.statsIntervalMs ?? 1_000,
      now: o.now,
      random: o.random,
      logger: o.logger,
      onTaskUpdate: (_allocId, taskName, state, event) => {
        if (event) o.onTaskEvent?.(info, taskName, event, state);
      },
    });
    return { info, runner };
  }

  /** Runs every allocation to its end and reports how each ended. */
  async run(): Promise<AllocOutcome[]> {
    await Promise.all(this.allocs.map((a) => a.runner.run()));
    return this.allocs.map(({ info, runner }) => ({ alloc: info, status: runner.clientStatus(), reasons: failureReasons(runner) }));
  }

  /** Stops every allocation gracefully (kill_signal, kill_timeout, then force). */
  async stop(): Promise<void> {
    await Promise.all(this.allocs.map((a) => a.runner.kill()));
  }
}

/** The events that explain a failed task, newest last. */
function failureReasons(runner: AllocRunner): string[] {
  const reasons: string[] = [];
  for (const [name, s] of runner.states()) {
    if (!s.failed) continue;
    const telling = [...s.events].reverse().find((e) => e.type !== 'Not Restarting' && e.type !== 'Killed' && e.type !== 'Killing');
    const last = s.events[s.events.length - 1];
    const parts = [last ? `${last.type}: ${displayMessage(last)}` : 'failed'];
    if (telling && telling !== last) parts.push(`after ${telling.type}: ${displayMessage(telling)}`);
    reasons.push(`task "${name}" ${parts.join(', ')}`);
  }
  return reasons;
}
