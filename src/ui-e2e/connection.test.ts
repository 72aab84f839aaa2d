/**
 * A lost agent in the UI: the banner says so and the page keeps what it showed;
 * an agent back on the same address (same data dir and port, as after a restart)
 * clears the banner and the page reloads, live again.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { startAgent, purgeAndStop, runHcl, mockJob, type AgentProcess } from '../api/testing.js';
import { closeBrowser, openUi } from './browser.js';

const agents: AgentProcess[] = [];
after(async () => {
  await closeBrowser();
  await purgeAndStop(agents);
});

/** A port free right now on 127.0.0.1. */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

test('connection: the banner shows while the agent is gone, the page keeps its rows, and all comes back with the agent', async (t) => {
  const port = await freePort();
  const first = await startAgent({ args: ['-port', String(port)] });
  agents.push(first);
  assert.match(first.address, new RegExp(`:${port}$`));
  await runHcl(first.client, mockJob('web', 'run_for = "1h"'));

  const ui = await openUi(t, first);
  if (!ui) return;
  const { page } = ui;
  await ui.open('/ui/jobs');
  const row = page.locator('tr[data-job="web"]');
  await row.getByText('1 running').waitFor();

  await first.kill('SIGKILL');
  const banner = page.getByRole('status').filter({ hasText: 'The connection to the agent was lost. Retrying…' });
  await banner.waitFor();
  // The last data stays on screen, not an error page.
  assert.equal(await row.count(), 1);
  await ui.screenshot('connection-lost');
  // A page opened while the agent is away says it cannot reach it (and the banner stays).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Jobs/ }).click();
  await page.getByRole('alert').getByText('The agent could not be reached').waitFor();
  assert.equal(await banner.count(), 1);

  const second = await startAgent({ dataDir: first.dataDir, args: ['-port', String(port)] });
  agents.push(second);
  await banner.waitFor({ state: 'detached' });
  // Reloaded and live again: a job registered now shows without a page load.
  await runHcl(second.client, mockJob('api', 'run_for = "1h"'));
  await page.locator('tr[data-job="api"]').waitFor();
  await row.waitFor();
  assert.deepEqual(
    ui.errors.filter((e) => !/Failed to load resource: net::ERR_|Failed to fetch/.test(e)),
    [],
  );
});
