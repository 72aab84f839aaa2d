/**
 * The command line that starts an isolated task. Chain (each hop execs the
 * next unless noted):
 *
 *   unshare -m -u [-i] [-p] --propagation slave   (why slave: mount-plan.ts)
 *   sh -c SETUP_SCRIPT        the waiter when the pid namespace is private (see setup-script.ts)
 *     └ (subshell) setup      PID 1 of the new pid namespace: hostname, `mount -a`,
 *                             pivot_root, cd WORK_DIR   (3 small execs: mount, pivot_root, umount)
 *   [env PWD=…]               only if the task's environment sets PWD/OLDPWD
 *   setpriv --reuid … --bounding-set/--inh-caps/--ambient-caps … --no-new-privs
 *   COMMAND ARGS              the task: PID 1 of its namespace, as under Nomad
 *
 * With no_pivot_root the subshell ends in `chroot . env --chdir=WORK_DIR …`
 * instead. With pid_mode "host" nothing is forked: the task keeps the pid
 * the executor launched.
 *
 * The network namespace is not made here: a task in an allocation's network
 * (LaunchSpec.netnsPath) is put into it by the executor's spawn step before
 * `unshare` runs (../daemon/command.ts), and inherits it from there.
 */
import { writeFileSync } from 'node:fs';
import type { IsolationSpec, LaunchSpec } from '../types.js';
import { normalizeCapability } from './capabilities.js';
import { planMounts, renderFstab } from './mount-plan.js';
import { envHopArgs, restorePwdArgs, setprivArgs } from './privileges.js';
import { ensureDevDir, pathKind, prepareMountPoints } from './rootfs.js';
import { FSTAB_NAME, SETUP_SCRIPT } from './setup-script.js';
import { resolveTaskCommand } from './task-command.js';
import { findTools, type IsolationTools } from './tools.js';
import { currentUser, lookupUser, readAccounts, type AccountFiles, type HostUser } from '../users.js';

/** What the executor spawns (after its own cgroup prefix). */
export interface IsolatedCommand {
  readonly file: string;
  readonly args: string[];
  readonly env?: Record<string, string>;
}

/** Options for tests and benchmarks. */
export interface LaunchOptions {
  readonly tools?: IsolationTools;
}

/**
 * Prepares the task dir (mount points, fstab) and returns the command line.
 * Throws before anything runs when the command, user or a capability is unknown.
 */
export async function buildIsolatedLaunch(spec: LaunchSpec, opts: LaunchOptions = {}): Promise<IsolatedCommand> {
  const iso = isolationOf(spec);
  const t = opts.tools ?? findTools();
  const cmd = resolveTaskCommand(iso, spec.command);
  const user = taskUser(spec.user);
  const entries = planMounts(iso, { kind: pathKind });
  prepareMountPoints(iso.root, entries);
  ensureDevDir(iso.root);
  // Under the future /proc mount: the task cannot see it, and it goes away with the task dir.
  const fstab = `${iso.root}/proc/${FSTAB_NAME}`;
  writeFileSync(fstab, renderFstab(entries), { mode: 0o600 });

  const privatePid = iso.pidMode === 'private';
  const cwd = spec.cwd || '/';
  const unshare = ['--mount', '--uts', ...(iso.ipcMode === 'private' ? ['--ipc'] : []), ...(privatePid ? ['--pid'] : []), '--propagation', 'slave', '--'];
  const setup = [t.sh, '-c', SETUP_SCRIPT, 'drover-isolate', privatePid ? 'wait' : 'exec', iso.root, iso.hostname, fstab, t.mount, t.pivotRoot, t.umount];
  // pivot: the setup shell enters the work dir; chroot(1) always lands in /, so env moves on from there.
  const rest = iso.noPivotRoot ? ['chroot', '/', t.chroot, '.', ...envHopArgs(t, cwd, spec.env)] : ['pivot', cwd, ...restorePwdArgs(t, spec.env)];
  const setpriv = setprivArgs(t, user, iso.capabilities.map(normalizeCapability));
  return { file: t.unshare, args: [...unshare, ...setup, ...rest, ...setpriv, cmd.taskPath, ...spec.args] };
}

/** The spec's isolation block; a launch without one is a caller bug. */
export function isolationOf(spec: LaunchSpec): IsolationSpec {
  if (spec.isolation === undefined) throw new Error(`task ${spec.taskId} has no isolation spec`);
  return spec.isolation;
}

/** A user as setpriv applies it: numeric ids only, so nothing is looked up inside the chroot. */
export type ResolvedUser = Pick<HostUser, 'uid' | 'gid' | 'groups'>;

/**
 * spec.user resolved on the host; empty means the executor's own user (as
 * LaunchSpec says). A numeric uid missing from /etc/passwd runs with gid = uid.
 */
export function taskUser(user: string, files: AccountFiles = readAccounts()): ResolvedUser {
  if (user === '') return currentUser(files);
  try {
    return lookupUser(user, files);
  } catch (err) {
    if (!/^\d+$/.test(user)) throw err;
    return { uid: Number(user), gid: Number(user), groups: [Number(user)] };
  }
}
