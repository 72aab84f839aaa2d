/**
 * The client, services and deployments pages in a real browser against one
 * real agent (raw_exec enabled, a host volume configured): the node's drivers
 * healthy, its host volume and a job's running allocation; a native service
 * with an http check shown passing; a canary deployment waiting for promotion
 * and promoted from the UI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../model/testing/eventually.js';
import { mockJob, purgeAndStop, RAW_EXEC_CONFIG, runHcl, startAgent, type AgentProcess } from '../api/testing.js';
import type { Page } from 'playwright-core';
import { closeBrowser, openUi } from './browser.js';

const agents: AgentProcess[] = [];
let agent: AgentProcess;
const volDir = mkdtempSync(join(tmpdir(), 'drover-ui-vol-'));

before(async () => {
  agent = await startAgent({ configHcl: `${RAW_EXEC_CONFIG}client {\n  host_volume "certs" {\n    path      = "${volDir}"\n    read_only = true\n  }\n}\n` });
  agents.push(agent);
});
after(async () => {
  await closeBrowser();
  await purgeAndStop(agents);
  rmSync(volDir, { recursive: true, force: true });
});

test('the client page shows the drivers healthy, the host volume, resources and the running allocation', async (t) => {
  const ui = await openUi(t, agent);
  if (!ui) return;
  await runHcl(agent.client, mockJob('sleepy', 'run_for = "1h"'));
  const alloc = await eventually(async () => (await agent.client.jobs.allocations('sleepy')).find((a) => a.ClientStatus === 'running'), { timeoutMs: 20_000, message: 'sleepy running' });

  await ui.open('/ui/clients');
  const [node] = await agent.client.nodes.list();
  assert.ok(node);
  await ui.page.getByRole('link', { name: node.Name }).click();
  await ui.page.waitForURL(new RegExp(`/ui/clients/${node.ID}$`));
  await ui.page.getByRole('heading', { name: /^Client / }).waitFor();

  for (const d of ['mock_driver', 'raw_exec']) {
    const card = ui.page.locator(`li[data-driver="${d}"]`);
    await card.getByText('healthy', { exact: true }).waitFor();
  }
  await ui.page.locator('li[data-driver="raw_exec"]').getByText(/^Attributes/).click();
  await ui.page.getByRole('table', { name: 'raw_exec attributes' }).waitFor();

  const vols = ui.page.locator('table.host-volumes');
  await vols.getByRole('rowheader', { name: 'certs' }).waitFor();
  await vols.getByText(volDir).waitFor();

  const row = ui.page.locator(`tr[data-alloc="${alloc.ID}"]`);
  await row.getByText('running', { exact: true }).waitFor();
  await row.getByRole('link', { name: 'sleepy', exact: true }).waitFor();
  // The running alloc's 100 MHz and 300 MiB (Nomad's defaults) count as allocated.
  const resource = (name: string) => ui.page.locator('table.resources tr', { has: ui.page.getByRole('rowheader', { name }) });
  await resource('CPU').getByText(/^100 MHz \(/).waitFor();
  await resource('Memory').getByText(/^300 MiB \(/).waitFor();

  // The agent's metrics, searchable.
  await ui.page.getByLabel('Filter metrics').fill('allocations.running');
  await ui.page.locator('table.metrics').getByText('nomad.client.allocations.running').waitFor();
  assert.equal(await ui.page.locator('table.metrics tbody tr').count(), 1);
  await ui.page.getByLabel('Filter metrics').fill('');
  await ui.screenshot('client');
  await noPageOverflowAt375(ui.page);

  // Live: a stop shows without a reload; the alloc links to its page.
  await agent.client.jobs.deregister('sleepy');
  await row.getByText('complete', { exact: true }).waitFor();
  await row.getByRole('link', { name: /: allocation / }).click();
  await ui.page.waitForURL(new RegExp(`/ui/allocations/${alloc.ID}$`));
  assert.deepEqual(ui.errors, []);
});

/** Answers 200 on every path; the port is NOMAD_PORT_http. */
const SERVER = "require('http').createServer((q, s) => s.end('hello from ' + q.url)).listen(Number(process.env.NOMAD_PORT_http))";

