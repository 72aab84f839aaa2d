import { formatList, formatTimeNs, limit, prettyTimeDiff, SHORT_ID } from './tables.js';
/** "ID  Node ID  Task Group  Version  Desired  Status  Created  Modified", newest first; -verbose adds Eval ID and Node Name with full ids and absolute times. */
export function allocListTable(stubs, opts = {}) {
    if (stubs.length === 0)
        return 'No allocations placed';
    const sorted = [...stubs].sort((a, b) => b.CreateIndex - a.CreateIndex || b.CreateTime - a.CreateTime || a.Name.localeCompare(b.Name));
    const now = opts.now ?? Date.now();
    if (opts.verbose) {
        return formatList([
            ['ID', 'Eval ID', 'Node ID', 'Node Name', 'Task Group', 'Version', 'Desired', 'Status', 'Created', 'Modified'],
            ...sorted.map((a) => [a.ID, a.EvalID, a.NodeID, a.NodeName, a.TaskGroup, a.JobVersion, a.DesiredStatus, a.ClientStatus, formatTimeNs(a.CreateTime), formatTimeNs(a.ModifyTime)]),
        ]);
    }
    return formatList([
        ['ID', 'Node ID', 'Task Group', 'Version', 'Desired', 'Status', 'Created', 'Modified'],
        ...sorted.map((a) => [
            limit(a.ID, SHORT_ID),
            limit(a.NodeID, SHORT_ID),
            a.TaskGroup,
            a.JobVersion,
            a.DesiredStatus,
            a.ClientStatus,
            prettyTimeDiff(a.CreateTime, now),
            prettyTimeDiff(a.ModifyTime, now),
        ]),
    ]);
}
/** Nomad's getStatusString: "dead (stopped)" for a stopped job. */
export function jobStatusString(status, stop) {
    return stop ? `${status} (stopped)` : status;
}
/** "ID  Type  Priority  Status  Submit Date" (Nomad's createStatusListOutput). */
export function jobListTable(jobs) {
    return formatList([
        ['ID', 'Type', 'Priority', 'Status', 'Submit Date'],
        ...jobs.map((j) => [
            j.ID,
            j.Type + (j.Periodic ? '/periodic' : '') + (j.ParameterizedJob ? '/parameterized' : ''),
            j.Priority,
            jobStatusString(j.Status, j.Stop),
            formatTimeNs(j.SubmitTime),
        ]),
    ]);
}
//# sourceMappingURL=listings.js.map