import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '../../model/testing/eventually.js';
import { alive } from '../../executor/testing.js';
import { decodeExecutorState } from '../shared/executor-task.js';
import { rawExecHarness } from './testing.js';
const HELPER = fileURLToPath(new URL('./testdata/driver-process.js', import.meta.url));
test('RawExecDriver_RecoverTask: kill -9 of the driver process while tasks run; a new driver recovers them with real exit codes', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rx-'));
    const tasks = [
        { command: '/bin/sh', args: ['-c', "trap 'exit 7' USR1; while :; do sleep 0.05; done"] },
        { command: '/bin/sh', args: ['-c', 'sleep 0.4; exit 5'] },
        { command: '/bin/sleep', args: ['30'] },
    ];
    const child = spawn(process.execPath, [HELPER, dataDir, JSON.stringify(tasks)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    await eventually(() => out.includes('\n'), { timeoutMs: 30_000, message: 'the handles from the driver process' });
    const handles = JSON.parse(out).map((x) => ({ ...x, driverState: Buffer.from(x.driverState, 'base64') }));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // Task 2 exits while no driver is around.
    const { pid } = decodeExecutorState(handles[1].driverState).state;
    await eventually(() => !alive(pid), { message: 'task 2 to exit' });
    const h = await rawExecHarness({ enabled: true }, dataDir);
    try {
        for (const hd of handles)
            await h.driver.recoverTask(hd);
        await h.driver.recoverTask(handles[0]); // already attached: a no-op
        const [a, b, c] = handles.map((x) => x.config.id);
        assert.equal((await h.driver.inspectTask(a)).state, 'running');
        assert.deepEqual(await h.driver.waitTask(b, {}), { exitCode: 5, signal: 0, oomKilled: false });
        await h.driver.signalTask(a, 'SIGUSR1');
        assert.deepEqual(await h.driver.waitTask(a, {}), { exitCode: 7, signal: 0, oomKilled: false });
        await h.driver.stopTask(c, 1_000, 'SIGTERM');
        assert.deepEqual(await h.driver.waitTask(c, {}), { exitCode: 143, signal: 15, oomKilled: false });
        for (const id of [a, b, c])
            await h.driver.destroyTask(id, false);
        await assert.rejects(h.driver.recoverTask({ ...handles[0] }), /failed to reattach to executor: task not found/);
        await assert.rejects(h.driver.recoverTask({ ...handles[0], driverState: Buffer.from('{') }), /failed to decode task state from handle/);
    }
    finally {
        await h.cleanup();
        fs.rmSync(dataDir, { recursive: true, force: true });
    }
});
//# sourceMappingURL=recover.test.js.map