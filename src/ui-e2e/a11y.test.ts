/**
 * Accessibility and narrow windows across the main pages, against a real agent
 * with 20 jobs: keyboard only (Tab reaches "Skip to content" and the navigation,
 * Enter follows a link), axe-core (injected into the test page only, never part
 * of the bundle) finds nothing serious or critical, and at 375 px the pages do
 * not overflow sideways.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { startAgent, purgeAndStop, runHcl, mockJob, SMALL_ALLOC, type AgentProcess } from '../api/testing.js';
import { eventually } from '../model/testing/eventually.js';
import { closeBrowser, openUi } from './browser.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const JOBS = 20;

const agents: AgentProcess[] = [];
after(async () => {
  await closeBrowser();
  await purgeAndStop(agents);
});

let shared: Promise<{ agent: AgentProcess; allocId: string; nodeId: string }> | undefined;
/** One agent for the file: 20 small mock_driver jobs, all running. */
function agentWithJobs(): Promise<{ agent: AgentProcess; allocId: string; nodeId: string }> {
  shared ??= (async () => {
    const agent = await startAgent();
    agents.push(agent);
    const ids = Array.from({ length: JOBS }, (_, i) => `job-${String(i).padStart(2, '0')}${i % 3 === 0 ? '-with-a-rather-long-name-for-narrow-windows' : ''}`);
    for (const id of ids) await runHcl(agent.client, mockJob(id, 'run_for = "1h"', { extra: SMALL_ALLOC.task, group: SMALL_ALLOC.group }));
    await eventually(async () => (await agent.client.allocations.list()).filter((a) => a.ClientStatus === 'running').length === JOBS, { timeoutMs: 60_000, message: `${JOBS} allocations running` });
    const allocs = await agent.client.allocations.list();
    const nodes = await agent.client.nodes.list();
    return { agent, allocId: allocs[0]?.ID as string, nodeId: nodes[0]?.ID as string };
  })();
  return shared;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's violations on the page as it is now (axe is injected into this page only). */
async function axe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: AxeViolation[] }> } };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

const serious = (vs: AxeViolation[]) => vs.filter((v) => v.impact === 'serious' || v.impact === 'critical');
const describe = (vs: AxeViolation[]) => vs.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`).join('\n');

/** Presses Tab until the focused element matches `is` (at most `limit` presses); its text. */
async function tabTo(page: Page, is: (el: { tag: string; text: string; href: string }) => boolean, limit = 40): Promise<string | undefined> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return { tag: a?.tagName.toLowerCase() ?? '', text: (a?.textContent ?? '').trim(), href: a?.getAttribute('href') ?? '' };
    });
    if (is(el)) return el.text;
  }
  return undefined;
}

test('a11y: keyboard only across the main pages, and axe finds nothing serious on the jobs list and token screen', async (t) => {
  const { agent, allocId, nodeId } = await agentWithJobs();
  const ui = await openUi(t, agent);
  if (!ui) return;
  const { page } = ui;

  // The first Tab lands on "Skip to content"; Enter moves focus to the page's content.
  await ui.open('/ui/jobs');
  await page.locator('tr[data-job="job-01"]').getByText('1 running').waitFor();
  await ui.screenshot('jobs-list');
  assert.equal(await tabTo(page, (el) => el.tag === 'a', 1), 'Skip to content');
  await page.keyboard.press('Enter');
  await eventually(async () => (await page.evaluate(() => document.activeElement?.id)) === 'main', { timeoutMs: 10_000, message: 'focus on main after Skip to content' });

  // Tab reaches every navigation link; Enter follows one.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (const name of ['Jobs', 'Clients', 'Services', 'Variables', 'ACL Tokens']) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('body').focus();
    assert.ok(await tabTo(page, (el) => el.tag === 'a' && el.text.startsWith(name)), `Tab reaches the ${name} link`);
  }
  await page.locator('body').focus();
  await tabTo(page, (el) => el.text === 'ACL Tokens');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/ui\/settings\/tokens$/);
  await page.getByRole('heading', { name: 'ACL Tokens' }).waitFor();
  await page.getByLabel('Secret ID').waitFor();
  const tokensAll = await axe(page);
  if (tokensAll.length > 0) console.log(`# axe on the token screen, minor:\n# ${describe(tokensAll).replace(/\n/g, '\n# ')}`);
  const tokens = serious(tokensAll);
  assert.equal(tokens.length, 0, `axe on the token screen:\n${describe(tokens)}`);

  // Back to the jobs by keyboard; a job link followed with Enter.
  await page.locator('body').focus();
  await tabTo(page, (el) => el.tag === 'a' && el.text === 'Jobs');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/ui\/jobs$/);
  await page.locator('tr[data-job="job-01"]').waitFor();
  const jobsAll = await axe(page);
  if (jobsAll.length > 0) console.log(`# axe on the jobs list, minor:\n# ${describe(jobsAll).replace(/\n/g, '\n# ')}`);
  const jobs = serious(jobsAll);
  assert.equal(jobs.length, 0, `axe on the jobs list:\n${describe(jobs)}`);
  assert.ok(await tabTo(page, (el) => el.href === '/ui/jobs/job-01', 80), 'Tab reaches a job link');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/ui\/jobs\/job-01$/);

  // The other main pages: each renders a heading, offers Skip to content and the navigation to the keyboard, and passes axe.
  for (const path of ['/ui/jobs/job-01', `/ui/allocations/${allocId}`, '/ui/clients', `/ui/clients/${nodeId}`]) {
    await ui.open(path);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    assert.equal(await tabTo(page, (el) => el.tag === 'a', 1), 'Skip to content', path);
    assert.ok(await tabTo(page, (el) => el.text.startsWith('ACL Tokens')), `${path}: Tab reaches the navigation`);
    const found = serious(await axe(page));
    assert.equal(found.length, 0, `axe on ${path}:\n${describe(found)}`);
  }
  assert.deepEqual(ui.errors, []);
});

test('a11y: at 375 px wide the jobs list (20 jobs), the token screen and the job, allocation and client pages fit the window', async (t) => {
  const { agent, allocId, nodeId } = await agentWithJobs();
  const ui = await openUi(t, agent, { width: 375, height: 812 });
  if (!ui) return;
  const { page } = ui;
  const overflow = () => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));

  await ui.open('/ui/jobs');
  await page.locator('tbody tr').nth(JOBS - 1).waitFor();
  const jobs = await overflow();
  assert.ok(jobs.scroll <= jobs.inner + 1, `jobs page is ${jobs.scroll} px wide in a ${jobs.inner} px window`);
  await ui.screenshot('jobs-narrow');

  await ui.open('/ui/settings/tokens');
  await page.getByLabel('Secret ID').waitFor();
  const tokens = await overflow();
  assert.ok(tokens.scroll <= tokens.inner + 1, `token screen is ${tokens.scroll} px wide in a ${tokens.inner} px window`);

  // A job's, an allocation's and the client's page.
  for (const path of ['/ui/jobs/job-01', `/ui/allocations/${allocId}`, `/ui/clients/${nodeId}`]) {
    await ui.open(path);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    const o = await overflow();
    assert.ok(o.scroll <= o.inner + 1, `${path} is ${o.scroll} px wide in a ${o.inner} px window`);
  }
  assert.deepEqual(ui.errors, []);
});
