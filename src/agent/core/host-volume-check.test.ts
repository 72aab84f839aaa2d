import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VolumeRequest } from '../../model/index.js';
import { makeJob, makeTask } from '../../taskrunner/testing.js';
import { hostVolumeProblems } from './host-volume-check.js';

const vol = (name: string, source: string, over: Partial<VolumeRequest> = {}): VolumeRequest => ({
  name, type: 'host', source, readOnly: false, perAlloc: false, accessMode: '', attachmentMode: '', ...over,
});
const node = { data: { path: '/srv/data', readOnly: false }, 'shard[0]': { path: '/srv/s0', readOnly: false } };

test('host volume check: present volumes pass; a missing one is named once per group volume', () => {
  const job = makeJob([makeTask('t', {})], { group: { name: 'g', volumes: [vol('d', 'data'), vol('x', 'nope')] } });
  const placements = [{ group: job.groups[0]?.name ?? '', index: 0 }, { group: job.groups[0]?.name ?? '', index: 1 }];
  const problems = hostVolumeProblems(job, placements, node);
  assert.equal(problems.length, 1);
  assert.match(problems[0]?.message ?? '', /^Constraint "missing compatible host volumes": group "g" volume "x" needs host volume "nope", which this node does not have \(it has: data, shard\[0\]\)$/);
  assert.deepEqual(hostVolumeProblems(job, placements, {}).map((p) => /it has no host_volume blocks/.test(p.message)), [true, true]);
});

test('host volume check: per_alloc sources are checked per placement index', () => {
  const job = makeJob([makeTask('t', {})], { group: { name: 'g', volumes: [vol('s', 'shard', { perAlloc: true })] } });
  assert.deepEqual(hostVolumeProblems(job, [{ group: 'g', index: 0 }], node), []);
  assert.match(hostVolumeProblems(job, [{ group: 'g', index: 1 }], node)[0]?.message ?? '', /needs host volume "shard\[1\]"/);
});
