/**
 * An agent shut down while a purge waits for its allocations: the purge must
 * give way (and finish on the next start), not spin on the supervisors the
 * shutdown leaves behind (it did, at 100% CPU, and the agent never exited).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriverRegistry } from '../drivers/registry.js';
import { MockDriver } from '../drivers/mock/driver.js';
import { silentLogger } from '../model/logger.js';
import { eventually } from '../model/testing/eventually.js';
import { makeJob, makeTask } from '../taskrunner/testing.js';
import { DEFAULT_AGENT_CONFIG } from './config/agent-config.js';
import { runAgent } from './run-agent.js';

function mockOnly(): DriverRegistry {
  const drivers = new DriverRegistry();
  drivers.register('mock_driver', new MockDriver({ logger: silentLogger, now: Date.now }));
  return drivers;
}

test('agent: a shutdown during a purge completes, and the next start finishes the purge', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'drover-purge-'));
  const config = { ...DEFAULT_AGENT_CONFIG, dataDir, httpPort: 0 };
  const first = await runAgent(config, silentLogger, { drivers: mockOnly() });
  // A kill that takes a while, so the purge is still waiting when the agent stops.
  const job = makeJob([makeTask('t', { run_for: '1h', kill_after: '30s' }, { killTimeoutMs: 60_000 })]);
  await first.agent.register({ ...job, id: 'slow', name: 'slow' });
  await eventually(() => first.agent.allocs('slow').some((a) => a.states.get('t')?.state === 'running'), { timeoutMs: 20_000, message: 'the task running' });
  first.agent.deregister('slow', true);
  await first.stop();

  const second = await runAgent(config, silentLogger, { drivers: mockOnly() });
  await eventually(() => second.agent.allocs('slow').length === 0 && second.agent.job('slow') === undefined, { timeoutMs: 90_000, message: 'the purge finished after the restart' });
  assert.equal(second.agent.jobs().length, 0);
  await second.stop();
});
