/**
 * Gives the task its workload identities (Nomad's identity_hook.go and, for
 * renewals, client/widmgr): the default identity as NOMAD_TOKEN and/or
 * secrets/nomad_token, named ones as NOMAD_TOKEN_<name> and/or
 * secrets/nomad_<name>.jwt (or `filepath`, relative to the task dir). Any
 * token in the env also brings NOMAD_UNIX_ADDR, the task API socket as the
 * task sees it. Identities with a ttl are renewed at half their remaining
 * life (at least every minRenewWaitMs, Nomad's 10 s); the task is then
 * restarted or signalled as its change_mode asks.
 *
 * Signing is the agent's: this hook only sees the WorkloadIdentitySigner it
 * is given (taskrunner does not reach into the agent).
 */
import { chmodSync, chownSync, closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Job, TaskGroup, Task } from '../../model/job.js';
import type { WorkloadIdentity } from '../../model/identity.js';
import { newEvent, type TaskEvent } from '../../model/task-event.js';
import { errorMessage } from '../../model/errors.js';
import type { Logger } from '../../model/logger.js';
import type { FSIsolation, TaskDirPaths } from '../../drivers/types.js';
import { lookupUser } from '../../executor/users.js';
import { sleep } from '../abort.js';
import type { PrestartHook, PrestartRequest, PrestartResponse, StopHook } from './types.js';

/** Which identity of which task to sign. */
export interface IdentityRequest {
  readonly allocId: string;
  readonly namespace: string;
  readonly jobId: string;
  readonly region: string;
  readonly group: string;
  readonly task: string;
  readonly identity: WorkloadIdentity;
}

/** A signed identity token. */
export interface SignedIdentity {
  readonly jwt: string;
  /** Unix ms; absent when the token never expires. */
  readonly expiresAt?: number;
}

/** Signs workload identities (the agent's keyring implements it). */
export interface WorkloadIdentitySigner {
  sign(req: IdentityRequest): SignedIdentity;
}

/** What the hook may do to its task when a renewed token arrives. */
export interface IdentityLifecycle {
  restart(event: TaskEvent, failure: boolean): Promise<void>;
  signal(event: TaskEvent, sig: string): Promise<void>;
}

export interface IdentityHookConfig {
  readonly signer: WorkloadIdentitySigner;
  readonly job: Job;
  readonly group: TaskGroup;
  readonly allocId: string;
  readonly fsIsolation: FSIsolation;
  readonly lifecycle: IdentityLifecycle;
  readonly logger: Logger;
  readonly now: () => number;
  /** The shortest wait before a renewal (Nomad's widmgr minWait, 10 s). */
  readonly minRenewWaitMs?: number;
}

/** Nomad's wiTokenFile. */
export const DEFAULT_TOKEN_FILE = 'nomad_token';
const DEFAULT_MIN_RENEW_WAIT_MS = 10_000;

export class IdentityHook implements PrestartHook, StopHook {
  readonly name = 'identity';
  /** The latest token of each identity, by name. */
  private readonly latest = new Map<string, SignedIdentity>();
  private readonly stopCtrl = new AbortController();
  private renewing: Promise<void> | undefined;

  constructor(private readonly config: IdentityHookConfig) {}

  async prestart(req: PrestartRequest): Promise<PrestartResponse> {
    const task = req.task;
    const env: Record<string, string> = {};
    const unixAddr = `unix://${join(this.config.fsIsolation === 'none' ? req.taskDir.secretsDir : '/secrets', 'api.sock')}`;
    const def = task.identity;
    if (def && (def.env || def.file)) {
      const token = this.current(task, def).jwt;
      if (def.env) Object.assign(env, { NOMAD_TOKEN: token, NOMAD_UNIX_ADDR: unixAddr });
      if (def.file) this.writeToken(task, req.taskDir, def, token);
    }
    for (const wid of task.identities ?? []) {
      const token = this.current(task, wid).jwt;
      if (wid.env) Object.assign(env, { [`NOMAD_TOKEN_${wid.name}`]: token, NOMAD_UNIX_ADDR: unixAddr });
      if (wid.file) this.writeToken(task, req.taskDir, wid, token);
    }
    if (!this.renewing && (task.identities ?? []).some((w) => w.ttlMs > 0)) {
      const stop = AbortSignal.any([this.stopCtrl.signal, req.signal]);
      this.renewing = this.renewLoop(task, req.taskDir, stop);
    }
    // Not done: a restart must see the newest tokens in its env.
    return { env };
  }

