/** `drover job run` sends the job's source with the registration, as Nomad's CLI does (GET /v1/job/:id/submission reads it back). */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockJob, purgeAndStop, startAgent, type AgentProcess } from '../api/testing.js';
import { drover } from './cli-testing.js';

const agents: AgentProcess[] = [];
const dirs: string[] = [];
after(async () => {
  await purgeAndStop(agents);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
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
