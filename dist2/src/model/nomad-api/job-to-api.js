const NS_PER_MS = 1_000_000;
/** Converts a job; `status` adds the fields the agent sets (omitted for /v1/jobs/parse). */
export function toApiJob(job, status) {
    const out = {
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
function toApiGroup(g) {
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
function toApiTask(t) {
    return {
        Name: t.name,
        Driver: t.driver,
        User: t.user,
        Lifecycle: t.lifecycle ? { Hook: t.lifecycle.hook, Sidecar: t.lifecycle.sidecar } : null,
        Config: structuredClone(t.config),
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
function toApiRestart(r) {
    return {
        Interval: r.intervalMs * NS_PER_MS,
        Attempts: r.attempts,
        Delay: r.delayMs * NS_PER_MS,
        Mode: r.mode,
        RenderTemplates: r.renderTemplates ?? false,
    };
}
//# sourceMappingURL=job-to-api.js.map