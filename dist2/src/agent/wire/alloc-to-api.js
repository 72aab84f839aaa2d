import { toApiJob } from '../../model/nomad-api/job-to-api.js';
import { toApiTaskState } from './task-state-to-api.js';
const NS_PER_MS = 1_000_000;
function common(v, node) {
    const r = v.record;
    const TaskStates = {};
    for (const [name, s] of v.states)
        TaskStates[name] = toApiTaskState(s);
    return {
        ID: r.id,
        // drover has no evaluations; a stable stand-in keeps Nomad clients' parsing happy.
        EvalID: r.id,
        Name: r.name,
        Namespace: v.job.namespace,
        NodeID: node.id,
        NodeName: node.name,
        JobID: r.jobId,
        TaskGroup: r.group,
        DesiredStatus: r.desiredStatus,
        DesiredDescription: r.desiredDescription,
        ClientStatus: r.clientStatus,
        ClientDescription: r.clientDescription,
        TaskStates,
        FollowupEvalID: '',
        NextAllocation: '',
        PreemptedAllocations: null,
        PreemptedByAllocation: '',
        CreateIndex: r.createIndex,
        ModifyIndex: r.modifyIndex,
        CreateTime: r.createTime * NS_PER_MS,
        ModifyTime: r.modifyTime * NS_PER_MS,
    };
}
export function toApiAllocStub(v, node) {
    return { ...common(v, node), JobType: v.job.type, JobVersion: v.record.jobVersion };
}
export function toApiAllocation(v, node) {
    return {
        ...common(v, node),
        Job: toApiJob(v.job),
        JobVersion: v.record.jobVersion,
        PreviousAllocation: '',
        AllocModifyIndex: v.record.modifyIndex,
    };
}
//# sourceMappingURL=alloc-to-api.js.map