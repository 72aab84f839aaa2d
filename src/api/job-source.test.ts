/**
 * A job's versions and their source against a real agent. GET
 * /v1/job/:id/submission (Nomad's jobSubmissionCRUD):
 * the source a register request carried is stored per version, a version
 * registered without a source is a 404, and a purge removes the job's
 * submissions (`drover job run` sending it: src/cli/job-submission.test.ts).
 * PUT /v1/job/:id/revert (Nomad's Job.Revert): an old version registered
 * again as a new one, with Nomad's refusals.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './client.js';
import { mockJob, purgeAndStop, startAgent, type AgentProcess } from './testing.js';
import { eventually } from '../model/testing/eventually.js';

const agents: AgentProcess[] = [];
after(async () => {
  await purgeAndStop(agents);
});

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    if (err instanceof ApiError) return err.status;
    throw err;
  }
}

test('a register request’s Submission is stored per version and read back with the version’s indexes', async () => {
  const a = await startAgent();
  agents.push(a);
  const hcl = mockJob('src', 'run_for = "1h"');
  const job = await a.client.jobs.parse(hcl);
  const r = await a.client.jobs.register(job, { submission: { Source: hcl, Format: 'hcl2', VariableFlags: { greeting: 'hello world\nbye' }, Variables: 'x = 1' } });

  const sub = await a.client.jobs.submission('src', 0);
  assert.equal(sub.Source, hcl);
  assert.equal(sub.Format, 'hcl2');
  assert.deepEqual(sub.VariableFlags, { greeting: 'hello world\nbye' });
  assert.equal(sub.Variables, 'x = 1');
  assert.equal(sub.JobID, 'src');
  assert.equal(sub.Version, 0);
  assert.equal(sub.JobModifyIndex, r.JobModifyIndex);

  // A new version registered without a source has none; version 0 keeps its own.
  await a.client.jobs.register({ ...job, Meta: { changed: 'yes' } });
  assert.equal((await a.client.jobs.info('src')).Version, 1);
  assert.equal(await status(a.client.jobs.submission('src', 1)), 404);
  assert.equal((await a.client.jobs.submission('src', 0)).Source, hcl);

  // Nomad's answers: the version is required; an unknown job is a 404.
  const raw = (path: string) => a.client.request('GET', path);
  assert.equal(await status(raw('/v1/job/src/submission')), 400);
  assert.equal(await status(raw('/v1/job/src/submission?version=x')), 400);
  assert.equal(await status(a.client.jobs.submission('nosuch', 0)), 404);
  const refused = await raw('/v1/job/src/submission').then(() => '', (err: ApiError) => err.body);
  assert.match(refused, /Unable to parse job submission version parameter/);

  // A purge takes the submissions with the job: the same ID registered again starts without them.
  await a.client.jobs.deregister('src', { purge: true });
  await eventually(async () => (await status(a.client.jobs.info('src'))) === 404, { message: 'job purged' });
  await a.client.jobs.register(job);
  assert.equal((await a.client.jobs.info('src')).Version, 0);
  assert.equal(await status(a.client.jobs.submission('src', 0)), 404);
});

test('revert registers an old version again as a new one, with its source; Nomad’s refusals', async () => {
  const a = await startAgent();
  agents.push(a);
  const hcl = mockJob('rev', 'run_for = "1h"');
  const job = await a.client.jobs.parse(hcl);
  await a.client.jobs.register(job, { submission: { Source: hcl, Format: 'hcl2' } });
  await a.client.jobs.register({ ...job, Meta: { v: '1' } });
  assert.equal((await a.client.jobs.info('rev')).Version, 1);

  const r = await a.client.jobs.revert('rev', 0, { enforcePriorVersion: 1 });
  assert.ok(r.JobModifyIndex > 0);
  const now = await a.client.jobs.info('rev');
  assert.equal(now.Version, 2);
  assert.equal(now.Meta?.['v'], undefined);
  assert.equal((await a.client.jobs.submission('rev', 2)).Source, hcl);
  await eventually(async () => (await a.client.jobs.allocations('rev')).some((x) => x.JobVersion === 2 && x.ClientStatus === 'running'), { message: 'an alloc runs version 2' });

  const refused = async (p: Promise<unknown>) => p.then(() => 'accepted', (err: ApiError) => `${err.status} ${err.body.trim()}`);
  assert.equal(await refused(a.client.jobs.revert('rev', 2)), "400 can't revert to current version");
  assert.equal(await refused(a.client.jobs.revert('rev', 0, { enforcePriorVersion: 1 })), '400 Current job has version 2; enforcing version 1');
  assert.match(await refused(a.client.jobs.revert('rev', 9)), /^404 job "rev" in namespace "default" at version 9 not found/);
  assert.match(await refused(a.client.jobs.revert('nosuch', 0)), /^404 /);
  assert.match(await refused(a.client.request('PUT', '/v1/job/rev/revert', { body: { JobID: 'other', JobVersion: 0 } })), /^400 Job ID does not match/);
});
