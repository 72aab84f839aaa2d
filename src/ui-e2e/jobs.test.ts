/** The UI's shell and jobs list in a real browser against a real agent. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAgent, purgeAndStop, runHcl, mockJob, SMALL_ALLOC, type AgentProcess } from '../api/testing.js';
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
  // A link copied from Nomad's UI names the job as "<id>@<namespace>".
  await ui.open('/ui/jobs/web@default');
  await ui.page.getByRole('heading', { level: 1, name: /^web/ }).waitFor();
  await ui.page.locator('a[href^="/ui/allocations/"]').first().waitFor();
  // So does Nomad's Allocations tab (the overview lists them here).
  await ui.open('/ui/jobs/web@default/allocations');
  await ui.page.locator('a[href^="/ui/allocations/"]').first().waitFor();
  assert.deepEqual(ui.errors, []);
});

test('a long jobs list is paged as Nomad pages it: 25 a page, the page in the URL, the page size kept across loads', async (t) => {
  const a = await agent();
  const ui = await openUi(t, a);
  if (!ui) return;
  const { page } = ui;
  const ids = Array.from({ length: 27 }, (_, i) => `paged-${String(i).padStart(2, '0')}`);
  for (const id of ids) await runHcl(a.client, mockJob(id, 'run_for = "1ms"', { type: 'batch', extra: SMALL_ALLOC.task, group: SMALL_ALLOC.group }));
  await ui.open('/ui/jobs');
  const range = page.locator('.page-range');
  await range.getByText('1–25 of 27').waitFor();
  assert.equal(await page.locator('table.jobs tbody tr').count(), 25);
  await page.getByRole('button', { name: 'Next page' }).click();
  await range.getByText('26–27 of 27').waitFor();
  assert.equal(await page.locator('table.jobs tbody tr').count(), 2);
  assert.match(page.url(), /[?&]page=2/);
  // Newest first: the first two submitted are on the last page.
  await page.locator('tr[data-job="paged-00"]').waitFor();
  await page.getByLabel('Per page').selectOption('10');
  await range.getByText('1–10 of 27').waitFor();
  await ui.open('/ui/jobs?page=3');
  await range.getByText('21–27 of 27').waitFor();
  // A filter starts again at its first page.
  await page.getByRole('searchbox').fill('paged-0');
  await range.getByText('1–10 of 10').waitFor();
  assert.doesNotMatch(page.url(), /page=/);
  assert.deepEqual(ui.errors, []);
});
