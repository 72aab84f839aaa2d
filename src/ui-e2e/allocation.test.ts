/**
 * The allocation page in a real browser against a real agent running a real
 * raw_exec task that prints a line every 0.3 s: live logs with pause and resume,
 * an exec shell, a task restart seen in the timeline, the usage charts, the
 * file browser, and stopping the allocation.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startAgent, purgeAndStop, runHcl, RAW_EXEC_CONFIG, type AgentProcess } from '../api/testing.js';
import { ApiClient } from '../api/client.js';
import { eventually } from '../model/testing/eventually.js';
import { closeBrowser, openUi } from './browser.js';

const agents: AgentProcess[] = [];
after(async () => {
  await closeBrowser();
  await purgeAndStop(agents);
});

const TICKER = `job "ticker" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      kill_timeout = "1s"
      config {
        command = "/bin/sh"
        args = ["-c", "i=0; while true; do i=$((i+1)); echo \\"tick $i\\"; sleep 0.3; done"]
      }
    }
  }
}
`;

/** The highest "tick N" in `text` (0 when none). */
const lastTick = (text: string): number => Math.max(0, ...[...text.matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));

/** Waits until the log view shows a tick above `n`; returns the view's text. */
async function waitForTickAbove(page: Page, n: number): Promise<string> {
  const handle = await page.waitForFunction(
    (min) => {
      const t = document.querySelector('pre.log-output')?.textContent ?? '';
      const ticks = [...t.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
      return ticks.length > 0 && Math.max(...ticks) > min ? t : undefined;
    },
    n,
  );
  return (await handle.jsonValue()) as string;
}

test('an allocation: live logs, pause and resume, exec, restart events, charts, files, stop', async (t) => {
  const a = await startAgent({ configHcl: RAW_EXEC_CONFIG });
  agents.push(a);
  const ui = await openUi(t, a);
  if (!ui) return;
  const { page } = ui;
  page.on('dialog', (d) => void d.accept());
  await runHcl(a.client, TICKER);
  const alloc = await eventually(async () => (await a.client.jobs.allocations('ticker')).find((x) => x.ClientStatus === 'running'), { timeoutMs: 30_000, message: 'a running ticker alloc' });

  // The overview: header facts, the task with its events, the charts drawing live numbers.
  await ui.open(`/ui/allocations/${alloc.ID}`);
  await page.getByRole('heading', { name: /Allocation ticker\.g\[0\]/ }).waitFor();
  await page.getByRole('link', { name: 'ticker' }).first().waitFor();
  const panel = page.locator('section.task-panel[data-task="t"]');
  await panel.getByRole('list', { name: 'Events of t' }).getByText('Started', { exact: true }).waitFor();
  await page.locator('.chart canvas').nth(1).waitFor();
  const mem = page.locator('[data-metric="memory"]');
  // A few polls in, the numbers are the task's (a shell's memory is not zero) and keep coming.
  await page.waitForFunction(() => Number(document.querySelector('section.stats')?.getAttribute('data-samples')) >= 3);
  await page.waitForFunction(() => /^[1-9][\d.]* (KiB|MiB)/.test(document.querySelector('[data-metric="memory"]')?.textContent ?? ''));
  await ui.screenshot('allocation');
  assert.match(await mem.innerText(), /(KiB|MiB) \/ 300 MiB reserved/);

  // Logs: a line printed after the page opened arrives (follow); pause holds the view, resume catches up.
  await panel.getByRole('link', { name: 'Logs' }).click();
  await page.waitForURL(/\/t\/logs$/);
  const first = lastTick(await waitForTickAbove(page, 0));
  await waitForTickAbove(page, first + 2);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByText(/arrived meanwhile/).waitFor();
  const frozen = (await page.locator('pre.log-output').textContent()) ?? '';
  await page.getByText(/Paused: .* arrived meanwhile/).waitFor();
  // More output arrived (the status says so) but the view did not move.
  await page.waitForFunction((n) => {
    const m = /Paused: ([\d.]+) (B|KiB)/.exec(document.querySelector('.logs-state')?.textContent ?? '');
    return m && Number(m[1]) * (m[2] === 'KiB' ? 1024 : 1) >= n;
  }, 16);
  assert.equal((await page.locator('pre.log-output').textContent()) ?? '', frozen);
  await ui.screenshot('allocation-logs');
  await page.getByRole('button', { name: 'Resume' }).click();
  await waitForTickAbove(page, lastTick(frozen));
  await page.getByRole('button', { name: 'stderr' }).click();
  await page.getByText('t has not written anything to stderr').waitFor();

  // Exec: a shell in the task; what it prints comes back into the terminal.
  await page.getByRole('link', { name: 'Exec' }).click();
  await page.getByText(/Connected: \/bin\/sh in t/).waitFor();
  await shell(page, 'echo hi', 'hi');
  await ui.screenshot('allocation-exec');
  // A file too big to show at once, for the file browser below: 100,000 bytes with an "é" (2 bytes) across the 64 KiB piece boundary.
  await shell(page, '{ head -c 65535 /dev/zero | tr "\\0" x; printf "\\303\\251"; head -c 34463 /dev/zero | tr "\\0" x; } > "$NOMAD_TASK_DIR/big.txt" && echo "wrote big"', 'wrote big');
  await page.keyboard.type('exit 3\n');
  await page.getByText('The command exited with code 3.').waitFor();

  // Restart the task: new events in the timeline and the restart count goes up.
  await page.getByRole('link', { name: 'Overview' }).click();
  await page.waitForURL(/\/t$/);
  const restarts = page.locator('section.task-panel [data-restarts]');
  assert.equal(await restarts.innerText(), '0');
  await page.getByRole('button', { name: 'Restart Task' }).click();
  await page.getByText('Restart of t requested.').waitFor();
  const timeline = page.getByRole('list', { name: 'Events of t' });
  await timeline.getByText('Restart Signaled', { exact: true }).waitFor();
  await timeline.getByText('Restarting', { exact: true }).waitFor();
  await timeline.getByText('User requested task to restart').first().waitFor();
  await page.waitForFunction(() => document.querySelector('section.task-panel [data-restarts]')?.textContent === '1');

  // A harmless signal: the result is said, and the timeline shows Nomad's Signaling event.
  await page.getByLabel('Signal').selectOption('SIGCONT');
  await page.getByRole('button', { name: 'Send Signal' }).click();
  await page.getByText('SIGCONT sent to t.').waitFor();
  await timeline.getByText('Task being sent signal SIGCONT').waitFor();

  // Files: the alloc dir, down to the task's log file, and errors as messages.
  await ui.open(`/ui/allocations/${alloc.ID}/fs`);
  await page.getByRole('link', { name: 'alloc/' }).click();
  await page.getByRole('link', { name: 'logs/' }).click();
  await page.waitForURL(/\/fs\/alloc\/logs$/);
  await page.getByRole('link', { name: 't.stdout.0' }).click();
  await page.locator('pre.file-content').getByText(/tick 1\b/).first().waitFor();
  await page.getByRole('navigation', { name: 'Path' }).getByRole('link', { name: 'logs' }).waitFor();
  await ui.screenshot('allocation-files');
  await ui.open(`/ui/allocations/${alloc.ID}/t/fs`);
  await page.getByRole('link', { name: 'local/' }).click();
  await page.getByRole('link', { name: 'big.txt' }).click();
  await page.waitForURL(/\/t\/fs\/local\/big\.txt$/);
  await page.getByText(/showing the first 64\.0 KiB/).waitFor();
  // The first piece ends inside the "é": its first byte waits for the next piece instead of showing as U+FFFD.
  assert.equal(((await page.locator('pre.file-content').textContent()) ?? '').length, 64 * 1024 - 1);
  await page.getByRole('button', { name: /Load 33\.7 KiB more/ }).click();
  await page.waitForFunction(() => document.querySelector('pre.file-content')?.textContent?.length === 99_999);
  const whole = (await page.locator('pre.file-content').textContent()) ?? '';
  assert.equal(whole[65535], 'é');
  assert.ok(!whole.includes('\uFFFD'), 'no broken character');
  assert.equal(await page.getByRole('button', { name: /more$/ }).count(), 0);
  await ui.open(`/ui/allocations/${alloc.ID}/fs/no-such-file`);
  await page.getByRole('alert').getByText(/no-such-file|not found|no such/i).waitFor();
  await ui.open(`/ui/allocations/${alloc.ID}/fs/..%2F..%2F..%2Fetc%2Fpasswd`);
  await page.getByRole('alert').waitFor();
  assert.equal(await page.locator('pre.file-content').count(), 0);

  // A phone's width: the page wraps instead of overflowing.
  await page.setViewportSize({ width: 375, height: 800 });
  await ui.open(`/ui/allocations/${alloc.ID}`);
  await page.locator('.chart canvas').nth(1).waitFor();
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 375), 'no horizontal overflow at 375 px');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Stop: confirmed, then the allocation reads complete without a reload.
  await ui.open(`/ui/allocations/${alloc.ID}`);
  await page.getByRole('button', { name: 'Stop Alloc' }).click();
  await page.getByText(/Stop requested/).waitFor();
  await page.locator('.alloc-facts').getByText('complete', { exact: true }).waitFor();
  // The browser logs the two refused file reads above (404, 403), and a stats poll in flight when the
  // stop landed may be refused (400) before the page hears the alloc stopped; nothing else went wrong.
  assert.deepEqual(ui.errors.filter((e) => !/Failed to load resource: .* (404|403)/.test(e) && !/status of 400 .*\/stats\)$/.test(e)), []);
});

