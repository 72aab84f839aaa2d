/**
 * ephemeral_disk { sticky } on one node (Nomad's allocwatcher localPrevAlloc
 * and AllocDir.Move): the replacement of an allocation waits for the one it
 * replaces to end, then takes over its alloc/data dir and each of its own
 * tasks' local/ dir by renaming them (same filesystem, so nothing is copied),
 * before any of its tasks start.
 */
import { mkdir, rename, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isErrno } from '../../model/errors.js';
import type { Logger } from '../../model/logger.js';
import type { AllocPrerunHook } from './types.js';

/** The allocation being replaced, as the agent knows it. */
export interface PreviousAlloc {
  readonly id: string;
  readonly dir: string;
  /** Resolves once the previous alloc's tasks are done for good (at once when they already are). */
  readonly ended: Promise<void>;
}

export interface StickyDiskHookConfig {
  readonly allocDir: string;
  readonly taskNames: readonly string[];
  readonly previous: PreviousAlloc;
  /** Aborts on agent shutdown: stop waiting, move nothing (the previous alloc's tasks still run). */
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

export class StickyDiskHook implements AllocPrerunHook {
  readonly name = 'migrate_disk';

  constructor(private readonly cfg: StickyDiskHookConfig) {}

  async prerun(): Promise<void> {
    const { previous, signal } = this.cfg;
    if (!(await endedOrAborted(previous.ended, signal))) return;
    this.cfg.logger.debug('moving previous alloc data', { previous_alloc: previous.id });
    await moveInto(join(previous.dir, 'alloc', 'data'), join(this.cfg.allocDir, 'alloc', 'data'), 'data dir');
    for (const task of this.cfg.taskNames) {
      await moveInto(join(previous.dir, task, 'local'), join(this.cfg.allocDir, task, 'local'), `task "${task}" local dir`);
    }
  }
}

/** True when `ended` resolved, false when the signal aborted first. */
export async function endedOrAborted(ended: Promise<void>, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<false>((resolve) => {
    onAbort = () => resolve(false);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([ended.then(() => true as const), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Renames `from` to `to` when `from` exists. An empty `to` (made by the alloc dir
 * build) gives way; a non-empty one is kept and the move fails, as Nomad's does.
 */
async function moveInto(from: string, to: string, what: string): Promise<void> {
  try {
    await stat(from);
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return;
    throw err;
  }
  await rmdir(to).catch((err: unknown) => {
    if (!isErrno(err, 'ENOENT', 'ENOTEMPTY', 'EEXIST')) throw err;
  });
  await mkdir(dirname(to), { recursive: true, mode: 0o755 });
  try {
    await rename(from, to);
  } catch (err) {
    throw new Error(`error moving ${what}: ${(err as Error).message}`, { cause: err });
  }
}
