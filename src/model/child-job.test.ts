import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dispatchedChildId, idPrefixTemplateProblem, periodicChildId } from './child-job.js';

const T = Date.UTC(2023, 10, 14, 22, 13, 20, 999); // 1700000000.999 s

test('child IDs: Nomad\'s formats, with and without an ID prefix template (structs.DispatchedID)', () => {
  assert.equal(periodicChildId('batch', T), 'batch/periodic-1700000000');
  assert.equal(dispatchedChildId('tmpl', T, '1a2b3c4d-0000-4000-8000-000000000000'), 'tmpl/dispatch-1700000000-1a2b3c4d');
  assert.equal(dispatchedChildId('tmpl', T, '1a2b3c4d-0000', ''), 'tmpl/dispatch-1700000000-1a2b3c4d');
  assert.equal(dispatchedChildId('tmpl', T, '1a2b3c4d-0000', 'nightly'), 'tmpl/dispatch-nightly-1700000000-1a2b3c4d');
  assert.equal(dispatchedChildId('tmpl', T, '1a2b3c4d-0000', 'a/b'), 'tmpl/dispatch-a/b-1700000000-1a2b3c4d');
});

test('idPrefixTemplateProblem: what Job.Validate refuses in the resulting ID, naming the field', () => {
  assert.equal(idPrefixTemplateProblem(''), undefined);
  assert.equal(idPrefixTemplateProblem('nightly-2026.12'), undefined);
  assert.equal(idPrefixTemplateProblem('a b'), 'IdPrefixTemplate "a b": Job ID contains a space');
  assert.equal(idPrefixTemplateProblem('a\0b'), 'IdPrefixTemplate "a\\u0000b": Job ID contains a null character');
});
