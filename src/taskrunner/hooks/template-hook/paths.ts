/**
 * Where a template reads and writes (Nomad's TaskEnv.ClientPath and
 * consul-template's sandbox): `${NOMAD_*}` interpolated with the client's
 * paths, relative paths under the task dir, and with the sandbox on (the
 * default) nothing outside the allocation dir.
 */
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { TaskDirPaths } from '../../../drivers/types.js';
import { isWithin } from '../../artifacts/safe-path.js';
import { envLookup, interpolate, type NodeFacts } from '../../task-env.js';

/** A template path that leaves the allocation dir while the sandbox is on. */
export class TemplatePathEscapeError extends Error {
  constructor(which: 'source' | 'destination', raw: string) {
    super(`template ${which} path ${JSON.stringify(raw)} escapes alloc directory`);
    this.name = 'TemplatePathEscapeError';
  }
}

/** What resolving needs: the task's dirs and env, the node (for ${node.*}) and whether the sandbox is on. */
export interface PathContext {
  readonly taskDir: TaskDirPaths;
  readonly env: Readonly<Record<string, string>>;
  readonly node: NodeFacts;
  readonly sandbox: boolean;
}

/** The allocation dir: the sandbox root (Nomad's consul-template sandbox is the task dir's parent). */
export function allocDirOf(taskDir: TaskDirPaths): string {
  return dirname(taskDir.dir);
}

/**
 * The host path of a template's source or destination. A relative path is
 * under the task dir; an absolute one is kept when it is inside the alloc
 * dir, and otherwise (for a destination, as Nomad's joinEscape) taken as
 * relative to the task dir.
 */
export function clientPath(raw: string, which: 'source' | 'destination', ctx: PathContext): string {
  const { taskDir } = ctx;
  // Chroot drivers' env says /local, /alloc, /secrets; the agent reads and writes their host paths.
  const clientEnv = { ...ctx.env, NOMAD_TASK_DIR: taskDir.localDir, NOMAD_ALLOC_DIR: taskDir.sharedAllocDir, NOMAD_SECRETS_DIR: taskDir.secretsDir };
  const path = interpolate(raw, envLookup(clientEnv, ctx.node));
  const root = allocDirOf(taskDir);
  const inside = (p: string) => isWithin(root, p);
  const joined = !isAbsolute(path) || (which === 'destination' && !inside(resolve(path))) ? join(taskDir.dir, path) : path;
  const out = resolve(joined);
  if (ctx.sandbox && !inside(out)) throw new TemplatePathEscapeError(which, raw);
  return out;
}

/**
 * Refuses a path whose existing part leads out of the alloc dir through a
 * symlink (the lexical check above cannot see those). Missing components are
 * fine: they will be created as directories.
 */
export function checkNoSymlinkEscape(path: string, which: 'source' | 'destination', raw: string, taskDir: TaskDirPaths): void {
  const root = realpathSync(allocDirOf(taskDir));
  let probe = path;
  for (;;) {
    try {
      const real = realpathSync(probe);
      if (!isWithin(root, real)) throw new TemplatePathEscapeError(which, raw);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const up = dirname(probe);
      if (up === probe) return;
      probe = up;
    }
  }
}
