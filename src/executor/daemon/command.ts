/**
 * The exact command line the daemon spawns for a task (or an exec inside
 * one). When the task must enter its cgroup, get an oom_score_adj or drop to
 * another user, a tiny dash prefix does it in the child itself before the
 * user's program runs, so no instant of the program's life is outside its
 * cgroup:
 *
 *   /bin/sh -c 'echo $$ >…/memory/…/cgroup.procs || exit 125; …; exec "$@"' \
 *     sh [setpriv --reuid U --regid G --groups … --] COMMAND ARGS…
 *
 * dash is ~100 KiB and `exec`s away: the task keeps the pid the daemon saw.
 * Isolated tasks (exec driver) get their command line from
 * ../isolation/index.js (which switches user itself, inside the chroot).
 *
 * A task in an allocation's network namespace (LaunchSpec.netnsPath) joins it
 * in the same place: the native spawner calls setns(2) itself; the sh prefix
 * execs util-linux `nsenter --net=PATH` before the (optional) setpriv hop,
 * which must still hold the privilege setns needs. For an isolated task that
 * join happens before `unshare`, so its new mount/uts/ipc/pid namespaces sit
 * inside the allocation's network one; execs into it enter the task's own
 * namespaces, the network one included (../isolation/exec.ts).
 */
import { accessSync, constants, statSync, statfsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DroverError, ErrorCode, NotSupportedError, errorMessage, isErrno } from '../../model/errors.js';
import { joinFiles, type TaskCgroup } from '../cgroups/index.js';
import type { LaunchSpec } from '../types.js';
import { lookupUser, type HostUser } from '../users.js';

/** What to spawn. */
export interface SpawnPlan {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** Steps between fork and exec: done by the native spawner itself, or by a /bin/sh prefix (withShellSetup). */
  readonly setup?: LaunchSetup;
}

/** What the new process does to itself before it execs the task. */
export interface LaunchSetup {
  /** cgroup.procs files to join. */
  readonly cgroupProcs: readonly string[];
  readonly oomScoreAdj?: number;
  /** Run as this user (uid, gid and supplementary groups). */
  readonly user?: HostUser;
  /** Join this network namespace (a namespace file such as /var/run/netns/<alloc>). */
  readonly netnsPath?: string;
}

/** Exit status of the prefix when it cannot apply the task's setup (as the isolation script uses). */
export const SETUP_FAILED_EXIT = 125;

const SH = '/bin/sh';
const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The command line for a task's main process. */
export async function planLaunch(spec: LaunchSpec, cgroup: TaskCgroup | undefined): Promise<SpawnPlan> {
  checkNetns(spec.netnsPath);
  if (spec.isolation) {
    const iso = await isolation();
    const c = await iso.buildIsolatedLaunch(spec);
    return wrap({ file: c.file, args: c.args, env: c.env ?? spec.env, cwd: spec.isolation.root }, cgroup, spec.oomScoreAdj, undefined, spec.netnsPath);
  }
  return planPlain(spec, spec.command, spec.args, cgroup, spec.oomScoreAdj);
}

/** The command line for a command run in the task's context (exec, execStreaming). */
export async function planExec(spec: LaunchSpec, pid: number, cgroup: TaskCgroup | undefined, command: string, args: readonly string[]): Promise<SpawnPlan> {
  if (spec.isolation) {
    const iso = await isolation();
    await iso.waitUntilIsolated(spec, pid);
    // nsenter joins the running task's namespaces, its network namespace among them.
    const c = iso.buildIsolatedExec(spec, pid, command, args);
    return wrap({ file: c.file, args: c.args, env: c.env ?? spec.env, cwd: spec.isolation.root }, cgroup, undefined, undefined, undefined);
  }
  checkNetns(spec.netnsPath);
  return planPlain(spec, command, args, cgroup, undefined);
}

/** statfs(2) f_type of nsfs, what a namespace file (bind-mounted or under /proc) reports (NSFS_MAGIC). */
const NSFS_MAGIC = 0x6e736673;

/**
 * Refuses a network namespace path that names no namespace, before anything
 * is spawned: past this point a missing file would only show as a failed
 * setns step (native) or nsenter's exit status 1 (sh prefix).
 */
function checkNetns(path: string | undefined): void {
  if (path === undefined) return;
  if (!isAbsolute(path)) throw new DroverError(ErrorCode.validation, `network namespace path ${JSON.stringify(path)} is not absolute`);
  let type: number;
  try {
    type = statfsSync(path).type;
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) throw new DroverError(ErrorCode.driverStart, `network namespace ${path} does not exist`, { cause: err });
    throw new DroverError(ErrorCode.driverStart, `network namespace ${path}: ${errorMessage(err)}`, { cause: err });
  }
  if (type !== NSFS_MAGIC) throw new DroverError(ErrorCode.driverStart, `${path} is not a network namespace (no namespace is mounted there)`);
}

