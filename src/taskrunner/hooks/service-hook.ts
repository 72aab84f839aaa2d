/**
 * task_services (Nomad's taskrunner/service_hook.go, with its script check
 * hook): once the task runs, registers the task's native ("nomad") services
 * and starts their checks, plus the script checks of group services that run
 * in this task. Before a kill or restart (PreKill), when the task exits, and
 * at Stop it deregisters and stops the checks — once, however many of those
 * come. An in-place update re-registers with the new task.
 */
import type { Task, TaskGroup } from '../../model/job.js';
import type { AllocatedNetwork } from '../../model/network.js';
import type { ServiceSpec } from '../../model/service.js';
import type { Logger } from '../../model/logger.js';
import type { DriverNetwork } from '../../drivers/types.js';
import { envLookup, type NodeFacts } from '../task-env.js';
import type { ServiceRegistrationHandler } from '../services/types.js';
import { interpolateService } from '../services/interpolate.js';
import { buildRegistrations, nomadServices, type WorkloadInfo } from '../services/registrations.js';
import { WorkloadChecks, type WorkloadChecksConfig } from '../checks/workload-checks.js';
import type { ScriptExec } from '../checks/script-check.js';
import type { ExitedHook, PoststartHook, PoststartRequest, PreKillHook, StopHook, UpdateHook, UpdateRequest } from './types.js';

export interface ServiceHookConfig {
  readonly allocId: string;
  readonly jobId: string;
  readonly namespace: string;
  readonly group: TaskGroup;
  readonly task: Task;
  readonly node: NodeFacts & { readonly id: string };
  /** Read when the services register: bridge mode fills in the allocation's address in prerun. */
  readonly network?: () => AllocatedNetwork | undefined;
  readonly handler: ServiceRegistrationHandler;
  /** Runs the checks; its restarter is the task runner. */
  readonly checks: Omit<WorkloadChecksConfig, 'task' | 'group'>;
  readonly logger: Logger;
}

/** What the hook keeps from poststart for later re-registration. */
interface Running {
  readonly env: Readonly<Record<string, string>>;
  readonly script: ScriptExec;
  readonly driverNetwork?: DriverNetwork;
}

export class ServiceHook implements PoststartHook, PreKillHook, ExitedHook, StopHook, UpdateHook {
  readonly name = 'task_services';
  private task: Task;
  private running: Running | undefined;
  /** Checks run or registrations exist: a deregister has work to do. */
  private active = false;
  /** The handler holds registrations of this task. */
  private hasRegistrations = false;
  private readonly checks: WorkloadChecks;
  /** Update runs concurrently with the other phases; every phase goes through this chain (Nomad's mutex). */
  private serial: Promise<void> = Promise.resolve();

  constructor(private readonly cfg: ServiceHookConfig) {
    this.task = cfg.task;
    this.checks = new WorkloadChecks({ ...cfg.checks, task: cfg.task.name, group: cfg.group.name });
  }

  poststart(req: PoststartRequest): Promise<void> {
    return this.locked(async () => {
      this.task = req.task;
      this.running = { env: req.env, script: { taskId: req.running.taskId, driver: req.running.driver }, driverNetwork: req.running.network };
      await this.register(this.running);
    });
  }

  update(req: UpdateRequest): Promise<void> {
    return this.locked(async () => {
      this.task = req.task;
      // Before the first registration (or after deregistering) there is nothing to update; poststart will use the new task.
      if (this.running && this.active) await this.register({ ...this.running, env: req.env });
    });
  }

  preKilling(): Promise<void> {
    return this.locked(() => this.deregister());
  }

  exited(): Promise<void> {
    return this.locked(() => this.deregister());
  }

  stop(): Promise<void> {
    return this.locked(() => this.deregister());
  }

  private async register(r: Running): Promise<void> {
    const lookup = envLookup(r.env, this.cfg.node);
    const services = nomadServices(this.task.services).map((s) => interpolateService(s, lookup));
    // Group services whose script checks run in this task (Nomad's scriptCheckHook.associated).
    const groupScripts = nomadServices(this.cfg.group.services)
      .map((s) => interpolateService(s, lookup))
      .filter((s) => s.checks.some((c) => this.runsHere(c.taskName, s)));
    const workload: WorkloadInfo = {
      allocId: this.cfg.allocId,
      jobId: this.cfg.jobId,
      namespace: this.cfg.namespace,
      nodeId: this.cfg.node.id,
      datacenter: this.cfg.node.datacenter,
      workload: this.task.name,
      network: this.cfg.network?.(),
      taskPorts: this.cfg.network?.()?.taskPorts?.[this.task.name],
      driverNetwork: r.driverNetwork,
    };
    if (services.length > 0) {
      this.cfg.handler.registerWorkload(this.cfg.allocId, this.task.name, buildRegistrations(services, workload));
      this.hasRegistrations = true;
    } else if (this.hasRegistrations) {
      // An update took the last service away.
      this.cfg.handler.removeWorkload(this.cfg.allocId, this.task.name);
      this.hasRegistrations = false;
    }
    this.active = true;
    const targets = { network: workload.network, taskPorts: workload.taskPorts, driverNetwork: r.driverNetwork, script: r.script };
    await this.checks.start([...services, ...groupScripts], (c, s) => !groupScripts.includes(s) || (c.type === 'script' && this.runsHere(c.taskName, s)), targets);
  }

  private async deregister(): Promise<void> {
    if (!this.active) return;
    this.active = false;
    await this.checks.stop();
    if (this.hasRegistrations) this.cfg.handler.removeWorkload(this.cfg.allocId, this.task.name);
    this.hasRegistrations = false;
  }

  /** A group check runs in this task when it names it, or when its service does and it names none. */
  private runsHere(checkTask: string, service: ServiceSpec): boolean {
    return checkTask === this.task.name || (checkTask === '' && service.taskName === this.task.name);
  }

  private locked(fn: () => Promise<void>): Promise<void> {
    const next = this.serial.then(fn);
    this.serial = next.catch(() => undefined);
    return next;
  }
}
