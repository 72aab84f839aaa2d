/**
 * GET /v1/job/:id/submission (Nomad's jobSubmissionCRUD) against a real agent:
 * the source a register request carried is stored per version, `drover job run`
 * sends its HCL and -var flags as Nomad's CLI does, a version registered without
 * a source is a 404, and a purge removes the job's submissions.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from './client.js';
import { mockJob, purgeAndStop, startAgent, type AgentProcess } from './testing.js';
import { drover } from '../cli/cli-testing.js';
import { eventually } from '../model/testing/eventually.js';

const agents: AgentProcess[] = [];
const dirs: string[] = [];
after(async () => {
  await purgeAndStop(agents);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
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
  const body = await raw('/v1/job/src/submission').catch((err: ApiError) => err.body);
  assert.match(String(body), /Unable to parse job submission version parameter/);

  // A purge takes the submissions with the job: the same ID registered again starts without them.
  await a.client.jobs.deregister('src', { purge: true });
  await eventually(async () => (await status(a.client.jobs.info('src'))) === 404, { message: 'job purged' });
  await a.client.jobs.register(job);
  assert.equal((await a.client.jobs.info('src')).Version, 0);
  assert.equal(await status(a.client.jobs.submission('src', 0)), 404);
});

test('`drover job run` sends the HCL it read and its -var flags as the version’s submission', async () => {
  const a = await startAgent();
  agents.push(a);
  const dir = mkdtempSync(join(tmpdir(), 'drover-submission-'));
  dirs.push(dir);
  const hcl = `variable "run_for" {\n  type = string\n}\n\n${mockJob('fromcli', 'run_for = var.run_for')}`;
  const file = join(dir, 'job.nomad.hcl');
  writeFileSync(file, hcl);
  const ran = await drover(['job', 'run', '-detach', '-var', 'run_for=1h', file], { env: { DROVER_ADDR: a.address } });
  assert.equal(ran.code, 0, ran.stderr);
  const sub = await a.client.jobs.submission('fromcli', 0);
  assert.equal(sub.Source, hcl);
  assert.equal(sub.Format, 'hcl2');
  assert.deepEqual(sub.VariableFlags, { run_for: '1h' });

  const json = join(dir, 'job.json');
  writeFileSync(json, JSON.stringify({ Job: { ...(await a.client.jobs.info('fromcli')), Meta: { v: '2' } } }));
  const ran2 = await drover(['job', 'run', '-detach', '-json', json], { env: { DROVER_ADDR: a.address } });
  assert.equal(ran2.code, 0, ran2.stderr);
  const sub1 = await a.client.jobs.submission('fromcli', 1);
  assert.equal(sub1.Format, 'json');
  assert.match(sub1.Source, /"v":"2"/);
});
