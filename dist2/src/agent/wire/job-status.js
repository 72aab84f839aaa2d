import { toApiJob } from '../../model/nomad-api/job-to-api.js';
/** Nomad's job status: "dead" when stopped or done, "running" while an alloc runs, "pending" before any. */
export function jobStatus(job, allocs) {
    if (job.stop)
        return 'dead';
    if (allocs.length === 0)
        return 'pending';
    return allocs.some((a) => !a.terminal && (a.clientStatus === 'pending' || a.clientStatus === 'running')) ? 'running' : 'dead';
}
/** Per-group alloc counts (Nomad's JobSummary). */
export function jobSummary(job, allocs) {
    const summary = {};
    for (const g of job.job.groups)
        summary[g.name] = { Queued: 0, Complete: 0, Failed: 0, Running: 0, Starting: 0, Lost: 0, Unknown: 0 };
    for (const a of allocs) {
        const s = summary[a.group];
        if (!s)
            continue;
        if (a.clientStatus === 'pending')
            s.Starting++;
        else if (a.clientStatus === 'running')
            s.Running++;
        else if (a.clientStatus === 'complete')
            s.Complete++;
        else
            s.Failed++;
    }
    return { JobID: job.id, Namespace: job.job.namespace, Summary: summary, CreateIndex: job.createIndex, ModifyIndex: job.modifyIndex };
}
/** The full job JSON with the server-set fields. */
export function toApiJobWithStatus(job, allocs) {
    return toApiJob(job.job, {
        Stop: job.stop,
        Status: jobStatus(job, allocs),
        Version: job.version,
        submitTimeMs: job.submitTime,
        CreateIndex: job.createIndex,
        ModifyIndex: job.modifyIndex,
        JobModifyIndex: job.jobModifyIndex,
    });
}
/** GET /v1/jobs entry. */
export function toApiJobStub(job, allocs) {
    const j = job.job;
    return {
        ID: j.id,
        ParentID: '',
        Name: j.name,
        Namespace: j.namespace,
        Datacenters: [...j.datacenters],
        Type: j.type,
        Priority: j.priority,
        Periodic: false,
        ParameterizedJob: false,
        Stop: job.stop,
        Status: jobStatus(job, allocs),
        StatusDescription: '',
        JobSummary: jobSummary(job, allocs),
        CreateIndex: job.createIndex,
        ModifyIndex: job.modifyIndex,
        JobModifyIndex: job.jobModifyIndex,
        SubmitTime: job.submitTime * 1_000_000,
        ...(Object.keys(j.meta).length > 0 ? { Meta: { ...j.meta } } : {}),
    };
}
//# sourceMappingURL=job-status.js.map