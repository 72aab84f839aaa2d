import { toApiAllocStub } from '../wire/alloc-to-api.js';
import { toApiJobWithStatus } from '../wire/job-status.js';
/** An Allocation-topic event keyed by alloc id, filterable by job id (as Nomad). */
export function allocEvent(agent, record, type, _task) {
    return {
        topic: 'Allocation',
        type,
        key: record.id,
        namespace: 'default',
        filterKeys: [record.jobId],
        payload: () => {
            const view = agent.alloc(record.id);
            return { Allocation: view ? toApiAllocStub(view, agent.node) : { ID: record.id, JobID: record.jobId } };
        },
    };
}
/** A Job-topic event; the payload is taken now because a purge may delete the job before anyone reads it. */
export function jobEvent(agent, jobId, type, deleted = false) {
    const job = agent.db.job(jobId);
    const allocs = agent.db.allocsByJob(jobId);
    return {
        topic: 'Job',
        type,
        key: jobId,
        namespace: job?.job.namespace ?? 'default',
        filterKeys: [],
        payload: () => ({ Job: job ? toApiJobWithStatus(job, allocs) : { ID: jobId }, ...(deleted ? { Deleted: true } : {}) }),
    };
}
//# sourceMappingURL=publish.js.map