test('a native service shows in the services list and its http check passes on the service page', async (t) => {
  const ui = await openUi(t, agent);
  if (!ui) return;
  await runHcl(
    agent.client,
    `job "web" {
  group "g" {
    network {
      port "http" {}
    }
    service {
      name     = "web-svc"
      provider = "nomad"
      port     = "http"
      tags     = ["front", "v1"]
      check {
        name     = "root"
        type     = "http"
        path     = "/"
        interval = "1s"
        timeout  = "1s"
      }
    }
    task "server" {
      driver = "raw_exec"
      kill_timeout = "1s"
      config {
        command = ${JSON.stringify(process.execPath)}
        args    = ["-e", ${JSON.stringify(SERVER)}]
      }
    }
  }
}
`,
  );
  await ui.open('/ui/services');
  const link = ui.page.getByRole('link', { name: 'web-svc' });
  await link.waitFor();
  await ui.page.locator('tr[data-service="web-svc"]').getByText('front').waitFor();
  await ui.screenshot('services');
  await link.click();
  await ui.page.waitForURL(/\/ui\/services\/web-svc$/);
  const check = ui.page.locator('tr[data-check="root"]');
  await check.getByText('passing', { exact: true }).waitFor();
  await check.getByText('HTTP 200').waitFor();
  const [reg] = await agent.client.services.get('web-svc');
  assert.ok(reg);
  await ui.page.getByText(`${reg.Address}:${reg.Port}`).waitFor();
  await ui.page.locator('.instance-head').getByText('passing', { exact: true }).waitFor();
  await ui.page.getByRole('link', { name: reg.AllocID.slice(0, 8) }).waitFor();
  await ui.screenshot('service');
  await noPageOverflowAt375(ui.page);
  assert.deepEqual(ui.errors, []);
});

/** At a phone's width the page itself does not scroll sideways (wide tables scroll in their own box). */
async function noPageOverflowAt375(page: Page): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 375, height: 800 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 375, `the page is ${wide} px wide at 375`);
  if (size) await page.setViewportSize(size);
}

function canaryJob(env: string): string {
  return `job "canary" {
  update {
    max_parallel      = 1
    canary            = 1
    auto_promote      = false
    min_healthy_time  = "200ms"
    healthy_deadline  = "10s"
    progress_deadline = "20s"
  }
  group "g" {
    count = 2
    task "t" {
      driver = "raw_exec"
      kill_timeout = "1s"
      config {
        command = "/bin/sh"
        args    = ["-c", "exec sleep 300"]
      }
      env { V = "${env}" }
    }
  }
}
`;
}

test('a canary deployment shows waiting for promotion, Promote in the UI completes it, and Fail fails the next one', async (t) => {
  const ui = await openUi(t, agent);
  if (!ui) return;
  await runHcl(agent.client, canaryJob('0'));
  await eventually(async () => (await agent.client.deployments.forJob('canary')).find((d) => d.JobVersion === 0 && d.Status === 'successful'), { timeoutMs: 30_000, message: 'first deployment successful' });
  await ui.open('/ui/jobs/canary/deployments');
  await ui.page.locator('.deployment.latest').getByText('successful', { exact: true }).waitFor();

  await runHcl(agent.client, canaryJob('1'));
  const latest = ui.page.locator('.deployment.latest');
  await latest.getByText('version 1', { exact: false }).waitFor();
  await latest.getByText(/requires manual promotion/i).waitFor();
  const group = latest.locator('tr[data-group="g"]');
  await group.getByRole('cell', { name: '1 / 1' }).waitFor();
  // Promote once the canary is healthy (the Healthy column).
  await group.getByRole('cell').nth(2).getByText('1', { exact: true }).waitFor();
  await ui.screenshot('deployments');

  ui.page.once('dialog', (d) => void d.accept());
  await latest.getByRole('button', { name: 'Promote' }).click();
  await latest.getByText('successful', { exact: true }).waitFor();
  await group.getByRole('cell', { name: 'yes' }).waitFor();
  await ui.page.locator('.deployment').nth(1).getByText('version 0', { exact: false }).waitFor();

  // The next version's deployment failed from the UI.
  await runHcl(agent.client, canaryJob('2'));
  await latest.getByText('version 2', { exact: false }).waitFor();
  await latest.getByText(/requires manual promotion/i).waitFor();
  ui.page.once('dialog', (d) => void d.accept());
  await latest.getByRole('button', { name: 'Fail' }).click();
  await latest.getByText('failed', { exact: true }).waitFor();
  await latest.getByText('Deployment marked as failed').waitFor();
  assert.equal(await latest.getByRole('button', { name: 'Fail' }).count(), 0);
  assert.deepEqual(ui.errors, []);
});
