/**
 * Task dir permissions for a task that does not run as root (Nomad's
 * TaskDir.Build: local/ 0777, tmp/ sticky 0777; secrets/ handed to the task
 * user so it stays closed to everyone else).
 */
import { chmodSync, chownSync } from 'node:fs';
/** Opens local/ and tmp/ to the task user and gives it secrets/; no-op for root. */
export function openTaskDirs(dirs, user) {
    if (user.uid === 0)
        return;
    chmodSync(dirs.localDir, 0o777);
    chmodSync(dirs.tmpDir, 0o1777);
    chownSync(dirs.secretsDir, user.uid, user.gid);
}
//# sourceMappingURL=task-dirs.js.map