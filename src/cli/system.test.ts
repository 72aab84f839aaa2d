/** `drover system gc` as a user runs it: the real binary against a real agent, with and without ACLs. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mockJob, purgeAndStop, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import { eventually } from '../model/testing/eventually.js';
import { drover } from './cli-testing.js';

const agents: AgentProcess[] = [];
after(async () => {
  await purgeAndStop(agents);
});

test('system gc: a finished batch job is gone from job status; arguments and a missing token are clear errors', async () => {
  const a = await startAgent();
  agents.push(a);
  const env = { DROVER_ADDR: a.address };
  await runHcl(a.client, mockJob('once', 'run_for = "10ms"', { type: 'batch' }));
  await eventually(async () => (await a.client.jobs.allocations('once'))[0]?.ClientStatus === 'complete', { timeoutMs: 20_000, message: 'the batch job finished' });
  const gc = await drover(['system', 'gc'], { env });
  assert.equal(gc.code, 0, gc.stderr);
  assert.equal(gc.stdout, '');
  const status = await drover(['job', 'status', 'once'], { env });
  assert.equal(status.code, 1);
  assert.match(status.stderr, /No job\(s\) with prefix or ID "once" found/);
  const extra = await drover(['system', 'gc', 'now'], { env });
  assert.equal(extra.code, 1);
  assert.match(extra.stderr, /This command takes no arguments/);
  const unknown = await drover(['system', 'reconcile'], { env });
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /Unknown command "system reconcile"/);
});

test('system gc with ACLs on needs a management token', async (t) => {
  const a = await startAgent({ configHcl: 'acl {\n  enabled = true\n}\n' });
  // Nothing runs on it: stopped here, without the purge (which would need the token).
  t.after(() => a.kill());
  const boot = await drover(['acl', 'bootstrap', '-json'], { env: { DROVER_ADDR: a.address } });
  assert.equal(boot.code, 0, boot.stderr);
  const secret = (JSON.parse(boot.stdout) as { SecretID: string }).SecretID;
  const denied = await drover(['system', 'gc'], { env: { DROVER_ADDR: a.address } });
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /Error running system garbage-collection: Unexpected response code: 403 \(Permission denied\)/);
  const ok = await drover(['system', 'gc', '-token', secret], { env: { DROVER_ADDR: a.address } });
  assert.equal(ok.code, 0, ok.stderr);
});
