/**
 * Host accounts from /etc/passwd and /etc/group (files only, no NSS): enough
 * to run a task as a named user and to check Nomad's denied_host_uids/gids.
 */
import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { isErrno } from '../model/errors.js';

/** A user as the task will run. */
export interface HostUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  /** Primary gid first, then every group listing the user (what initgroups(3) sets). */
  readonly groups: readonly number[];
}

/** Account file contents (injectable for tests). */
export interface AccountFiles {
  readonly passwd: string;
  readonly group: string;
}

/** Reads /etc/passwd and /etc/group; a missing file reads as empty. Re-read only when a file changed (every task start asks). */
export function readAccounts(etc = '/etc'): AccountFiles {
  return { passwd: readCached(`${etc}/passwd`), group: readCached(`${etc}/group`) };
}

const fileCache = new Map<string, { stamp: string; text: string }>();

function readCached(path: string): string {
  let stamp: string;
  try {
    const st = statSync(path);
    stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
    return '';
  }
  const hit = fileCache.get(path);
  if (hit?.stamp === stamp) return hit.text;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
    return '';
  }
  fileCache.set(path, { stamp, text });
  return text;
}

/** Resolves a name or numeric uid; throws Nomad's "failed to identify user" when unknown. */
export function lookupUser(user: string, files: AccountFiles = readAccounts()): HostUser {
  const numeric = /^\d+$/.test(user);
  for (const line of files.passwd.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || (numeric ? f[2] !== user : f[0] !== user)) continue;
    const name = f[0] as string;
    const gid = Number(f[3]);
    return { name, uid: Number(f[2]), gid, home: f[5] as string, groups: groupsOf(name, gid, files.group) };
  }
  throw new Error(`failed to identify user "${user}": unknown user`);
}

/** The user this process runs as (falls back to os.userInfo when not in /etc/passwd). */
export function currentUser(files: AccountFiles = readAccounts()): HostUser {
  const uid = process.getuid?.() ?? 0;
  try {
    return lookupUser(String(uid), files);
  } catch {
    const info = userInfo();
    const gid = process.getgid?.() ?? 0;
    return { name: info.username, uid, gid, home: info.homedir, groups: [gid] };
  }
}

function groupsOf(name: string, gid: number, groupFile: string): number[] {
  const groups = [gid];
  for (const line of groupFile.split('\n')) {
    const f = line.split(':');
    if (f.length < 4) continue;
    const g = Number(f[2]);
    if (Number.isInteger(g) && !groups.includes(g) && (f[3] as string).split(',').some((m) => m.trim() === name)) groups.push(g);
  }
  return groups;
}