function planPlain(spec: LaunchSpec, file: string, args: readonly string[], cgroup: TaskCgroup | undefined, oom: number | undefined): SpawnPlan {
  const cwd = spec.cwd || '/';
  try {
    accessSync(cwd, constants.X_OK);
  } catch {
    throw new DroverError(ErrorCode.driverStart, `working directory ${JSON.stringify(cwd)} does not exist or is not accessible`);
  }
  let user: HostUser | undefined;
  const env: Record<string, string> = { ...spec.env };
  if (spec.user !== '') {
    try {
      user = lookupUser(spec.user);
    } catch (err) {
      throw new DroverError(ErrorCode.driverStart, errorMessage(err));
    }
    // As Nomad's setCmdUser: the task sees its own user's identity and home.
    env['USER'] = user.name;
    env['LOGNAME'] = user.name;
    env['HOME'] = user.home;
    if (user.uid === process.getuid?.()) user = undefined;
    else if (process.getuid?.() !== 0) throw new DroverError(ErrorCode.driverStart, `cannot run as user "${spec.user}": the executor is not running as root`);
  }
  return wrap({ file: resolveCommand(file, args, env, cwd), args, env, cwd }, cgroup, oom, user, spec.netnsPath);
}

/**
 * The program's path, looked up in the task's PATH when it has no slash.
 * Done here because behind the sh prefix a missing program would only show
 * as exit status 127; as Nomad, it is an error of the launch (or exec) itself.
 */
function resolveCommand(file: string, args: readonly string[], env: Readonly<Record<string, string>>, cwd: string): string {
  const candidates = file.includes('/') ? [resolve(cwd, file)] : (env['PATH'] ?? SYSTEM_DIRS.join(':')).split(':').filter((d) => d !== '').map((d) => resolve(cwd, d, file));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      if (statSync(c).isFile()) return file.includes('/') ? file : c;
    } catch (err) {
      if (!isErrno(err, 'ENOENT', 'EACCES', 'ENOTDIR')) throw err;
      // next
    }
  }
  const why = file.includes('/') ? 'no such executable file' : 'executable file not found in $PATH';
  throw new DroverError(ErrorCode.driverStart, `failed to start command path=${JSON.stringify(file)} --- args=${JSON.stringify([file, ...args])}: ${why}`);
}

/** Adds the sh prefix when anything must happen between fork and exec. */
function wrap(plan: SpawnPlan, cgroup: TaskCgroup | undefined, oom: number | undefined, user: HostUser | undefined, netnsPath: string | undefined): SpawnPlan {
  const cgroupProcs = cgroup ? joinFiles(cgroup) : [];
  if (cgroupProcs.length === 0 && oom === undefined && !user && netnsPath === undefined) return plan;
  return {
    ...plan,
    setup: { cgroupProcs, ...(oom !== undefined ? { oomScoreAdj: Math.trunc(oom) } : {}), ...(user ? { user } : {}), ...(netnsPath !== undefined ? { netnsPath } : {}) },
  };
}

/** The plan with its setup done by a /bin/sh prefix (and setpriv), for spawning through child_process. */
export function withShellSetup(plan: SpawnPlan): SpawnPlan {
  const setup = plan.setup;
  if (!setup) return plan;
  const steps: string[] = [];
  for (const f of setup.cgroupProcs) steps.push(`echo $$ >${shQuote(f)} || exit ${SETUP_FAILED_EXIT}`);
  if (setup.oomScoreAdj !== undefined) steps.push(`echo ${setup.oomScoreAdj} >/proc/self/oom_score_adj || exit ${SETUP_FAILED_EXIT}`);
  const user = setup.user;
  // Entering the namespace needs CAP_SYS_ADMIN, so it comes before setpriv gives up root.
  const netns = setup.netnsPath !== undefined ? [findTool('nsenter'), `--net=${setup.netnsPath}`, '--'] : [];
  const drop = user ? [findTool('setpriv'), `--reuid=${user.uid}`, `--regid=${user.gid}`, user.groups.length > 0 ? `--groups=${user.groups.join(',')}` : '--clear-groups', '--'] : [];
  // dash exports PWD on its own; keep the task's environment exactly as given.
  if (plan.env['PWD'] === undefined) steps.push('unset PWD');
  steps.push('exec "$@"');
  return { file: SH, args: ['-c', steps.join('\n'), 'sh', ...netns, ...drop, plan.file, ...plan.args], env: plan.env, cwd: plan.cwd };
}

export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Absolute path of a system tool (util-linux, coreutils). */
export function findTool(name: string): string {
  for (const dir of SYSTEM_DIRS) {
    const p = `${dir}/${name}`;
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch (err) {
      if (!isErrno(err, 'ENOENT', 'EACCES')) throw err;
      // next
    }
  }
  throw new DroverError(ErrorCode.driverStart, `${name} not found (install util-linux)`);
}

/** What the daemon uses of the isolation module. */
type IsolationModule = Pick<typeof import('../isolation/index.js'), 'buildIsolatedLaunch' | 'buildIsolatedExec' | 'waitUntilIsolated'>;

/** The exec driver's isolation module, loaded on first use (the daemon's entry point stays lean). */
async function isolation(): Promise<IsolationModule> {
  try {
    const mod: Partial<IsolationModule> = await import('../isolation/index.js');
    const { buildIsolatedLaunch, buildIsolatedExec, waitUntilIsolated } = mod;
    if (typeof buildIsolatedLaunch !== 'function' || typeof buildIsolatedExec !== 'function' || typeof waitUntilIsolated !== 'function') throw new Error('missing exports');
    return { buildIsolatedLaunch, buildIsolatedExec, waitUntilIsolated };
  } catch (err) {
    throw new NotSupportedError(`isolation not available: ${errorMessage(err)}`);
  }
}