test('with ACLs on: exec sends the token in its handshake; a read-only token is told it may not act', async (t) => {
  const a = await startAgent({ configHcl: `${RAW_EXEC_CONFIG}acl {\n  enabled = true\n}\n` });
  agents.push(a);
  const boot = await a.client.acl.bootstrap();
  const mgmt = new ApiClient({ address: a.address, token: boot.SecretID });
  // purgeAndStop purges through the agent's client: give it the management token.
  agents[agents.length - 1] = { ...a, client: mgmt };
  const reader = (await mgmt.acl.create({ Name: 'reader', Type: 'client', Policies: ['read'] })).SecretID;
  await runHcl(mgmt, TICKER);
  const alloc = await eventually(async () => (await mgmt.jobs.allocations('ticker')).find((x) => x.ClientStatus === 'running'), { timeoutMs: 30_000, message: 'a running ticker alloc' });

  const ui = await openUi(t, a, { token: boot.SecretID });
  if (!ui) return;
  await ui.open(`/ui/allocations/${alloc.ID}/t/exec`);
  await ui.page.getByText(/Connected: \/bin\/sh in t/).waitFor();
  await shell(ui.page, 'echo "$((40 + 2))"', '42');

  const ro = await openUi(t, a, { token: reader });
  if (!ro) return;
  ro.page.on('dialog', (d) => void d.accept());
  await ro.open(`/ui/allocations/${alloc.ID}`);
  await ro.page.getByRole('button', { name: 'Restart Alloc' }).click();
  await ro.page.getByRole('alert').getByText('Not authorized.').waitFor();
  // Reading is allowed: the logs stream.
  await ro.open(`/ui/allocations/${alloc.ID}/t/logs`);
  await waitForTickAbove(ro.page, 0);
  await ro.open(`/ui/allocations/${alloc.ID}/t/exec`);
  await ro.page.getByText(/The connection closed \(1008\): Permission denied/).waitFor();
});

/**
 * Types `command` into the exec terminal once the shell shows its prompt (as a user waits for it),
 * then waits for a line reading `expected`; a timeout says what the terminal showed.
 */
async function shell(page: Page, command: string, expected: string): Promise<void> {
  const rows = () => page.evaluate(() => document.querySelector<HTMLElement>('.terminal .xterm-rows')?.innerText ?? '');
  try {
    await page.waitForFunction(() => (document.querySelector<HTMLElement>('.terminal .xterm-rows')?.innerText ?? '').split('\n').some((l) => /[#$] ?$/.test(l.trimEnd() + ' ')));
    await page.locator('.terminal .xterm').click();
    await page.keyboard.type(`${command}\n`);
    await page.waitForFunction((want) => (document.querySelector<HTMLElement>('.terminal .xterm-rows')?.innerText ?? '').split('\n').some((l) => l.trim() === want), expected);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nthe terminal showed:\n${(await rows()).trimEnd()}`);
  }
}
