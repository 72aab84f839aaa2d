/**
 * GET /v1/job/:id/submission (Nomad's jobSubmissionCRUD) against a real agent:
 * the source a register request carried is stored per version, a version
 * registered without a source is a 404, and a purge removes the job's
 * submissions (`drover job run` sending it: src/cli/job-submission.test.ts).
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
