/**
 * Templates end to end on a real agent in this process: a raw_exec task's
 * template reads a Nomad Variable set over HTTP, the start waits for it (the
 * Missing event), and a variable update re-renders the file.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGENT_CONFIG } from './config/agent-config.js';
import { runAgent, type RunningAgent } from './run-agent.js';
import { silentLogger } from '../model/logger.js';
import { eventually } from '../model/testing/eventually.js';
import { parseJob } from '../jobspec/index.js';

let running: RunningAgent;
let base = '';

before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'drover-tpl-'));
  running = await runAgent(
    { ...DEFAULT_AGENT_CONFIG, dataDir, httpPort: 0, plugins: { raw_exec: { enabled: true } }, client: { ...DEFAULT_AGENT_CONFIG.client, template: { ...DEFAULT_AGENT_CONFIG.client.template, wait: { minMs: 0, maxMs: 0 } } } },
    silentLogger,
  );
  base = `http://${running.http.address}`;
});
after(async () => {
  if (running.agent.job('tpl')) running.agent.deregister('tpl', true);
  await eventually(() => running.agent.allocs('tpl').every((a) => a.record.terminal), { message: 'tpl allocs to end', timeoutMs: 30_000 });
  await running.stop();
});

const JOB = `job "tpl" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "while :; do sleep 1; done"]
      }
      template {
        data        = "{{ with nomadVar \\"nomad/jobs/tpl\\" }}port={{ .port }}{{ end }}"
        destination = "local/app.conf"
        change_mode = "noop"
      }
    }
  }
}
`;

const putVar = async (items: Record<string, string>): Promise<void> => {
  const r = await fetch(`${base}/v1/var/nomad/jobs/tpl`, { method: 'PUT', body: JSON.stringify({ Items: items }) });
  assert.equal(r.status, 200, await r.text());
};

test('a template waits for its Nomad Variable, renders it, and re-renders when it changes', async () => {
  const { job } = await parseJob(JOB, { file: 'tpl.nomad.hcl', drivers: running.agent.drivers });
  await running.agent.register(job);
  const alloc = await eventually(() => running.agent.allocs('tpl')[0], { message: 'alloc placed' });
  const events = () => running.agent.allocs('tpl')[0]?.states.get('t')?.events ?? [];
  await eventually(() => events().some((e) => e.type === 'Template'), { message: 'the Missing event', timeoutMs: 30_000 });
  const missing = events().find((e) => e.type === 'Template');
  assert.equal(missing && 'message' in missing ? missing.message : '', 'Missing: nomad.var.block(nomad/jobs/tpl@default.global)');
  assert.ok(!events().some((e) => e.type === 'Started'));

  await putVar({ port: '8080' });
  const file = join(running.agent.allocDir(alloc.record.id), 't', 'local', 'app.conf');
  await eventually(() => events().some((e) => e.type === 'Started'), { message: 'the task to start', timeoutMs: 30_000 });
  assert.equal(readFileSync(file, 'utf8'), 'port=8080');

  await putVar({ port: '9090' });
  await eventually(() => existsSync(file) && readFileSync(file, 'utf8') === 'port=9090', { message: 'the re-render', timeoutMs: 30_000 });
  assert.equal(events().filter((e) => e.type === 'Started').length, 1);
});
