import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './state-db.js';
import { DeploymentStore, type DeploymentGroupState, type DeploymentRecord } from './deployment-store.js';

const group = (placed: number): DeploymentGroupState => ({
  autoRevert: false,
  autoPromote: false,
  progressDeadlineMs: 600_000,
  requireProgressBy: 1_796_000_000_000,
  promoted: false,
  placedCanaries: [],
  desiredCanaries: 0,
  desiredTotal: 1,
  placedAllocs: placed,
  healthyAllocs: 0,
  unhealthyAllocs: 0,
});

test('a deployment read again shares its unchanged group states with the last read, and the changed one is new', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-store-'));
  const db = openDatabase(dir);
  try {
    const store = new DeploymentStore(db);
    const groups: Record<string, DeploymentGroupState> = {};
    for (let i = 0; i < 300; i++) groups[`g${i}`] = group(0);
    const d: DeploymentRecord = {
      id: 'd1', jobId: 'web', jobVersion: 0, jobCreateIndex: 1, jobModifyIndex: 1, status: 'running', statusDescription: 'Deployment is running',
      groups, createIndex: 2, modifyIndex: 2, createTime: 0, modifyTime: 0,
    };
    store.put(d);
    const first = store.get('d1');
    store.put({ ...d, groups: { ...groups, g7: group(1) }, modifyIndex: 3 });
    const second = store.get('d1');
    assert.ok(first && second);
    // What the event stream keeps of each write: 299 of 300 group states are one object, not two.
    assert.equal(second.groups['g0'], first.groups['g0']);
    assert.equal(second.groups['g299'], first.groups['g299']);
    assert.notEqual(second.groups['g7'], first.groups['g7']);
    assert.equal(second.groups['g7']?.placedAllocs, 1);
    assert.equal(first.groups['g7']?.placedAllocs, 0, 'an earlier record is never changed');
    assert.deepEqual(Object.keys(second.groups).length, 300);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
