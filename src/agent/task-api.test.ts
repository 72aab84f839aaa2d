/**
 * The task API socket with ACLs off (an agent in this process, a mock task):
 * Nomad's authMiddleware still wants a token there (401 without), any token
 * then passes as ACLs are off; the socket goes when the task stops.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_AGENT_CONFIG } from './config/agent-config.js';
import { runAgent } from './run-agent.js';
import { DriverRegistry } from '../drivers/registry.js';
import { MockDriver } from '../drivers/mock/driver.js';
import { silentLogger } from '../model/logger.js';
import { eventually } from '../model/testing/eventually.js';
import { parseJob } from '../jobspec/index.js';

function overSocket(socketPath: string, path: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const q = request({ socketPath, path, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    q.on('error', reject);
    q.end();
  });
}

test('task API with ACLs off: a token is still required, then the API answers; the socket goes with the task', async () => {
  const drivers = new DriverRegistry();
  drivers.register('mock_driver', new MockDriver({ logger: silentLogger, now: Date.now }));
  const running = await runAgent({ ...DEFAULT_AGENT_CONFIG, dataDir: mkdtempSync(join(tmpdir(), 'drover-taskapi-')), httpPort: 0 }, silentLogger, { drivers });
  try {
    const { job } = await parseJob(
      `job "api" {
  group "g" {
    task "t" {
      driver = "mock_driver"
      config {
        run_for = "10m"
      }
    }
  }
}`,
      { drivers: running.agent.drivers },
    );
    await running.agent.register(job);
    const alloc = await eventually(() => running.agent.allocs('api').find((a) => a.states.get('t')?.state === 'running'), { message: 'task running' });
    const sock = join(running.agent.allocDir(alloc.record.id), 't', 'secrets', 'api.sock');
    assert.deepEqual(await overSocket(sock, '/v1/agent/health'), { status: 401, body: 'Unauthorized' });
    const ok = await overSocket(sock, '/v1/jobs', 'anything');
    assert.equal(ok.status, 200);
    assert.equal((JSON.parse(ok.body) as { ID: string }[])[0]?.ID, 'api');
    running.agent.deregister('api', false);
    await eventually(() => !existsSync(sock), { message: 'socket removed at stop' });
  } finally {
    await running.stop();
  }
});
