/**
 * Variables in a real browser against a real agent: create one in the UI, see
 * it listed and view it with its values hidden until shown, edit it; a change
 * made over the API between the form's load and its save is refused by the
 * check-and-set and shown as a conflict, the edits kept, then overwritten on
 * request; a path the API refuses is shown at the field; delete with confirm.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { purgeAndStop, startAgent, type AgentProcess } from '../api/testing.js';
import { closeBrowser, openUi } from './browser.js';

const agents: AgentProcess[] = [];
after(async () => {
  await closeBrowser();
  await purgeAndStop(agents);
});

test('create, list, view, edit with a check-and-set conflict, and delete a variable', async (t) => {
  const a = await startAgent();
  agents.push(a);
  const ui = await openUi(t, a);
  if (!ui) return;
  const { page } = ui;

  await ui.open('/ui/variables');
  await page.getByText('No variables yet').waitFor();
  await page.getByRole('link', { name: 'Create Variable' }).click();
  await page.waitForURL(/\/ui\/variables\/new$/);

  // A path the API refuses: its message shows at the field.
  await page.getByLabel('Path').fill('bad path!');
  await page.getByLabel('Key 1').fill('user');
  await page.getByLabel('Value 1').fill('admin');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('alert').getByText(/invalid path/).waitFor();
  assert.equal(await page.getByLabel('Path').getAttribute('aria-invalid'), 'true');

  await page.getByLabel('Path').fill('app/db');
  await page.getByRole('button', { name: 'Add item' }).click();
  await page.getByLabel('Key 2').fill('password');
  await page.getByLabel('Value 2').fill('s3cret');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL(/\/ui\/variables\/var\/app\/db@default$/);
  const stored = await a.client.variables.read('app/db');
  assert.deepEqual(stored.Items, { user: 'admin', password: 's3cret' });

  // The values are hidden until shown.
  const pw = page.locator('tr[data-item="password"]');
  await pw.getByLabel('hidden value').waitFor();
  assert.equal(await page.getByText('s3cret').count(), 0);
  await pw.getByRole('button', { name: 'Show value of password' }).click();
  await pw.getByText('s3cret').waitFor();

  await page.getByRole('link', { name: 'All variables' }).click();
  await page.locator('tr[data-var="app/db"]').getByRole('link', { name: 'app/db' }).waitFor();
  await ui.screenshot('variables');

  // Edit: someone else changes it over the API between the load and the save.
  await page.getByRole('link', { name: 'app/db' }).click();
  await page.getByRole('link', { name: 'Edit' }).click();
  await page.waitForURL(/\/ui\/variables\/var\/app\/db@default\/edit$/);
  // The API answers the items by key (as Go's JSON maps): password first.
  assert.equal(await page.getByLabel('Key 1').inputValue(), 'password');
  await page.getByLabel('Value 1').fill('mine');
  await a.client.variables.checkedUpdate({ Path: 'app/db', Items: { user: 'admin', password: 'theirs', extra: 'x' } }, stored.ModifyIndex);
  await page.getByRole('button', { name: 'Save' }).click();
  const conflict = page.locator('.conflict');
  await conflict.getByText('someone else changed this variable').waitFor();
  await ui.screenshot('variable-edit');
  await page.setViewportSize({ width: 375, height: 800 });
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 375, 'the form fits a phone');
  await page.setViewportSize({ width: 1280, height: 800 });
  // Nothing lost: theirs is stored, mine still in the form.
  assert.equal((await a.client.variables.read('app/db')).Items?.['password'], 'theirs');
  assert.equal(await page.getByLabel('Value 1').inputValue(), 'mine');

  await conflict.getByRole('button', { name: 'Overwrite with my edits' }).click();
  await page.waitForURL(/\/ui\/variables\/var\/app\/db@default$/);
  assert.deepEqual((await a.client.variables.read('app/db')).Items, { user: 'admin', password: 'mine' });

  // Delete, confirmed.
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.waitForURL(/\/ui\/variables$/);
  await page.getByText('No variables yet').waitFor();
  assert.equal(await a.client.variables.peek('app/db'), undefined);
  // The refused path (400), the conflict (409) and the deleted variable's reload (404, when its
  // event beats the navigation away) are the browser's own console lines; nothing else.
  assert.deepEqual(
    ui.errors.filter((e) => !/^Failed to load resource: the server responded with a status of (400|409|404)/.test(e)),
    [],
  );
});
