/**
 * denied_host_uids / denied_host_gids (Nomad's drivers/shared/validators):
 * the task's user, resolved on the host, must not map to a denied uid or
 * belong to a denied gid. The id-list syntax is parsed by raw_exec's
 * parseIdRanges (both drivers share Nomad's validator).
 */
import { taskUser } from '../../executor/isolation/index.js';
/** Nomad's HasValidIDs; returns the resolved user. */
export function checkHostIds(user, denied, files) {
    let u;
    try {
        u = taskUser(user, files);
    }
    catch (err) {
        throw new Error(`failed host user validation: ${err.message}`);
    }
    if (denied.uids.contains(u.uid))
        throw new Error(`failed host user validation: running as uid ${u.uid} is disallowed`);
    const gid = u.groups.find((g) => denied.gids.contains(g));
    if (gid !== undefined)
        throw new Error(`failed host user validation: running as gid ${gid} is disallowed`);
    return u;
}
//# sourceMappingURL=host-ids.js.map