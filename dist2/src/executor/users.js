/**
 * Host accounts from /etc/passwd and /etc/group (files only, no NSS): enough
 * to run a task as a named user and to check Nomad's denied_host_uids/gids.
 */
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { isErrno } from '../model/errors.js';
/** Reads /etc/passwd and /etc/group; a missing file reads as empty. */
export function readAccounts(etc = '/etc') {
    const read = (name) => {
        try {
            return readFileSync(`${etc}/${name}`, 'utf8');
        }
        catch (err) {
            if (!isErrno(err, 'ENOENT'))
                throw err;
            return '';
        }
    };
    return { passwd: read('passwd'), group: read('group') };
}
/** Resolves a name or numeric uid; throws Nomad's "failed to identify user" when unknown. */
export function lookupUser(user, files = readAccounts()) {
    const numeric = /^\d+$/.test(user);
    for (const line of files.passwd.split('\n')) {
        const f = line.split(':');
        if (f.length < 7 || (numeric ? f[2] !== user : f[0] !== user))
            continue;
        const name = f[0];
        const gid = Number(f[3]);
        return { name, uid: Number(f[2]), gid, home: f[5], groups: groupsOf(name, gid, files.group) };
    }
    throw new Error(`failed to identify user "${user}": unknown user`);
}
/** The user this process runs as (falls back to os.userInfo when not in /etc/passwd). */
export function currentUser(files = readAccounts()) {
    const uid = process.getuid?.() ?? 0;
    try {
        return lookupUser(String(uid), files);
    }
    catch {
        const info = userInfo();
        const gid = process.getgid?.() ?? 0;
        return { name: info.username, uid, gid, home: info.homedir, groups: [gid] };
    }
}
function groupsOf(name, gid, groupFile) {
    const groups = [gid];
    for (const line of groupFile.split('\n')) {
        const f = line.split(':');
        if (f.length < 4)
            continue;
        const g = Number(f[2]);
        if (Number.isInteger(g) && !groups.includes(g) && f[3].split(',').some((m) => m.trim() === name))
            groups.push(g);
    }
    return groups;
}
//# sourceMappingURL=users.js.map