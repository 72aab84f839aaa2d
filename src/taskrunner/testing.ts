/**
 * Test harness for task and alloc runners: builds jobs without HCL, runs them
 * against a real driver in a temp alloc dir, and records every event.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, Task, TaskGroup } from '../model/job.js';
import { DEFAULT_BATCH_RESTART, DEFAULT_LOGS, DEFAULT_RESOURCES, DEFAULT_SERVICE_RESTART } from '../model/job.js';
import type { TaskEvent } from '../model/task-event.js';
import { eventually } from '../model/testing/eventually.js';
import type { DriverPlugin } from '../drivers/types.js';
import { silentLogger } from '../model/logger.js';
import { MockDriver } from '../drivers/mock/driver.js';
import { AllocRunner, type AllocRunnerConfig } from './alloc-runner.js';
import type { AllocContext } from './task-runner.js';
import { MemoryStateStore } from './state-store.js';

/** A configured mock_driver: the task runner's test instrument. */
export async function mockDriver(pluginConfig: Record<string, unknown> = {}): Promise<MockDriver> {
  const d = new MockDriver({ logger: silentLogger, now: Date.now });
  await d.setConfig({ pluginConfig });
  return d;
}

export function makeTask(name: string, config: Record<string, unknown>, over: Partial<Task> = {}): Task {
  return {
    name,
    driver: 'mock_driver',
    config,
    env: {},
    meta: {},
    user: '',
    resources: DEFAULT_RESOURCES,
    killTimeoutMs: 1_000,
    killSignal: '',
    restart: { ...DEFAULT_SERVICE_RESTART, delayMs: 100 },
    leader: false,
    logs: DEFAULT_LOGS,
    artifacts: [],
    templates: [],
    shutdownDelayMs: 0,
    services: [],
    networks: [],
    ...over,
  };
}

export function makeJob(tasks: Task[], over: { type?: Job['type']; group?: Partial<TaskGroup> } = {}): Job {
  const type = over.type ?? 'service';
  const restart = type === 'service' ? DEFAULT_SERVICE_RESTART : DEFAULT_BATCH_RESTART;
  return {
    id: 'test',
    name: 'test',
    type,
    namespace: 'default',
    region: 'global',
    datacenters: ['dc1'],
    priority: 50,
    meta: {},
    groups: [{ name: 'g', count: 1, meta: {}, restart, shutdownDelayMs: 0, networks: [], services: [], tasks, ...over.group }],
  };
}

export interface RecordedEvent {
  readonly task: string;
  readonly event: TaskEvent;
  /** ms since the harness started. */
  readonly at: number;
}

/** An alloc runner on a temp dir that records events. */
export function allocHarness(
  job: Job,
  driver: DriverPlugin,
  opts: { random?: () => number; dir?: string } & Partial<Pick<AllocRunnerConfig, 'services' | 'checkClock' | 'store' | 'templates' | 'now' | 'monotonic'>> & Pick<AllocContext, 'network'> = {},
) {
  // A store and dir from an earlier harness: the same alloc restored by a new agent.
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'drover-alloc-'));
  const events: RecordedEvent[] = [];
  const t0 = performance.now();
  const runner = new AllocRunner({
    alloc: { id: '5d9b1b2a-0000-4000-8000-000000000001', index: 0, dir, job, group: job.groups[0] as TaskGroup, network: opts.network },
    services: opts.services,
    templates: opts.templates,
    checkClock: opts.checkClock,
    driver: (name) => (name === 'mock_driver' || name === 'raw_exec' ? driver : undefined),
    store: opts.store ?? new MemoryStateStore(),
    node: { id: 'node-1', name: 'node', datacenter: 'dc1', attributes: { 'attr.kernel.name': 'linux' } },
    validate: { userDenylist: [], checkedDrivers: [] },
    statsIntervalMs: 50,
    now: opts.now ?? Date.now,
    ...(opts.monotonic ? { monotonic: opts.monotonic } : {}),
    random: opts.random ?? (() => 0),
    logger: silentLogger,
    onTaskUpdate: (_a, task, _s, event) => {
      if (event) events.push({ task, event, at: performance.now() - t0 });
    },
  });
  const types = (task?: string): string[] => events.filter((e) => task === undefined || e.task === task).map((e) => e.event.type);
  const first = (task: string, type: string): RecordedEvent | undefined => events.find((e) => e.task === task && e.event.type === type);
  /** Waits until `pred` holds; the failure lists the events seen so far. */
  const waitFor = async (pred: () => boolean, timeoutMs = 10_000): Promise<void> => {
    await eventually(
      () => {
        assert.ok(pred(), `events so far: ${JSON.stringify(events.map((e) => `${e.task}:${e.event.type}`))}`);
        return true;
      },
      { timeoutMs, message: 'the alloc runner' },
    );
  };
  return { runner, events, types, first, waitFor, dir };
}
