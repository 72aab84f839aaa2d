/**
 * The keyring: one RS256 key generated into the data dir (0600, in 0700),
 * the same key after a reopen, tokens verified by signature, key id and
 * time, with go-jose's one-minute leeway.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring, type WorkloadClaims } from './keyring.js';

const claims = (over: Partial<WorkloadClaims> = {}): WorkloadClaims => ({
  nomad_namespace: 'default',
  nomad_job_id: 'j',
  nomad_allocation_id: 'a',
  nomad_task: 't',
  sub: 'global:default:j:g:t:default',
  aud: 'nomadproject.io',
  nbf: 1_000,
  iat: 1_000,
  jti: 'x',
  ...over,
});

test('keyring: generated on first use, once, kept across reopen, private key owner-only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drover-keyring-'));
  let now = 1_000_000;
  const a = Keyring.open(dir, () => now);
  assert.deepEqual(readdirSync(join(dir, 'keystore')), [], 'no key is made until one is needed');
  const token = a.sign(claims());
  const files = readdirSync(join(dir, 'keystore'));
  assert.deepEqual(files, [`${a.activeKeyId}.json`]);
  assert.equal(statSync(join(dir, 'keystore', files[0] as string)).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'keystore')).mode & 0o777, 0o700);
  const b = Keyring.open(dir, () => now);
  assert.equal(b.activeKeyId, a.activeKeyId);
  assert.deepEqual(b.verify(token), claims());
  assert.deepEqual(b.jwks(), a.jwks());
  now += 1;
  assert.ok(b.jwksMaxAgeS() > 15 * 60);
});

test('keyring: refuses bad signatures, unknown keys, and expired or early tokens', () => {
  let nowMs = 1_000_000;
  const k = Keyring.open(mkdtempSync(join(tmpdir(), 'drover-keyring-')), () => nowMs);
  const other = Keyring.open(mkdtempSync(join(tmpdir(), 'drover-keyring-')), () => nowMs);
  const good = k.sign(claims({ exp: 1_100 }));
  assert.equal(k.verify(good).nomad_job_id, 'j');
  assert.throws(() => k.verify(other.sign(claims())), /no such key/);
  const [h, , s] = good.split('.') as [string, string, string];
  const forged = `${h}.${Buffer.from(JSON.stringify(claims({ nomad_job_id: 'other' }))).toString('base64url')}.${s}`;
  assert.throws(() => k.verify(forged), /invalid signature/);
  assert.throws(() => k.verify('not-a-jwt'), /failed to parse/);
  nowMs = (1_100 + 60) * 1000;
  assert.equal(k.verify(good).exp, 1_100, 'within the leeway');
  nowMs = (1_100 + 61) * 1000;
  assert.throws(() => k.verify(good), /expired/);
  nowMs = 0;
  assert.throws(() => k.verify(k.sign(claims({ nbf: 1_000 }))), /not valid yet/);
});
