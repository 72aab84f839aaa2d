/**
 * Test aids for services and checks: service and check blocks without HCL,
 * clocks tests drive, and in-memory recorders for the registration handler
 * and the check result sink (the agent's registry stands in for them in
 * production). Imported by tests only.
 */
import type { CheckSpec, ServiceSpec } from '../../model/service.js';
import type { CheckResult, CheckResultSink, ServiceRegistration, ServiceRegistrationHandler } from '../services/types.js';
import type { CheckClock } from './types.js';

export function makeCheck(over: Partial<CheckSpec> = {}): CheckSpec {
  return {
    name: 'c',
    type: 'http',
    path: '/',
    method: 'GET',
    headers: {},
    body: '',
    protocol: 'http',
    portLabel: '',
    addressMode: 'auto',
    intervalMs: 10_000,
    timeoutMs: 2_000,
    initialStatus: '',
    successBeforePassing: 0,
    failuresBeforeCritical: 0,
    failuresBeforeWarning: 0,
    command: '',
    args: [],
    taskName: '',
    grpcService: '',
    grpcUseTls: false,
    tlsSkipVerify: false,
    tlsServerName: '',
    expose: false,
    notes: '',
    onUpdate: 'require_healthy',
    ...over,
  };
}

export function makeService(over: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    name: 'web',
    portLabel: '',
    tags: [],
    canaryTags: [],
    meta: {},
    canaryMeta: {},
    addressMode: 'auto',
    address: '',
    provider: 'nomad',
    taskName: '',
    enableTagOverride: false,
    onUpdate: 'require_healthy',
    connect: false,
    checks: [],
    ...over,
  };
}

/** A clock that only moves when the test says so. */
export class ManualClock implements CheckClock {
  private sleepers: Array<{ at: number; wake: (elapsed: boolean) => void }> = [];
  constructor(private t = 1_700_000_000_000) {}

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const entry = {
        at: this.t + ms,
        wake: (elapsed: boolean): void => {
          signal.removeEventListener('abort', onAbort);
          this.sleepers = this.sleepers.filter((s) => s !== entry);
          resolve(elapsed);
        },
      };
      const onAbort = (): void => entry.wake(false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(entry);
    });
  }

  /** Sleepers currently waiting (to wait until the code under test is parked). */
  get waiting(): number {
    return this.sleepers.length;
  }

  /** Moves time on and wakes every sleeper that is due. */
  advance(ms: number): void {
    this.t += ms;
    for (const s of [...this.sleepers]) if (s.at <= this.t) s.wake(true);
  }
}

/** A clock whose every sleep passes at once (on the next turn), moving time by the amount slept. */
export class SteppingClock implements CheckClock {
  constructor(private t = 1_700_000_000_000) {}
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) =>
      setImmediate(() => {
        if (!signal.aborted) this.t += Math.max(0, ms);
        resolve(!signal.aborted);
      }),
    );
  }
}

/** Every check result put, in order, and the purges. */
export class RecordingSink implements CheckResultSink {
  readonly results: CheckResult[] = [];
  readonly purged: string[] = [];
  put(result: CheckResult): void {
    this.results.push(result);
  }
  purge(allocId: string): void {
    this.purged.push(allocId);
  }
  /** Statuses of one check (by check name), in order. */
  statuses(check?: string): string[] {
    return this.results.filter((r) => check === undefined || r.check === check).map((r) => r.status);
  }
}

/** The registrations a handler holds now, plus a log of calls. */
export class RecordingHandler implements ServiceRegistrationHandler {
  readonly workloads = new Map<string, readonly ServiceRegistration[]>();
  readonly calls: string[] = [];
  registerWorkload(allocId: string, workload: string, registrations: readonly ServiceRegistration[]): void {
    this.calls.push(`register ${workload}`);
    this.workloads.set(`${allocId}/${workload}`, registrations);
  }
  removeWorkload(allocId: string, workload: string): void {
    this.calls.push(`remove ${workload}`);
    this.workloads.delete(`${allocId}/${workload}`);
  }
  /** Every registration held, across workloads. */
  all(): ServiceRegistration[] {
    return [...this.workloads.values()].flat();
  }
}
