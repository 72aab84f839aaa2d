/**
 * group_services (Nomad's allocrunner group_service_hook.go and, for the
 * native provider, checks_hook.go): before any task starts, registers the
 * group's "nomad" services and starts their http/tcp/grpc checks (script
 * checks run in their task, see hooks/service-hook.ts). PreKill deregisters
 * and then waits the group's shutdown_delay so clients stop sending before the
 * tasks are killed; Postrun deregisters if that never happened and forgets
 * the alloc's check results.
 *
 * Nomad purges check results at PreKill; drover waits for Postrun, when the
 * task checks have stopped too, so no result lands after the purge.
 */
import type { Job, TaskGroup } from '../../model/job.js';
import type { AllocatedNetwork } from '../../model/network.js';
import type { Logger } from '../../model/logger.js';
import type { TaskEvent } from '../../model/task-event.js';
import type { NodeFacts } from '../task-env.js';
import type { CheckResultSink, ServiceRegistrationHandler } from '../services/types.js';
import { interpolateService } from '../services/interpolate.js';
import { buildRegistrations, groupWorkload, nomadServices } from '../services/registrations.js';
import { allocEnvLookup, allocName } from '../services/alloc-env.js';
import { WorkloadChecks } from '../checks/workload-checks.js';
import type { WorkloadRestarter } from '../checks/check-restart.js';
import type { CheckClock } from '../checks/types.js';
import type { AllocPostrunHook, AllocPreKillHook, AllocPrerunHook } from './types.js';

export interface GroupServiceHookConfig {
  readonly allocId: string;
  readonly allocIndex: number;
  readonly job: Job;
  readonly group: TaskGroup;
  readonly node: NodeFacts & { readonly id: string };
  /** Read at prerun, after the network hook filled in the allocation's address. */
  readonly network?: () => AllocatedNetwork | undefined;
  /** Where registrations and check results go; without it only the shutdown_delay applies. */
  readonly registry?: { readonly handler: ServiceRegistrationHandler; readonly sink: CheckResultSink };
  /** Restarts the alloc's running tasks (check_restart on a group check). */
  readonly restartTasks: WorkloadRestarter;
  readonly clock: CheckClock;
  readonly logger: Logger;
}

export class GroupServiceHook implements AllocPrerunHook, AllocPreKillHook, AllocPostrunHook {
  readonly name = 'group_services';
  private readonly checks: WorkloadChecks;
  private readonly workload: string;
  /** Nothing registered and the shutdown_delay already waited (or not yet due: prerun never ran). */
  private deregistered = true;
  private registered = false;

  constructor(private readonly cfg: GroupServiceHookConfig) {
    this.workload = groupWorkload(cfg.group.name);
    const sink = cfg.registry?.sink ?? { put: () => undefined, purge: () => undefined };
    this.checks = new WorkloadChecks({
      allocId: cfg.allocId,
      allocName: allocName(cfg.job.id, cfg.group.name, cfg.allocIndex),
      group: cfg.group.name,
      task: '',
      clock: cfg.clock,
      sink,
      // After the tasks restart, register again so the checks (and their check_restart grace) start afresh, as Nomad's PreTaskRestart does.
      restarter: {
        restart: async (event: TaskEvent, failure: boolean) => {
          await cfg.restartTasks.restart(event, failure);
          await this.prerun();
        },
      },
      logger: cfg.logger,
    });
  }

  async prerun(): Promise<void> {
    // As Nomad, the group's shutdown_delay applies whether or not it has services.
    this.deregistered = false;
    const registry = this.cfg.registry;
    const services = nomadServices(this.cfg.group.services).map((s) => interpolateService(s, allocEnvLookup({ ...this.cfg, network: this.cfg.network?.() })));
    if (!registry || services.length === 0) return;
    const registrations = buildRegistrations(services, {
      allocId: this.cfg.allocId,
      jobId: this.cfg.job.id,
      namespace: this.cfg.job.namespace,
      nodeId: this.cfg.node.id,
      datacenter: this.cfg.node.datacenter,
      workload: this.workload,
      network: this.cfg.network?.(),
    });
    registry.handler.registerWorkload(this.cfg.allocId, this.workload, registrations);
    this.registered = true;
    await this.checks.start(services, (c) => c.type !== 'script', { network: this.cfg.network?.() });
  }

  async preKill(req: { readonly signal: AbortSignal }): Promise<void> {
    // Deregistered already: the delay was waited (or there is nothing to drain).
    if (this.deregistered) return;
    await this.deregister();
    const delay = this.cfg.group.shutdownDelayMs;
    if (delay > 0) {
      this.cfg.logger.debug('delay before killing tasks', { group: this.cfg.group.name, shutdown_delay_ms: delay });
      await this.cfg.clock.sleep(delay, req.signal);
    }
  }

  async postrun(): Promise<void> {
    await this.deregister();
    this.cfg.registry?.sink.purge(this.cfg.allocId);
  }

  private async deregister(): Promise<void> {
    if (this.deregistered) return;
    this.deregistered = true;
    await this.checks.stop();
    if (this.registered) this.cfg.registry?.handler.removeWorkload(this.cfg.allocId, this.workload);
    this.registered = false;
  }
}
