/**
 * The built-in task hooks in the order they run (Nomad's initHooks):
 * validate → task_dir → identity → env → logmon → dispatch_payload → volumes → artifacts → template → stats_hook → api.
 */
import type { Job, Task, TaskGroup } from '../../model/job.js';
import type { AllocatedNetwork } from '../../model/network.js';
import type { FSIsolation } from '../../drivers/types.js';
import type { Logger } from '../../model/logger.js';
import type { NodeFacts } from '../task-env.js';
import { ValidateHook, type ValidateHookConfig } from './validate-hook.js';
import { TaskDirHook } from './task-dir-hook.js';
import { EnvHook } from './env-hook.js';
import { LogsHook } from './logs-hook.js';
import { ArtifactHook, type ArtifactSettings } from './artifact-hook.js';
import { StatsHook } from './stats-hook.js';
import { TemplateHook, type TemplateSettings } from './template-hook/template-hook.js';
import type { TemplateLifecycle } from './template-hook/lifecycle.js';
import { IdentityHook, type IdentityLifecycle, type WorkloadIdentitySigner } from './identity-hook.js';
import { ApiHook, type TaskApiListener } from './api-hook.js';
import { DispatchHook } from './dispatch-hook.js';
import { VolumeHook } from './volume-hook.js';
import type { HostVolumeConfig } from '../../model/volume.js';
import type { EventEmitter, StatsSink, TaskHook } from './types.js';

export interface BuiltinHookDeps {
  readonly job: Job;
  readonly group: TaskGroup;
  readonly task: Task;
  readonly allocId: string;
  readonly allocIndex: number;
  readonly allocDir: string;
  readonly logDir: string;
  readonly node: NodeFacts;
  readonly fsIsolation: FSIsolation;
  /** Whether the task's driver takes mounts (its capabilities' mountConfigs); 'all' when absent. */
  readonly driverMounts?: 'all' | 'none';
  /** The node's host volumes (client host_volume blocks); none when absent. */
  readonly hostVolumes?: Readonly<Record<string, HostVolumeConfig>>;
  /** The agent's filtered environment (filterHostEnv). */
  readonly hostEnv?: Readonly<Record<string, string>>;
  readonly validate: ValidateHookConfig;
  readonly statsIntervalMs: number;
  readonly events: EventEmitter;
  readonly stats: StatsSink;
  readonly logger: Logger;
  readonly now: () => number;
  /** The allocation's ports and network, when it has any. */
  readonly network?: () => AllocatedNetwork | undefined;
  /** Client artifact settings; Nomad's defaults when absent. */
  readonly artifacts?: ArtifactSettings;
  /** Template sources, engine and client settings (the agent's); Nomad's defaults and no sources when absent. */
  readonly templates?: TemplateSettings;
  /** What the template hook may do to its task; the template hook is added only with it and only for tasks with templates. */
  readonly lifecycle?: TemplateLifecycle;
  readonly random?: () => number;
  /** Signs the task's workload identities; without it identity blocks give the task nothing. */
  readonly identity?: { readonly signer: WorkloadIdentitySigner; readonly lifecycle: IdentityLifecycle; readonly minRenewWaitMs?: number };
  /** Serves the task API socket (secrets/api.sock); none when absent. */
  readonly taskApi?: TaskApiListener;
}

/** The hooks for one task, plus the logs hook the runner asks for log targets. */
export function builtinHooks(d: BuiltinHookDeps): { hooks: TaskHook[]; logs: LogsHook } {
  const logs = new LogsHook(d.logDir, d.task.name, d.task.logs);
  const hooks: TaskHook[] = [
    new ValidateHook(d.validate),
    new TaskDirHook(d.events, d.now),
    ...(d.identity && (d.task.identity || d.task.identities)
      ? [
          new IdentityHook({
            signer: d.identity.signer,
            job: d.job,
            group: d.group,
            allocId: d.allocId,
            fsIsolation: d.fsIsolation,
            lifecycle: d.identity.lifecycle,
            logger: d.logger,
            now: d.now,
            ...(d.identity.minRenewWaitMs === undefined ? {} : { minRenewWaitMs: d.identity.minRenewWaitMs }),
          }),
        ]
      : []),
    new EnvHook({
      job: d.job,
      group: d.group,
      allocId: d.allocId,
      allocIndex: d.allocIndex,
      allocDir: d.allocDir,
      node: d.node,
      fsIsolation: d.fsIsolation,
      hostEnv: d.hostEnv,
      network: d.network,
    }),
    logs,
    ...(d.job.payload && d.task.dispatchPayload ? [new DispatchHook(d.job.payload)] : []),
    // Nomad adds the volume hook for every task; drover only where the group has volumes, so other tasks run as before.
    ...((d.group.volumes?.length ?? 0) > 0
      ? [new VolumeHook({ group: d.group, task: d.task, allocIndex: d.allocIndex, hostVolumes: d.hostVolumes ?? {}, driverMounts: d.driverMounts ?? 'all', node: d.node })]
      : []),
    new ArtifactHook({ ...d.artifacts, events: d.events, now: d.now, node: d.node }),
  ];
  // Nomad adds the template hook only for tasks that have templates; it runs after artifacts (a source may be one).
  if (d.task.templates.length > 0 && d.lifecycle) {
    hooks.push(
      new TemplateHook({
        ...d.templates,
        sources: typeof d.templates?.sources === 'function'
          ? d.templates.sources({ namespace: d.job.namespace, jobId: d.job.id, group: d.group.name, task: d.task.name })
          : d.templates?.sources,
        lifecycle: d.lifecycle,
        events: d.events,
        node: d.node,
        namespace: d.job.namespace,
        region: d.job.region,
        now: d.now,
        random: d.random ?? Math.random,
        logger: d.logger.named('template'),
      }),
    );
  }
  hooks.push(new StatsHook(d.statsIntervalMs, d.stats, d.logger), ...(d.taskApi ? [new ApiHook(d.taskApi, d.logger)] : []));
  return { hooks, logs };
}
