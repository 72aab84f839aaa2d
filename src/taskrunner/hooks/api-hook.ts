/**
 * The task API (Nomad's api_hook.go): the agent's HTTP API on a unix socket
 * at secrets/api.sock, so a task reaches it without knowing the agent's
 * address. The agent serves it and always asks for a token there, even with
 * ACLs off. Like Nomad this hook soft-fails (a socket path too long, say):
 * most tasks never use the socket, and those that do fail on their own.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskDirPaths } from '../../drivers/types.js';
import { errorMessage } from '../../model/errors.js';
import type { Logger } from '../../model/logger.js';
import type { PrestartHook, PrestartRequest, StopHook } from './types.js';

/** Serves the agent's API on a unix socket (the agent implements it). */
export interface TaskApiListener {
  /** Listens at `path`, made usable by `user` only when the task has one (else by all). */
  listen(path: string, user: string): Promise<{ close(): Promise<void> }>;
}

/** Where the task API socket lives (kept short: sun_path holds 108 bytes). */
export function apiSocketPath(dirs: Pick<TaskDirPaths, 'secretsDir'>): string {
  return join(dirs.secretsDir, 'api.sock');
}

export class ApiHook implements PrestartHook, StopHook {
  readonly name = 'api';
  private listening: { close(): Promise<void> } | undefined;
  private path: string | undefined;

  constructor(
    private readonly listener: TaskApiListener,
    private readonly logger: Logger,
  ) {}

  async prestart(req: PrestartRequest): Promise<void> {
    // Already listening: the task is restarting.
    if (this.listening) return;
    const path = apiSocketPath(req.taskDir);
    try {
      // A socket left by an earlier agent run (tasks survive agent restarts) would block the listen.
      rmSync(path, { force: true });
      this.listening = await this.listener.listen(path, req.task.user);
      this.path = path;
    } catch (err) {
      this.logger.warn('error creating task api socket', { path, error: errorMessage(err) });
    }
  }

  async stop(req: { readonly signal: AbortSignal }): Promise<void> {
    void req;
    const l = this.listening;
    this.listening = undefined;
    if (l) {
      try {
        await l.close();
      } catch (err) {
        this.logger.debug('error closing task api listener', { error: errorMessage(err) });
      }
    }
    // Best effort: the alloc dir's removal takes it anyway.
    if (this.path) rmSync(this.path, { force: true });
  }
}
