import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayMessage, newEvent } from './task-event.js';

test('displayMessage: matches nomad alloc status wording', () => {
  const t = 0;
  assert.equal(displayMessage(newEvent('Received', t, {})), 'Task received by client');
  assert.equal(displayMessage(newEvent('Task Setup', t, { message: 'Building Task Directory' })), 'Building Task Directory');
  assert.equal(displayMessage(newEvent('Started', t, {})), 'Task started by client');
  assert.equal(
    displayMessage(newEvent('Terminated', t, { exitCode: 0, signal: 9, message: 'error on exit', oomKilled: false })),
    'Exit Code: 0, Signal: 9, Exit Message: "error on exit"',
  );
  assert.equal(displayMessage(newEvent('Terminated', t, { exitCode: 2, signal: 0, message: '', oomKilled: false })), 'Exit Code: 2');
  // An OOM kill shows only in the details (oom_killed), as Nomad's TaskTerminated message and `nomad alloc status` (issue 16).
  assert.equal(displayMessage(newEvent('Terminated', t, { exitCode: 137, signal: 9, message: '', oomKilled: true })), 'Exit Code: 137, Signal: 9');
  assert.equal(displayMessage(newEvent('Restarting', t, { restartReason: 'Restart within policy', startDelayMs: 17_426.443129 })), 'Task restarting in 17.426443129s');
  assert.equal(
    displayMessage(newEvent('Restarting', t, { restartReason: 'Exceeded allowed attempts, applying a delay', startDelayMs: 60_000 })),
    'Exceeded allowed attempts, applying a delay - Task restarting in 1m0s',
  );
  assert.equal(displayMessage(newEvent('Killing', t, { killTimeoutMs: 5_000, killReason: '' })), 'Sent interrupt. Waiting 5s before force killing');
  assert.equal(displayMessage(newEvent('Killed', t, { killError: '' })), 'Task successfully killed');
  assert.equal(displayMessage(newEvent('Sibling Task Failed', t, { failedSibling: 'web' })), `Task's sibling "web" failed`);
  assert.equal(displayMessage(newEvent('Leader Task Dead', t, {})), 'Leader Task in Group dead');
  assert.equal(displayMessage(newEvent('Main Tasks Dead', t, {})), 'Main tasks in the group died');
  assert.equal(displayMessage(newEvent('Signaling', t, { taskSignal: 'SIGHUP', taskSignalReason: '' })), 'Task being sent signal SIGHUP');
  assert.equal(displayMessage(newEvent('Signaling', t, { taskSignal: 'SIGHUP', taskSignalReason: '', display: 'Template re-rendered' })), 'Template re-rendered');
  assert.equal(displayMessage(newEvent('Restart Signaled', t, { restartReason: '' })), 'Task signaled to restart');
  assert.equal(displayMessage(newEvent('Not Restarting', t, { restartReason: 'Error was unrecoverable', failsTask: true })), 'Error was unrecoverable');
});
