/**
 * `drover var lock` (Nomad's command/var_lock.go with api/locks.go's
 * LockLeaser): takes a lock on a variable, runs a child while holding it,
 * renews the lease every 0.7 × TTL (Nomad's factor), and releases it when the
 * child exits. While another holds the lock it retries every 1.1 × TTL (or
 * -backoff), unless -early-return. Exits with the child's exit code.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { parseDuration, formatDuration } from '../model/duration.js';
import { LockConflictError, type ApiVariable, type VariableWrite } from '../api/index.js';
import { apiFailure, apiUsage, CliError, commandContext, runCommandBody, type Ctx } from './common.js';
import { NAMESPACE_FLAG, NAMESPACE_HELP, singleNamespace } from './var.js';
import { isFileRef, SpecSource } from './var-put.js';
import type { Io } from './io.js';

export const VAR_LOCK_USAGE = apiUsage(`Usage:
drover var lock [options] <lock spec file reference> child...
drover var lock [options] <path to store variable> [<variable spec file reference>] child...

  The lock command provides a mechanism for simple distributed locking. A lock
  is created in the given variable, and only when held, is a child process
  invoked. The lock is renewed while the child runs and released when it
  exits; the command exits with the child's exit code.

  As Nomad's, taking the lock writes the variable: its items become those of
  the specification file (none without one).

  The child runs in a shell ($SHELL, else /bin/sh) unless -shell=false.

Var lock Options:

  -verbose
     Provides additional information via standard error.

  -ttl
     TTL for the lock, time the variable will be locked. Defaults to 15s.

  -delay
     Time the variable is blocked from locking when a lease is not renewed.
     Defaults to 15s.

  -early-return
     Return if the lock is not acquired instead of waiting to try again.

  -backoff
     How long to wait between attempts to obtain the lock. Defaults to 1.1
     times the lock TTL.

  -shell
     Use a shell to run the command. The default value is true.

${NAMESPACE_HELP}
`);

const LOCK_FLAGS = {
  ...NAMESPACE_FLAG,
  verbose: { type: 'boolean' },
  ttl: { type: 'string' },
  delay: { type: 'string' },
  shell: { type: 'boolean' },
  'early-return': { type: 'boolean' },
  backoff: { type: 'string' },
  'max-retry': { type: 'string' },
  in: { type: 'string' },
  out: { type: 'string' },
} as const;

const RENEWAL_FACTOR = 0.7;
const RETRY_FACTOR = 1.1;

export async function varLockCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommandBody(io, VAR_LOCK_USAGE, async () => {
    const ctx = commandContext(argv, LOCK_FLAGS, io, VAR_LOCK_USAGE, { stopAtPositional: true });
    if (!ctx) return 0;
    const verbose = (msg: string): void => {
      if (ctx.values.verbose) io.err(msg);
    };
    const namespace = singleNamespace(ctx);
    const args = [...ctx.args];
    if (args.length < 2) throw new CliError(`Not enough arguments (expected >2, got ${args.length})`);
    const spec = new SpecSource(ctx, verbose);
    const path = spec.readFirst(args.shift() as string);
    if (isFileRef(args[0] as string)) spec.readSecond(args.shift() as string, path);
    if (args.length === 0) throw new CliError('need a command to run while holding the lock');
    const sv = await spec.variable(path, namespace);
    if (!sv.Lock) {
      if (ctx.values.ttl === undefined && ctx.values.delay === undefined) verbose('Using defaults for the lock');
      sv.Lock = { ID: '', TTL: '15s', LockDelay: '15s' };
    }
    const ttl = durationFlag(ctx, 'ttl', 'Invalid TTL');
    if (ttl !== undefined) {
      verbose(`Using TTL for the lock of ${ttl}`);
      sv.Lock.TTL = ttl;
    }
    const delay = durationFlag(ctx, 'delay', 'Invalid Lock Delay');
    if (delay !== undefined) {
      verbose(`Using delay for the lock of ${delay}`);
      sv.Lock.LockDelay = delay;
    }
    const ttlMs = parseDuration(sv.Lock.TTL || '15s');
    const backoff = durationFlag(ctx, 'backoff', 'Invalid backoff');
    const waitMs = backoff !== undefined ? parseDuration(backoff) : ttlMs * RETRY_FACTOR;

    verbose('Attempting to acquire lock');
    const held = await acquire(ctx, sv, waitMs, ctx.values['early-return'] === true);
    if (!held) return 0;
    verbose(`Variable locked, ready to execute: ${args.join(' ')}`);
    const lockRef: VariableWrite = { Path: held.Path, Namespace: held.Namespace, Lock: { ID: held.Lock?.ID ?? '', TTL: '', LockDelay: '' } };
    const code = await runHolding(ctx, io, lockRef, args, ttlMs * RENEWAL_FACTOR, ctx.values.shell !== false);
    verbose('Releasing the lock');
    try {
      await ctx.client.variables.releaseLock(lockRef);
    } catch (err) {
      throw new CliError(`Lock error: lock release: ${apiFailure(ctx.client, 'releasing the lock', err).message}`);
    }
    return code;
  });
}

/** A duration flag, checked; undefined when not given. */
function durationFlag(ctx: Ctx, name: string, what: string): string | undefined {
  const v = ctx.values[name];
  if (typeof v !== 'string' || v === '') return undefined;
  try {
    parseDuration(v);
  } catch (err) {
    throw new CliError(`${what}: ${(err as Error).message}`);
  }
  return v;
}

