/**
 * The identity hook with a counting signer: which env and files each identity
 * asks for (filepath included), NOMAD_UNIX_ADDR as the task sees it, tokens
 * reused across restarts, and renewal of ttl'd identities: the file is
 * rewritten and change_mode restarts or signals the task with Nomad's events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalIdentity, type IdentityInput } from '../../model/identity.js';
import type { TaskEvent } from '../../model/task-event.js';
import { silentLogger } from '../../model/logger.js';
import { eventually } from '../../model/testing/eventually.js';
import { makeJob, makeTask } from '../testing.js';
import { taskDirPaths } from '../task-runner.js';
import { buildTaskDir } from './task-dir-hook.js';
import { IdentityHook, type IdentityRequest, type SignedIdentity } from './identity-hook.js';

function setup(identities: IdentityInput[], fsIsolation: 'none' | 'chroot' = 'none') {
  const [first, ...rest] = identities.map(canonicalIdentity);
  const task = makeTask('t', {}, { ...(first?.name === 'default' ? { identity: first, identities: rest } : { identities: [first!, ...rest] }) });
  const job = makeJob([task]);
  const dirs = taskDirPaths(mkdtempSync(join(tmpdir(), 'drover-idhook-')), 't');
  buildTaskDir(dirs);
  const signed: IdentityRequest[] = [];
  const events: { kind: 'restart' | 'signal'; event: TaskEvent; sig?: string }[] = [];
  const hook = new IdentityHook({
    signer: {
      sign: (req): SignedIdentity => {
        signed.push(req);
        const n = signed.length;
        return { jwt: `jwt-${req.identity.name}-${n}`, ...(req.identity.ttlMs > 0 ? { expiresAt: Date.now() + req.identity.ttlMs } : {}) };
      },
    },
    job,
    group: job.groups[0]!,
    allocId: 'alloc-1',
    fsIsolation,
    lifecycle: {
      restart: async (event) => void events.push({ kind: 'restart', event }),
      signal: async (event, sig) => void events.push({ kind: 'signal', event, sig }),
    },
    logger: silentLogger,
    now: Date.now,
    minRenewWaitMs: 20,
  });
  const ctrl = new AbortController();
  const prestart = () => hook.prestart({ task, taskDir: dirs, env: {}, signal: ctrl.signal });
  return { hook, dirs, signed, events, prestart, ctrl };
}

test('identity hook: env and files per identity, tokens kept across restarts', async () => {
  const s = setup([
    { env: true, file: true },
    { name: 'a', audience: ['x'], env: true },
    { name: 'b', audience: ['y'], file: true, filepath: 'local/b.jwt' },
  ]);
  const first = await s.prestart();
  const unix = `unix://${join(s.dirs.secretsDir, 'api.sock')}`;
  assert.deepEqual(first.env, { NOMAD_TOKEN: 'jwt-default-1', NOMAD_UNIX_ADDR: unix, NOMAD_TOKEN_a: 'jwt-a-2' });
  assert.equal(readFileSync(join(s.dirs.secretsDir, 'nomad_token'), 'utf8'), 'jwt-default-1');
  assert.equal(readFileSync(join(s.dirs.dir, 'local', 'b.jwt'), 'utf8'), 'jwt-b-3');
  assert.deepEqual(s.signed[0], { allocId: 'alloc-1', namespace: 'default', jobId: 'test', region: 'global', group: s.signed[0]?.group, task: 't', identity: s.signed[0]?.identity });
  const again = await s.prestart();
  assert.deepEqual(again.env, first.env, 'no new tokens for a restart');
  assert.equal(s.signed.length, 3);
  await s.hook.stop();
});

test('identity hook: a chroot task sees the socket at /secrets/api.sock; no env or file asked, nothing given', async () => {
  const s = setup([{ env: true }, { name: 'quiet', audience: ['x'] }], 'chroot');
  const r = await s.prestart();
  assert.deepEqual(r.env, { NOMAD_TOKEN: 'jwt-default-1', NOMAD_UNIX_ADDR: 'unix:///secrets/api.sock' });
  await s.hook.stop();
});

test('identity hook: ttl identities renew, rewrite their file and apply change_mode', async () => {
  const s = setup([
    { name: 'r', audience: ['x'], ttlMs: 60, file: true, changeMode: 'restart' },
    { name: 's', audience: ['y'], ttlMs: 60, env: true, changeMode: 'signal', changeSignal: 'SIGHUP' },
  ]);
  await s.prestart();
  assert.equal(readFileSync(join(s.dirs.secretsDir, 'nomad_r.jwt'), 'utf8'), 'jwt-r-1');
  await eventually(() => s.events.length >= 2, { message: 'renewal' });
  assert.notEqual(readFileSync(join(s.dirs.secretsDir, 'nomad_r.jwt'), 'utf8'), 'jwt-r-1');
  const restart = s.events.find((e) => e.kind === 'restart');
  const signal = s.events.find((e) => e.kind === 'signal');
  assert.deepEqual(restart?.event, { type: 'Restart Signaled', time: restart?.event.time, restartReason: 'Identity[r]: new token acquired' } as unknown as TaskEvent);
  assert.equal(signal?.sig, 'SIGHUP');
  assert.equal((signal?.event as { taskSignalReason?: string }).taskSignalReason, 'Identity[s]: new Identity token acquired');
  // A restart's prestart hands the renewed token to the env.
  const env = (await s.prestart()).env as Record<string, string>;
  assert.notEqual(env.NOMAD_TOKEN_s, 'jwt-s-2');
  await s.hook.stop();
  const after = s.signed.length;
  await new Promise((r) => setImmediate(r));
  assert.equal(s.signed.length, after, 'stopped: no more renewals');
});
