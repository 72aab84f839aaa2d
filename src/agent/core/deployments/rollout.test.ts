/** The rollout limits on plans: max_parallel less in-flight, canaries beside the old allocs, promotion. Pure. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJob, makeTask } from '../../../taskrunner/testing.js';
import { DEFAULT_UPDATE_STRATEGY, type Job, type UpdateStrategy } from '../../../model/index.js';
import type { AllocRecord } from '../../state/state-db.js';
import { planRegistration } from '../reconcile.js';
import { limitPlan, planRollout } from './rollout.js';

function jobWith(runFor: string, update: Partial<UpdateStrategy>): Job {
  const j = makeJob([makeTask('t', { run_for: runFor })], { group: { count: 4 } });
  return { ...j, groups: j.groups.map((g) => ({ ...g, update: { ...DEFAULT_UPDATE_STRATEGY, ...update } })) };
}

const alloc = (id: string, index: number, jobVersion: number): AllocRecord => ({ id, group: 'g', index, jobVersion, desiredStatus: 'run', terminal: false }) as AllocRecord;
const allocs = (version: number): AllocRecord[] => [0, 1, 2, 3].map((i) => alloc(`a${i}`, i, version));

test('a destructive registration lets max_parallel replacements through, lowest index first', () => {
  const v0 = jobWith('5s', { maxParallel: 2 });
  const v1 = jobWith('6s', { maxParallel: 2 });
  const { plan, canaries } = limitPlan(v1, planRegistration(v0, v1, allocs(0)), allocs(0), () => ({ inFlight: 0, promoted: false }));
  assert.deepEqual(plan.stop.map((s) => s.allocId).sort(), ['a0', 'a1']);
  assert.deepEqual(plan.place.map((p) => p.index).sort(), [0, 1]);
  assert.equal(canaries.size, 0);
});

test('with canaries nothing is stopped and only the canaries are placed', () => {
  const v0 = jobWith('5s', { canary: 1 });
  const v1 = jobWith('6s', { canary: 1 });
  const { plan, canaries } = limitPlan(v1, planRegistration(v0, v1, allocs(0)), allocs(0), () => ({ inFlight: 0, promoted: false }));
  assert.deepEqual(plan.stop, []);
  assert.deepEqual(plan.place, [{ group: 'g', index: 0 }]);
  assert.deepEqual([...canaries], ['g[0]']);
});

test("the next step replaces old allocs up to max_parallel less those in flight; a promoted canary's name is stopped without replacement", () => {
  const v0 = jobWith('5s', { maxParallel: 2, canary: 1 });
  const v1 = jobWith('6s', { maxParallel: 2, canary: 1 });
  const mixed = [...allocs(0), alloc('c0', 0, 1)];
  const jobOf = (a: AllocRecord) => (a.jobVersion === 0 ? v0 : v1);
  const waiting = planRollout(v1, 1, mixed, jobOf, () => ({ inFlight: 0, promoted: false }), () => new Set([0]));
  assert.deepEqual(waiting, { place: [], stop: [], inPlace: [], destructive: {} }, 'nothing before promotion');
  const p = planRollout(v1, 1, mixed, jobOf, () => ({ inFlight: 1, promoted: true }), () => new Set([0]));
  assert.deepEqual(p.stop.map((s) => [s.allocId, s.description]), [
    ['a0', 'alloc not needed due to job update'],
    ['a1', 'alloc is being updated due to job update'],
  ]);
  assert.deepEqual(p.place, [{ group: 'g', index: 1 }]);
});
