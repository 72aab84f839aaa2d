/**
 * Task runner benchmark (issue: foundation): 1,000 mock_driver tasks with
 * run_for "0s" through the real alloc/task runners (hooks, task dirs, events).
 *  - burst: all 1,000 submitted at once → starts per second.
 *  - paced: submitted one at a time, each after the previous Started →
 *    submit→Started latency p50/p99 without queueing.
 * Alloc dirs go to tmpfs (/dev/shm) by default: on this VM's ext4 (mounted
 * with online discard) a mkdir costs 30–190 µs and swings 5× between runs, so
 * a disk run measures the disk, not the task runner. One disk burst is
 * reported too, labelled, so the cost of real storage stays visible.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/model/logger.js';
import { AllocRunner } from '../src/taskrunner/alloc-runner.js';
import { MemoryStateStore } from '../src/taskrunner/state-store.js';
import { makeJob, makeTask, mockDriver } from '../src/taskrunner/testing.js';
import { percentile } from './stats.js';
const N = 1_000;
const FAST_DIR = process.env.BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
function newAlloc(dir, i, d, store, onStarted) {
    const job = makeJob([makeTask('t', { run_for: '0s' })], { type: 'batch' });
    return new AllocRunner({
        alloc: { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, index: 0, dir: join(dir, String(i)), job, group: job.groups[0] },
        driver: () => d,
        store,
        node: { id: 'n', name: 'n', datacenter: 'dc1', attributes: {} },
        validate: { userDenylist: [], checkedDrivers: [] },
        statsIntervalMs: 1_000,
        now: Date.now,
        random: Math.random,
        logger: silentLogger,
        onTaskUpdate: (_a, _t, _s, e) => {
            if (e?.type === 'Started')
                onStarted();
        },
    });
}
export async function benchTaskRunner() {
    const d = await mockDriver();
    const results = [];
    // Burst: everything at once, on tmpfs and on disk.
    for (const [label, base] of [[FAST_DIR === '/dev/shm' ? 'tmpfs' : FAST_DIR, FAST_DIR], ['disk', tmpdir()]]) {
        const dir = mkdtempSync(join(base, 'drover-bench-'));
        const store = new MemoryStateStore();
        let started = 0;
        let lastStart = 0;
        const t0 = performance.now();
        const allocs = Array.from({ length: N }, (_, i) => newAlloc(dir, i, d, store, () => {
            started++;
            lastStart = performance.now();
        }));
        await Promise.all(allocs.map((a) => a.run()));
        const secs = (lastStart - t0) / 1000;
        results.push({ name: `mock tasks burst (${N}, ${label}): starts/s`, value: Math.round(started / secs), unit: 'starts/s' });
        rmSync(dir, { recursive: true, force: true });
    }
    // Paced: one at a time, submit→Started.
    {
        const dir = mkdtempSync(join(FAST_DIR, 'drover-bench-'));
        const store = new MemoryStateStore();
        const latencies = [];
        const runs = [];
        for (let i = 0; i < N; i++) {
            const submitted = performance.now();
            await new Promise((resolve) => {
                const a = newAlloc(dir, i, d, store, () => {
                    latencies.push(performance.now() - submitted);
                    resolve();
                });
                runs.push(a.run());
            });
        }
        await Promise.all(runs);
        results.push({ name: `mock submit→Started p50 (${N}, paced, tmpfs)`, value: percentile(latencies, 50), unit: 'ms' });
        results.push({ name: `mock submit→Started p99 (${N}, paced, tmpfs)`, value: percentile(latencies, 99), unit: 'ms' });
        rmSync(dir, { recursive: true, force: true });
    }
    return results;
}
//# sourceMappingURL=taskrunner.js.map