  async stop(): Promise<void> {
    this.stopCtrl.abort();
    await this.renewing;
  }

  /** The identity's latest token, signed anew when missing or about to expire. */
  private current(task: Task, wid: WorkloadIdentity): SignedIdentity {
    const have = this.latest.get(wid.name);
    const margin = this.config.minRenewWaitMs ?? DEFAULT_MIN_RENEW_WAIT_MS;
    if (have && (have.expiresAt === undefined || have.expiresAt - this.config.now() > margin)) return have;
    return this.signFresh(task, wid);
  }

  private signFresh(task: Task, wid: WorkloadIdentity): SignedIdentity {
    const { job, group, allocId, signer } = this.config;
    const signed = signer.sign({ allocId, namespace: job.namespace, jobId: job.id, region: job.region, group: group.name, task: task.name, identity: wid });
    this.latest.set(wid.name, signed);
    return signed;
  }

  /** Nomad's widmgr renew loop, for the identities with a ttl. */
  private async renewLoop(task: Task, dirs: TaskDirPaths, stop: AbortSignal): Promise<void> {
    const minWait = this.config.minRenewWaitMs ?? DEFAULT_MIN_RENEW_WAIT_MS;
    const expiring = (task.identities ?? []).filter((w) => w.ttlMs > 0);
    while (!stop.aborted) {
      const exps = expiring.map((w) => this.latest.get(w.name)?.expiresAt ?? this.config.now());
      const left = Math.min(...exps) - this.config.now();
      // helper.ExpiryToRenewTime without its random stagger: half the time left, at least minWait.
      if (!(await sleep(Math.max(minWait, left / 2), stop))) return;
      for (const wid of expiring) {
        let token: string;
        try {
          token = this.signFresh(task, wid).jwt;
          if (wid.file) this.writeToken(task, dirs, wid, token);
        } catch (err) {
          this.config.logger.error('failed to renew workload identity', { identity: wid.name, error: errorMessage(err) });
          continue;
        }
        await this.changed(wid);
      }
    }
  }

  /** Applies change_mode after a renewal (Nomad restarts without counting a failure, or signals). */
  private async changed(wid: WorkloadIdentity): Promise<void> {
    const { lifecycle, now, logger } = this.config;
    try {
      if (wid.changeMode === 'restart') {
        await lifecycle.restart(newEvent('Restart Signaled', now(), { restartReason: `Identity[${wid.name}]: new token acquired` }), false);
      } else if (wid.changeMode === 'signal') {
        await lifecycle.signal(newEvent('Signaling', now(), { taskSignal: wid.changeSignal, taskSignalReason: `Identity[${wid.name}]: new Identity token acquired` }), wid.changeSignal);
      }
    } catch (err) {
      // Nomad kills a task it cannot restart or signal; here the task is usually just not running (it exited).
      logger.warn('identity change_mode could not be applied', { identity: wid.name, change_mode: wid.changeMode, error: errorMessage(err) });
    }
  }

  /**
   * Writes a token as Nomad's users.WriteFileFor: owner-only (0600) and owned by the task's
   * user when it has one, else readable by all (0666) so a task running as another user can
   * read it. Written to a temporary file and renamed, so a reader never sees half a token.
   */
  private writeToken(task: Task, dirs: TaskDirPaths, wid: WorkloadIdentity, token: string): void {
    const path = wid.filepath !== '' ? join(dirs.dir, wid.filepath) : join(dirs.secretsDir, wid.name === 'default' ? DEFAULT_TOKEN_FILE : `nomad_${wid.name}.jwt`);
    const tmp = join(dirname(path), `.${wid.name}.token.tmp`);
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, token);
    } finally {
      closeSync(fd);
    }
    let owned = false;
    if (task.user !== '') {
      try {
        chownSync(tmp, lookupUser(task.user).uid, -1);
        owned = true;
      } catch (err) {
        this.config.logger.debug('cannot give the token file to the task user', { user: task.user, error: errorMessage(err) });
      }
    }
    if (!owned) chmodSync(tmp, 0o666);
    try {
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }
}
