/**
 * From Nomad's TaskConfig to the executor's LaunchSpec for raw_exec: the
 * binary found as Nomad's executor finds it, the environment minus
 * denied_envvars, the working dir, output, resources, cgroup choice and
 * the allocation's network namespace.
 */
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { LaunchSpec } from '../../executor/types.js';
import { taskNetns, taskOutput } from '../shared/executor-task.js';
import type { TaskConfig } from '../types.js';
import type { RawExecPluginConfig, RawExecTaskConfig } from './config.js';

/**
 * Nomad's lookupBin: <task>/local/<bin>, <task>/<bin>, an absolute host
 * path, then $PATH (of the agent). Throws "binary "x" could not be found".
 */
export function lookupBin(taskDir: string, bin: string, pathEnv = process.env['PATH'] ?? ''): string {
  for (const p of [join(taskDir, 'local', bin), join(taskDir, bin)]) if (exists(p)) return p;
  if (isAbsolute(bin) && exists(bin)) return bin;
  if (!bin.includes('/')) {
    for (const dir of pathEnv.split(delimiter)) {
      if (dir === '') continue;
      const p = join(dir, bin);
      try {
        accessSync(p, constants.X_OK);
        if (statSync(p).isFile()) return p;
      } catch {
        // next
      }
    }
  }
  throw new Error(`binary ${JSON.stringify(bin)} could not be found`);
}

/** Nomad's makeExecutable: adds r-x for everyone when missing. */
export function makeExecutable(file: string): void {
  const mode = statSync(file).mode & 0o7777;
  if ((mode & 0o555) !== 0o555) chmodSync(file, mode | 0o555);
}

/** True when `name` matches a denied_envvars pattern (`*` matches any run of characters, as go-glob). */
export function envDenied(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => globToRegExp(p).test(name));
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/** The LaunchSpec for a raw_exec task. */
export function buildLaunchSpec(cfg: TaskConfig, tc: RawExecTaskConfig, plugin: RawExecPluginConfig, command: string, isRoot: boolean): LaunchSpec {
  const denied = [...plugin.deniedEnvvars, ...tc.deniedEnvvars];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(cfg.env)) if (!envDenied(k, denied)) env[k] = v;
  const v1 = tc.cgroupV1Override;
  const override = Object.keys(v1).length > 0 ? { v1 } : tc.cgroupV2Override !== '' ? { v2: tc.cgroupV2Override } : undefined;
  return {
    taskId: cfg.id,
    command,
    args: tc.args,
    env,
    cwd: tc.workDir !== '' ? tc.workDir : cfg.taskDir.dir,
    user: cfg.user,
    output: taskOutput(cfg),
    resources: { cpuShares: cfg.resources.cpuShares, memoryMb: cfg.resources.memoryMb, memoryMaxMb: cfg.resources.memoryMaxMb, pidsLimit: 0 },
    // Beyond Nomad: as root every raw_exec task gets a cgroup (whole-tree cleanup, memory and CPU stats).
    cgroup: isRoot && !plugin.noCgroups,
    ...(override ? { cgroupOverride: override } : {}),
    ...(tc.oomScoreAdj !== 0 ? { oomScoreAdj: tc.oomScoreAdj } : {}),
    // Nomad's raw_exec hands its executor cfg.NetworkIsolation: a group network's tasks run in the allocation's namespace.
    ...taskNetns(cfg),
  };
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
