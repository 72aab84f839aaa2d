/**
 * The job pages in a real browser against a real agent (mock_driver tasks): the
 * editor refuses a bad definition and marks its line, runs a fixed one and lands
 * on the job page that follows the allocation to running; the definition as
 * submitted, an edit that makes version 1 and its diff, revert, stop, start and
 * purge; in a narrow window, children dispatched and force-launched from their
 * parents' pages, and a job's placement failures.
 */
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

/**
 * Page errors but the browser's log of the API's expected refusals: a parse's 400
 * (the editor's problems) and a submission's 404 (a version without its source).
 */
const unexpected = (errors: readonly string[]) => errors.filter((e) => !/^Failed to load resource: the server responded with a status of 40[04] /.test(e));

const webJob = (owner: string) =>
  mockJob('web', 'run_for = "1h"', { count: 1 }).replace('  type = "service"\n', `  type = "service"\n\n  meta {\n    owner = "${owner}"\n  }\n`);

test('the editor marks a bad line (HCL or JSON) and refuses it; a good job runs live, shows its HCL, edits into version 1 with a diff, reverts, stops, starts and purges', async (t) => {
  const a = await agent();
  const ui = await openUi(t, a);
  if (!ui) return;
  const { page } = ui;
  page.on('dialog', (d) => void d.accept());

  await ui.open('/ui/jobs');
  await page.getByRole('link', { name: 'Run Job' }).click();
  await page.getByRole('heading', { name: 'Run a job' }).waitFor();
  const editor = page.getByLabel('Job definition (HCL or JSON)');
  const run = page.getByRole('button', { name: 'Run', exact: true });

  // Line 8 has a syntax error: the problem names it, the gutter marks it, Run stays off.
  const bad = webJob('alice').replace('count = 1', 'count = = 1');
  const badLine = bad.split('\n').findIndex((l) => l.includes('= = 1')) + 1;
  await editor.fill(bad);
  await page.getByRole('button', { name: `Line ${badLine}` }).waitFor();
  await page.locator(`.editor-gutter [data-line="${badLine}"].bad`).waitFor();
  assert.equal(await run.isDisabled(), true);
  await page.getByRole('button', { name: `Line ${badLine}` }).click();
  assert.equal(await editor.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd)), bad.split('\n')[badLine - 1]);
  await ui.screenshot('job-run-editor');
  assert.equal((await a.client.jobs.list()).length, 0, 'nothing was submitted');

  // An unknown attribute passes HCL's syntax but not drover's decoder: also refused, at its line.
  const unknown = webJob('alice').replace('kill_timeout = "1s"', 'kill_timeout = "1s"\n      bogus = 1');
  await editor.fill(unknown);
  const unknownLine = unknown.split('\n').findIndex((l) => l.includes('bogus')) + 1;
  await page.getByRole('button', { name: `Line ${unknownLine}` }).waitFor();
  assert.equal(await run.isDisabled(), true);

  // JSON is accepted too ({"Job": …} as `job inspect` prints it); a JSON syntax error names its line.
  const json = JSON.stringify({ Job: await a.client.jobs.parse(webJob('alice')) }, null, 2);
  await editor.fill(json.replace('"ID": "web",', '"ID": "web",,'));
  const jsonLine = json.split('\n').findIndex((l) => l.includes('"ID": "web"')) + 1;
  await page.getByRole('button', { name: `Line ${jsonLine}` }).waitFor();
  await editor.fill(json);
  await page.getByText('The definition is valid.').waitFor();

  await editor.fill(webJob('alice'));
  await page.getByText('The definition is valid.').waitFor();
  await run.click();
  await page.waitForURL(/\/ui\/jobs\/web$/);
  const allocs = page.getByRole('table', { name: 'Allocations' });
  await allocs.getByText('running', { exact: true }).waitFor();
  await page.getByRole('table', { name: 'Task groups' }).getByRole('row', { name: /^g / }).waitFor();
  await ui.screenshot('job');

  // The definition is the HCL as it was typed.
  await page.getByRole('link', { name: 'Definition' }).click();
  const submitted = page.getByLabel('Version 0 as submitted');
  await submitted.waitFor();
  assert.equal(await submitted.innerText(), webJob('alice'));
  await page.getByRole('button', { name: 'Job JSON' }).click();
  await page.getByLabel('Version 0 as JSON').getByText('"owner": "alice"').waitFor();
  await page.getByRole('button', { name: 'HCL as submitted' }).click();
  await ui.screenshot('job-definition');

  // Edit: the editor opens on the submitted HCL; a new owner makes version 1.
  await page.getByRole('link', { name: 'Edit' }).click();
  assert.equal(await editor.inputValue(), webJob('alice'));
  await editor.fill(webJob('bob').replace('count = 1', 'count = 2'));
  await page.getByText('The definition is valid.').waitFor();
  await run.click();
  await page.waitForURL(/\/ui\/jobs\/web$/);
  await page.getByRole('link', { name: 'Versions' }).click();
  await page.getByRole('rowheader', { name: /Version 1/ }).waitFor();
  const diff = page.getByRole('region', { name: 'Changes from version 0 to version 1' });
  const line = diff.locator('li[data-field="Meta[owner]"]');
  await line.waitFor();
  assert.match(await line.innerText(), /Meta\[owner\]: "alice" => "bob"/);
  assert.match(await diff.getByRole('heading', { name: /Task Group "g"/ }).locator('xpath=..').innerText(), /Count: 1 => 2/);
  await ui.screenshot('job-versions');

  // Revert to version 0: version 2 is alice's again.
  await page.getByRole('button', { name: 'Revert to version 0' }).click();
  await page.getByRole('rowheader', { name: /Version 2/ }).waitFor();
  assert.equal((await a.client.jobs.info('web')).Meta?.['owner'], 'alice');

  // Stop: the job reads dead once its allocation stopped, and offers Start; then purge.
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.getByRole('heading', { level: 1 }).getByText('dead', { exact: true }).waitFor();
  await page.getByRole('link', { name: 'Overview' }).click();
  await allocs.getByText('complete', { exact: true }).first().waitFor();
  // Start registers the stopped version again: running, with its source kept.
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.getByRole('heading', { level: 1 }).getByText('running', { exact: true }).waitFor();
  const started = await a.client.jobs.info('web');
  assert.equal((await a.client.jobs.submission('web', started.Version ?? 0)).Source, webJob('alice'));
  await page.getByRole('button', { name: 'Purge', exact: true }).click();
  await page.waitForURL(/\/ui\/jobs$/);
  await page.getByText('No jobs yet').waitFor();
  assert.deepEqual(unexpected(ui.errors), []);
});

