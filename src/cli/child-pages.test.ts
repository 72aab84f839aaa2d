/**
 * A child job's own pages, by its ID with "/" in it, through the real binary
 * against a real agent: dispatch -id-prefix-template, job status / inspect /
 * stop / allocs of a child, alloc status of its allocation, the job API with the slash
 * escaped (as Nomad's api client sends it) or not (as Nomad's server also
 * takes), and the parent's and the list's view of the children.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { purgeAndStop, RAW_EXEC_CONFIG, startAgent, type AgentProcess } from '../api/testing.js';
import { eventually } from '../model/testing/eventually.js';
import { drover as run, grab, type DroverOptions } from './cli-testing.js';

const agents: AgentProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'drover-child-pages-'));
after(async () => {
  await purgeAndStop(agents);
  rmSync(dir, { recursive: true, force: true });
});

function cli(agent: AgentProcess) {
  return (args: string[], o: DroverOptions = {}) => run(args, { ...o, env: { DROVER_ADDR: agent.address, ...o.env } });
}

function jobFile(name: string, hcl: string): string {
  const file = join(dir, `${name}.hcl`);
  writeFileSync(file, hcl);
  return file;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const TMPL_JOB = `job "tmpl" {
  type = "batch"
  parameterized {
    payload = "optional"
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["300"]
      }
    }
  }
}
`;

test('a dispatched child by its ID: -id-prefix-template, job status/inspect/stop, alloc status, /v1/job/<id> escaped or not', async () => {
  const agent = await startAgent({ configHcl: RAW_EXEC_CONFIG });
  agents.push(agent);
  const drover = cli(agent);

  // job run of a parameterized job: registration only, no evaluation and no monitor (Nomad's job run).
  let r = await drover(['job', 'run', jobFile('tmpl', TMPL_JOB)]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'Job registration successful\n');

  r = await drover(['job', 'dispatch', '-id-prefix-template', 'a b', 'tmpl']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Failed to dispatch job: .*IdPrefixTemplate "a b": Job ID contains a space/);

  // "tm" also prefixes the children once there are some: dispatch only looks at parameterized parents.
  r = await drover(['job', 'dispatch', '-id-prefix-template', 'nightly', 'tm']);
  assert.equal(r.code, 0, r.stderr);
  const child = grab(/Dispatched Job ID\s+=\s+(\S+)/, r.stdout);
  assert.match(child, /^tmpl\/dispatch-nightly-\d+-[0-9a-f]{8}$/);
  assert.match(r.stdout, /Evaluation ID\s+=\s+[0-9a-f]{8}\n$/, 'a short evaluation id without -verbose');
  r = await drover(['job', 'dispatch', 'tm']);
  assert.equal(r.code, 0, r.stderr);
  const plain = grab(/Dispatched Job ID\s+=\s+(\S+)/, r.stdout);
  assert.match(plain, /^tmpl\/dispatch-\d+-[0-9a-f]{8}$/);

  const [alloc] = await eventually(async () => {
    const allocs = await agent.client.jobs.allocations(child);
    return allocs[0]?.ClientStatus === 'running' ? allocs : undefined;
  }, { timeoutMs: 30_000, message: 'the child runs' });

  // The API: Nomad's client escapes the slash; Nomad's server takes it unescaped too.
  for (const path of [encodeURIComponent(child), child]) {
    const job = await fetch(`${agent.address}/v1/job/${path}`);
    assert.equal(job.status, 200, path);
    assert.equal(((await job.json()) as { ID: string }).ID, child);
    const allocs = await fetch(`${agent.address}/v1/job/${path}/allocations`);
    assert.deepEqual(((await allocs.json()) as { ID: string }[]).map((a) => a.ID), [alloc!.ID], path);
    const summary = await fetch(`${agent.address}/v1/job/${path}/summary`);
    assert.equal(((await summary.json()) as { JobID: string }).JobID, child, path);
  }
  const missing = await fetch(`${agent.address}/v1/job/tmpl/dispatch-0-00000000`);
  assert.equal(missing.status, 404);
  const unserved = await fetch(`${agent.address}/v1/job/${child}/evaluate`);
  assert.equal(await unserved.text(), `Invalid URL: GET /v1/job/${child}/evaluate`, 'the URL as sent');
  const api = await agent.client.jobs.dispatch('tmpl', { idPrefixTemplate: 'api' });
  assert.match(api.DispatchedJobID, /^tmpl\/dispatch-api-\d+-[0-9a-f]{8}$/);
  const mismatch = await fetch(`${agent.address}/v1/job/tmpl/dispatch`, { method: 'PUT', body: JSON.stringify({ JobID: 'other' }) });
  assert.equal(mismatch.status, 400);
  assert.equal(await mismatch.text(), 'Job ID does not match');

  r = await drover(['job', 'status', child]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^ID\\s+=\\s+${escape(child)}$`, 'm'));
  assert.match(r.stdout, /^Parameterized\s+=\s+false$/m, 'a dispatched child is not itself parameterized');
  assert.match(r.stdout, /^Summary\nTask Group.*\ng\s+0\s+0\s+1\s/m);
  assert.match(r.stdout, new RegExp(`^${alloc!.ID.slice(0, 8)}\\s.*\\srunning\\s`, 'm'));
  r = await drover(['job', 'status', '-verbose', child]);
  assert.match(r.stdout, new RegExp(`^${alloc!.ID}\\s`, 'm'), '-verbose: full allocation ids');

  r = await drover(['job', 'inspect', child]);
  assert.equal(r.code, 0, r.stderr);
  const inspected = (JSON.parse(r.stdout) as { Job: { ID: string; ParentID: string; Dispatched: boolean } }).Job;
  assert.deepEqual([inspected.ID, inspected.ParentID, inspected.Dispatched], [child, 'tmpl', true]);

  r = await drover(['job', 'allocs', child]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^ID\\s+Node ID\\s+Task Group.*\n${alloc!.ID.slice(0, 8)}\\s.*\\srunning\\s`, 'm'));
  r = await drover(['job', 'allocs', '-verbose', child]);
  assert.match(r.stdout, new RegExp(`^${alloc!.ID}\\s`, 'm'));
  r = await drover(['job', 'allocs', '-json', child]);
  assert.deepEqual((JSON.parse(r.stdout) as { ID: string; JobID: string }[]).map((a) => [a.ID, a.JobID]), [[alloc!.ID, child]]);
  r = await drover(['job', 'allocs', 'tmpl']);
  assert.equal(r.stdout, 'No allocations placed\n', 'the parent has none of its own');

  r = await drover(['alloc', 'status', alloc!.ID.slice(0, 8)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^Job ID\\s+=\\s+${escape(child)}$`, 'm'));

  // The list shows children as Nomad's does: their own rows, plain type.
  r = await drover(['job', 'status']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^tmpl\s+batch\/parameterized\s+50\s+running\s/m);
  assert.match(r.stdout, new RegExp(`^${escape(child)}\\s+batch\\s+50\\s+running\\s`, 'm'));

  r = await drover(['job', 'stop', child]);
  assert.equal(r.code, 0, r.stderr);
  await eventually(async () => (await agent.client.jobs.info(child)).Status === 'dead', { timeoutMs: 30_000, message: 'the child stops' });

  r = await drover(['job', 'status', 'tmpl']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Status\s+=\s+running$/m, 'stopping a child leaves the parent');
  assert.match(r.stdout, /\nParameterized Job Summary\nPending\s+Running\s+Dead\n0\s+2\s+1\n/);
  assert.match(r.stdout, new RegExp(`^${escape(child)}\\s+dead$`, 'm'));
  assert.match(r.stdout, new RegExp(`^${escape(plain)}\\s+running$`, 'm'));

  r = await drover(['job', 'stop', '-purge', 'tmpl']);
  assert.equal(r.code, 0, r.stderr);
  await eventually(async () => (await agent.client.jobs.list()).length === 0, { timeoutMs: 30_000, message: 'parent and children purged' });
});

const NIGHTLY_JOB = `job "nightly" {
  type = "batch"
  periodic {
    crons = ["0 3 * * *"]
  }
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
      }
    }
  }
}
`;

test('a periodic child by its ID: job run prints the next launch, force launches, the child has its own pages', async () => {
  const agent = await startAgent({ configHcl: RAW_EXEC_CONFIG });
  agents.push(agent);
  const drover = cli(agent);
  let r = await drover(['job', 'run', jobFile('nightly', NIGHTLY_JOB)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Job registration successful\nApproximate next launch time: \S+ \((\d+h)?(\d+m)?(\d+s)? from now\)\n$/);
  r = await drover(['job', 'status', 'nightly']);
  assert.match(r.stdout, /^Periodic\s+=\s+true$/m);
  assert.match(r.stdout, /^Next Periodic Launch\s+=\s+\S+T03:00:00Z \(.* from now\)$/m);
  assert.match(r.stdout, /\nChildren Job Summary\nPending\s+Running\s+Dead\n0\s+0\s+0\n\nNo instances of periodic job found\n$/);

  r = await drover(['job', 'periodic', 'force', 'nightly']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Force periodic successful\nEvaluation ID: \S+\n$/);
  const [child] = await eventually(async () => {
    const ids = (await agent.client.jobs.list({ prefix: 'nightly/' })).map((j) => j.ID);
    return ids.length === 1 ? ids : undefined;
  }, { message: 'the forced child' });
  assert.match(child!, /^nightly\/periodic-\d+$/);
  await eventually(async () => (await agent.client.jobs.info(child!)).Status === 'dead', { timeoutMs: 30_000, message: 'the child completes' });

  r = await drover(['job', 'status', child!]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Periodic\s+=\s+false$/m, 'a periodic child is a plain job');
  assert.match(r.stdout, /^Summary\nTask Group.*\ng\s+0\s+0\s+0\s+0\s+1\s/m);
  r = await drover(['job', 'inspect', child!]);
  assert.equal((JSON.parse(r.stdout) as { Job: { ParentID: string } }).Job.ParentID, 'nightly');
  r = await drover(['job', 'periodic', 'force', child!]);
  assert.equal(r.code, 1, 'a child is not periodic');
  assert.match(r.stderr, new RegExp(`No periodic job\\(s\\) with prefix or ID "${escape(child!)}" found`));
  r = await drover(['job', 'status', 'nightly']);
  assert.match(r.stdout, /\nChildren Job Summary\nPending\s+Running\s+Dead\n0\s+0\s+1\n\nPreviously Launched Jobs\nID\s+Status\n/);
  assert.match(r.stdout, new RegExp(`^${escape(child!)}\\s+dead$`, 'm'));
  r = await drover(['job', 'status']);
  assert.match(r.stdout, /^nightly\s+batch\/periodic\s/m);
  assert.match(r.stdout, new RegExp(`^${escape(child!)}\\s+batch\\s`, 'm'));

  r = await drover(['job', 'stop', '-purge', child!]);
  assert.equal(r.code, 0, r.stderr);
  await eventually(async () => (await agent.client.jobs.list({ prefix: 'nightly/' })).length === 0, { timeoutMs: 30_000, message: 'the child purged' });
  r = await drover(['job', 'status', 'nightly']);
  assert.match(r.stdout, /No instances of periodic job found/);

  // Only periodic jobs are candidates: a prefix names the parent though its children share it.
  await drover(['job', 'periodic', 'force', 'nightly']);
  await eventually(async () => ((await agent.client.jobs.list({ prefix: 'nightly/' })).length === 1 ? true : undefined), { message: 'a new child' });
  r = await drover(['job', 'periodic', 'force', 'nigh']);
  assert.equal(r.code, 0, r.stderr);
});
