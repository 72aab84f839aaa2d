/** The UI's shell and jobs list in a real browser against a real agent. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAgent, purgeAndStop, runHcl, mockJob, type AgentProcess } from '../api/testing.js';
import { closeBrowser, openUi } from './browser.js';

const agents: AgentProcess[] = [];
after(async () => {
  await closeBrowser();
  await purgeAndStop(agents);
});

async function agent(): Promise<AgentProcess> {
  const a = await startAgent();
  agents.push(a);
  return a;
}

test('/ redirects to the UI, and a direct load of a deep /ui path serves the app', async (t) => {
  const a = await agent();
  const ui = await openUi(t, a);
  if (!ui) return;
  await ui.open('/');
  await ui.page.waitForURL(/\/ui\/jobs$/);
  await ui.page.getByRole('heading', { name: 'Jobs' }).waitFor();
  await ui.open('/ui/no/such/page');
  await ui.page.getByRole('heading', { name: 'Page not found' }).waitFor();
  assert.deepEqual(ui.errors, []);
});

test('the jobs list shows a job submitted over the API and follows it to running without a reload', async (t) => {
  const a = await agent();
  const ui = await openUi(t, a);
  if (!ui) return;
  await ui.open('/ui/jobs');
  await ui.page.getByText('No jobs yet').waitFor();
  await runHcl(a.client, mockJob('web', 'run_for = "1h"', { count: 2 }));
  const row = ui.page.locator('tr[data-job="web"]');
  await row.getByText('2 running').waitFor();
  assert.equal(await row.getByRole('cell').nth(1).innerText(), 'service');
  await row.getByText('running', { exact: true }).waitFor();
  await ui.screenshot('jobs');

  await ui.page.getByRole('searchbox').fill('nomatch');
  await ui.page.getByText('No job matches these filters.').waitFor();
  assert.match(ui.page.url(), /search=nomatch/);
  await ui.page.getByRole('searchbox').fill('we');
  await row.waitFor();
  assert.deepEqual(ui.errors, []);
});