/** Takes the lock, retrying every `waitMs` while another holds it; undefined when -early-return gave up. */
async function acquire(ctx: Ctx, sv: VariableWrite, waitMs: number, earlyReturn: boolean): Promise<ApiVariable | undefined> {
  // As Nomad, a short random pause first, so instances started together do not collide.
  await sleep(Math.floor(Math.random() * 100));
  for (;;) {
    try {
      return await ctx.client.variables.acquireLock(sv);
    } catch (err) {
      if (!(err instanceof LockConflictError)) throw new CliError(`Lock error: ${apiFailure(ctx.client, 'acquiring the lock', err).message}`);
      if (earlyReturn) return undefined;
    }
    await sleep(waitMs);
  }
}

/**
 * Runs the child while renewing the lock every `renewMs`. SIGINT and SIGTERM
 * are passed to the child. If a renewal fails the lock is lost: the child is
 * killed and the command fails.
 */
async function runHolding(ctx: Ctx, io: Io, lock: VariableWrite, args: readonly string[], renewMs: number, shell: boolean): Promise<number> {
  const child = shell
    ? spawn(process.env.SHELL || '/bin/sh', ['-c', args.join(' ')], { stdio: 'inherit' })
    : spawn(args[0] as string, args.slice(1), { stdio: 'inherit' });
  const forward = (sig: NodeJS.Signals) => (): void => {
    child.kill(sig);
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  let lost: string | undefined;
  const renew = setInterval(() => {
    ctx.client.variables.renewLock(lock).catch((err: unknown) => {
      if (lost !== undefined) return;
      lost = err instanceof LockConflictError ? err.cause.message : apiFailure(ctx.client, 'renewing the lock', err).message;
      io.err(`Lock error: error renewing the lease: ${lost}; stopping the child`);
      child.kill('SIGKILL');
    });
  }, renewMs);
  try {
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', (err) => reject(new CliError(`Lock error: error executing protected function: ${err.message}`)));
      child.once('exit', (c, signal) => resolve(c ?? 128 + signalNumber(signal)));
    });
    if (lost !== undefined) throw new CliError(`Lock error: the lock was lost after ${formatDuration(renewMs / RENEWAL_FACTOR)} TTL: ${lost}`);
    return code;
  } finally {
    clearInterval(renew);
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return (signal && constants.signals[signal]) || 1;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
