/** drover's Job → Nomad's api.Job JSON (durations in ns, PascalCase), as GET /v1/job/:id and /v1/jobs/parse return it. */
import type { Job, RestartPolicy, Task, TaskGroup } from '../../model/job.js';
import type { ApiJob, ApiRestartPolicy, ApiTask, ApiTaskGroup } from '../../model/nomad-api/index.js';

const NS_PER_MS = 1_000_000;

/** The server-set fields of a stored job. */
export interface JobStatusFields {
  readonly Stop: boolean;
  readonly Status: string;
  readonly Version: number;
  /** Unix ms (converted to ns). */
  readonly submitTimeMs: number;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
  readonly JobModifyIndex: number;
}

/** Converts a job; `status` adds the fields the agent sets (omitted for /v1/jobs/parse). */
export function toApiJob(job: Job, status?: JobStatusFields): ApiJob {
  const out: ApiJob = {
    Region: job.region,
    Namespace: job.namespace,
    ID: job.id,
    Name: job.name,
    Type: job.type,
    Priority: job.priority,
    Datacenters: [...job.datacenters],
    TaskGroups: job.groups.map(toApiGroup),
    Meta: { ...job.meta },
  };
  if (status) {
    Object.assign(out, {
      Stop: status.Stop,
      Status: status.Status,
      StatusDescription: '',
      Stable: false,
      Version: status.Version,
      SubmitTime: status.submitTimeMs * NS_PER_MS,
      CreateIndex: status.CreateIndex,
      ModifyIndex: status.ModifyIndex,
      JobModifyIndex: status.JobModifyIndex,
    });
  }
  return out;
}

function toApiGroup(g: TaskGroup): ApiTaskGroup {
  return {
    Name: g.name,
    Count: g.count,
    Tasks: g.tasks.map(toApiTask),
    RestartPolicy: toApiRestart(g.restart),
    Meta: { ...g.meta },
    ShutdownDelay: g.shutdownDelayMs * NS_PER_MS,
    // Only when the job set it, so a job without ephemeral_disk reads back without one.
    ...(g.ephemeralDiskMb === undefined ? {} : { EphemeralDisk: { Size: g.ephemeralDiskMb } }),
  };
}

function toApiTask(t: Task): ApiTask {
  return {
    Name: t.name,
    Driver: t.driver,
    User: t.user,
    Lifecycle: t.lifecycle ? { Hook: t.lifecycle.hook, Sidecar: t.lifecycle.sidecar } : null,
    Config: structuredClone(t.config) as Record<string, unknown>,
    Env: { ...t.env },
    Resources: { CPU: t.resources.cpu, Cores: t.resources.cores, MemoryMB: t.resources.memoryMb, MemoryMaxMB: t.resources.memoryMaxMb },
    RestartPolicy: toApiRestart(t.restart),
    Meta: { ...t.meta },
    KillTimeout: t.killTimeoutMs * NS_PER_MS,
    LogConfig: { MaxFiles: t.logs.maxFiles, MaxFileSizeMB: t.logs.maxFileSizeMb, Disabled: t.logs.disabled, Enabled: !t.logs.disabled },
    Artifacts: t.artifacts.map((a) => ({
      GetterSource: a.source,
      GetterOptions: { ...a.options },
      GetterHeaders: { ...a.headers },
      GetterMode: a.mode,
      RelativeDest: a.destination,
    })),
    Leader: t.leader,
    ShutdownDelay: t.shutdownDelayMs * NS_PER_MS,
    KillSignal: t.killSignal,
  };
}

function toApiRestart(r: RestartPolicy): ApiRestartPolicy {
  return {
    Interval: r.intervalMs * NS_PER_MS,
    Attempts: r.attempts,
    Delay: r.delayMs * NS_PER_MS,
    Mode: r.mode,
    RenderTemplates: r.renderTemplates ?? false,
  };
}
