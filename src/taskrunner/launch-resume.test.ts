/**
 * An agent killed after the executor launched a task but before the runner
 * stored the driver's handle (found by the agent-kill chaos scenario,
 * src/chaos/agent-kill.test.ts): the next agent used to start the task a
 * second time and leave the first one running with no allocation. The runner
 * now stores the start it is making, and a restored runner finishes that
 * start with the same task id, which the executor answers with the task it
 * already launched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DriverPlugin, StartResult, TaskConfig } from '../drivers/types.js';
import { rawExecHarness } from '../drivers/raw-exec/testing.js';
import { alive } from '../executor/testing.js';
import { eventually } from '../model/testing/eventually.js';
import { MemoryStateStore } from './state-store.js';
import { allocHarness, makeJob, makeTask } from './testing.js';

const starts = (file: string): number[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter((l) => l !== '').map(Number) : []);

test('TaskRunner: a start the agent died in is finished by the next agent with the same task, not a second one', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'drover-resume-'));
  const record = join(work, 'starts');
  const task = makeTask('t', { command: '/bin/sh', args: ['-c', `echo $$ >> ${record}; exec sleep 60`] }, { driver: 'raw_exec' });
  const job = makeJob([task]);
  const store = new MemoryStateStore();
  const first = await rawExecHarness({ enabled: true }, join(work, 'executor'));
  const second = await rawExecHarness({ enabled: true }, join(work, 'executor'));
  const restored: Array<ReturnType<typeof allocHarness>> = [];
  t.after(async () => {
    for (const h of restored) await h.runner.kill();
    for (const pid of starts(record)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    await first.driver.shutdown({});
    await second.driver.shutdown({});
    rmSync(work, { recursive: true, force: true });
  });

  // The first agent: the executor launches the task, and the answer never reaches the runner.
  const launched: TaskConfig[] = [];
  const dying: DriverPlugin = Object.create(first.driver, {
    startTask: {
      value: async (cfg: TaskConfig): Promise<StartResult> => {
        await first.driver.startTask(cfg);
        launched.push(cfg);
        return new Promise<never>(() => undefined);
      },
    },
  }) as DriverPlugin;
  const a = allocHarness(job, dying, { store });
  void a.runner.run();
  await eventually(() => launched.length === 1 && starts(record).length === 1, { message: 'the task launched' });
  const [pid] = starts(record) as [number];
  assert.ok(alive(pid));
  assert.ok(store.getLocalState('5d9b1b2a-0000-4000-8000-000000000001', 't')?.launching, 'the start under way is stored');

  // The next agent: a new driver on the same executor and the stored state.
  const b = allocHarness(job, second.driver, { store, dir: a.dir });
  restored.push(b);
  const run = b.runner.run();
  await b.waitFor(() => b.types('t').includes('Started'));
  const local = store.getLocalState('5d9b1b2a-0000-4000-8000-000000000001', 't');
  assert.equal(local?.handle?.config.id, launched[0]?.id, 'the same task id');
  assert.equal(local?.launching, undefined, 'the start is finished');
  assert.deepEqual(starts(record), [pid], 'started once: the running task was adopted');
  assert.equal((await second.driver.inspectTask(launched[0]!.id)).state, 'running');

  await b.runner.kill();
  await run;
  await eventually(() => !alive(pid), { message: 'the task stopped with its alloc' });
  assert.deepEqual(b.types('t').filter((e) => e === 'Started'), ['Started']);
});
