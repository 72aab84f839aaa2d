import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteJobUrl } from './job-path.js';

test('rewriteJobUrl: a child ID escaped or not becomes one escaped segment, endpoint suffix and query kept', () => {
  const cases: Array<[string, string]> = [
    ['/v1/job/web', '/v1/job/web'],
    ['/v1/job/web/allocations?index=3', '/v1/job/web/allocations?index=3'],
    ['/v1/job/batch/periodic-1700000000', '/v1/job/batch%2Fperiodic-1700000000'],
    ['/v1/job/batch%2Fperiodic-1700000000', '/v1/job/batch%2Fperiodic-1700000000'],
    ['/v1/job/batch%2fperiodic-1700000000', '/v1/job/batch%2Fperiodic-1700000000'],
    ['/v1/job/tmpl/dispatch-1700000000-1a2b3c4d/allocations', '/v1/job/tmpl%2Fdispatch-1700000000-1a2b3c4d/allocations'],
    ['/v1/job/tmpl%2Fdispatch-1700000000-1a2b3c4d/summary?stale', '/v1/job/tmpl%2Fdispatch-1700000000-1a2b3c4d/summary?stale'],
    ['/v1/job/batch/periodic/force', '/v1/job/batch/periodic/force'],
    ['/v1/job/a/b/periodic-1/periodic/force', '/v1/job/a%2Fb%2Fperiodic-1/periodic/force'],
    ['/v1/job/p/dispatch-x-1-ab/dispatch', '/v1/job/p%2Fdispatch-x-1-ab/dispatch'],
    // Nomad's order: "/dispatch/payload" never ends with "/dispatch", so it is its own endpoint.
    ['/v1/job/p/dispatch/payload', '/v1/job/p/dispatch/payload'],
    // A bare suffix is a job ID, not an endpoint of the empty ID.
    ['/v1/job/summary', '/v1/job/summary'],
    ['/v1/jobs?prefix=a/b', '/v1/jobs?prefix=a/b'],
    ['/v1/job/bad%zz', '/v1/job/bad%zz'],
  ];
  for (const [url, want] of cases) assert.equal(rewriteJobUrl(url), want, url);
});