test('in a narrow window: a parameterized job dispatched and a periodic one forced from their pages list their children live; a job that does not fit shows its placement failures', async (t) => {
  const a = await agent();
  await runHcl(a.client, mockJob('tmpl', 'run_for = "1h"', { type: 'batch' }).replace('  type = "batch"\n', '  type = "batch"\n  parameterized {\n    meta_required = ["who"]\n  }\n'));
  const ui = await openUi(t, a, { width: 375, height: 800 });
  if (!ui) return;
  const { page } = ui;
  await ui.open('/ui/jobs/tmpl');
  await page.getByRole('heading', { name: 'Children' }).waitFor();
  await page.getByText('No children yet.').waitFor();
  const meta = page.getByLabel('Meta (one key=value a line)');
  assert.equal(await meta.inputValue(), 'who=');
  await meta.fill('who=ui');
  await page.getByRole('button', { name: 'Dispatch', exact: true }).click();
  const child = page.getByRole('table', { name: 'Children' }).getByRole('link', { name: /^tmpl\/dispatch-/ });
  await child.waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'no sideways scroll at 375 px');
  await ui.screenshot('job-parameterized-narrow');

  // Registered over the API without its source: the definition says so and shows the JSON.
  await page.getByRole('link', { name: 'Definition' }).click();
  await page.getByText('Version 0 was registered without its source').waitFor();
  await page.getByLabel('Version 0 as JSON').getByText('"MetaRequired"').waitFor();
  await page.getByRole('link', { name: 'Overview' }).click();

  // The child's page, on its escaped ID, names its parent.
  await child.click();
  await page.waitForURL(/\/ui\/jobs\/tmpl%2Fdispatch-[^/]+$/);
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'tmpl' }).waitFor();
  await page.getByRole('table', { name: 'Allocations' }).getByText('running', { exact: true }).waitFor();
  const children = (await a.client.jobs.list()).filter((j) => j.ParentID === 'tmpl');
  assert.equal(children.length, 1);
  assert.equal((await a.client.jobs.info(children[0]?.ID ?? '')).Meta?.['who'], 'ui');

  // A periodic job far from its next launch: Force launch starts a child now.
  await runHcl(a.client, mockJob('cron', 'run_for = "1h"', { type: 'batch' }).replace('  type = "batch"\n', '  type = "batch"\n  periodic {\n    crons = ["0 0 1 1 *"]\n  }\n'));
  await ui.open('/ui/jobs/cron');
  await page.getByText('0 0 1 1 *').waitFor();
  await page.getByRole('button', { name: 'Force launch' }).click();
  await page.getByRole('table', { name: 'Children' }).getByRole('link', { name: /^cron\/periodic-/ }).waitFor();

  // A job the node cannot fit: Nomad's placement failure, per group.
  await runHcl(a.client, mockJob('huge', 'run_for = "1h"', { extra: '      resources {\n        memory = 100000000\n      }' }));
  await ui.open('/ui/jobs/huge');
  const failures = page.getByRole('alert').filter({ hasText: 'Placement failures' });
  await failures.getByText('1 unplaced').waitFor();
  await failures.getByText(/Dimension memory exhausted on 1 node|Resources exhausted on 1 node/).first().waitFor();
  await ui.screenshot('job-placement-failures');
  assert.deepEqual(unexpected(ui.errors), []);
});
