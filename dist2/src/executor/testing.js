/**
 * Test harness for the executor: a fresh data dir and log dir, a client
 * whose daemon starts on demand, LaunchSpec defaults, and a cleanup that
 * kills every task, destroys it and stops the daemon, so no test leaves a
 * process behind.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExecutorClient } from './client.js';
import { eventually } from '../model/testing/eventually.js';
let seq = 0;
/** A harness on fresh temp dirs (short paths: the socket path must fit in 107 bytes). */
export function executorHarness() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dx-'));
    const logDir = path.join(dataDir, 'logs');
    fs.mkdirSync(logDir);
    const client = new ExecutorClient({ dataDir });
    const ids = [];
    const spec = (over) => {
        const taskName = `t${++seq}`;
        const s = {
            taskId: `alloc-${process.pid}/${taskName}/${Math.random().toString(16).slice(2, 10)}`,
            args: [],
            env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/root' },
            cwd: dataDir,
            user: '',
            output: { kind: 'rotate', dir: logDir, taskName, maxFiles: 10, maxFileSizeBytes: 10 * 1024 * 1024 },
            resources: { cpuShares: 100, memoryMb: 256, memoryMaxMb: 0, pidsLimit: 0 },
            cgroup: process.getuid?.() === 0,
            ...over,
        };
        ids.push(s.taskId);
        return s;
    };
    return {
        dataDir,
        logDir,
        client,
        spec,
        async launch(over) {
            const s = spec(over);
            const l = await client.launch(s);
            return { spec: s, pid: l.pid };
        },
        output(taskName, stream) {
            const prefix = `${taskName}.${stream}.`;
            const files = fs
                .readdirSync(logDir)
                .filter((f) => f.startsWith(prefix))
                .sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)));
            return Buffer.concat(files.map((f) => fs.readFileSync(path.join(logDir, f))));
        },
        async daemonPid() {
            return (await client.status()).pid;
        },
        async cleanup() {
            let pid;
            try {
                pid = (await client.status()).pid;
                for (const id of ids) {
                    await client.shutdown(id, 'SIGKILL', 0).catch(() => undefined);
                    await client.destroy(id).catch(() => undefined);
                }
                await client.stopDaemonIfIdle();
            }
            finally {
                client.close();
                if (pid !== undefined)
                    await waitGone(pid);
                fs.rmSync(dataDir, { recursive: true, force: true });
            }
        },
    };
}
/** Resolves once `pid` is gone; SIGKILLs it after `ms` (a hang guard, stretched by TEST_MULTIPLIER). */
export async function waitGone(pid, ms = 5_000) {
    try {
        await eventually(() => !alive(pid), { timeoutMs: ms, message: `pid ${pid} to exit` });
    }
    catch {
        process.kill(pid, 'SIGKILL');
    }
}
/** True while the process exists and is not a zombie. */
export function alive(pid) {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=testing.js.map