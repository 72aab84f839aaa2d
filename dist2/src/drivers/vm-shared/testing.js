/**
 * Test harness for the VM drivers: the test guest (built or cached), the
 * accelerator to use (KVM only when it really boots the guest), TaskConfigs
 * on short real directories (unix socket paths must fit in 107 bytes), log
 * polling, and a check that no QEMU outlives its test.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '../../model/testing/eventually.js';
import { ensureTestGuest, GuestUnavailableError } from './guest/build.js';
import { probeKvm } from './guest/kvm-probe.js';
import { qemuVersion } from './qemu-host.js';
let envPromise;
/**
 * The environment, or the reason VM tests cannot run here (printed by the
 * caller when skipping). Computed once per process.
 */
export function vmTestEnv() {
    envPromise ??= (async () => {
        try {
            const guest = await ensureTestGuest({ log: (l) => process.stderr.write(`# vm tests: ${l}\n`) });
            const version = await qemuVersion('x86_64');
            const kvm = await probeKvm(guest, version);
            const accelerator = kvm.works ? 'kvm' : 'tcg';
            if (!kvm.works)
                process.stderr.write(`# vm tests: using TCG: ${kvm.reason}\n`);
            return { guest, kvm, accelerator, qemuVersion: version, bootTimeoutMs: accelerator === 'kvm' ? 30_000 : 90_000 };
        }
        catch (err) {
            if (err instanceof GuestUnavailableError)
                return err.message;
            throw err;
        }
    })();
    return envPromise;
}
let seq = 0;
const createdDirs = [];
/** Removes every alloc dir {@link vmTaskConfig} created in this process (call from after()). */
export function removeVmTaskDirs() {
    for (const d of createdDirs.splice(0))
        rmSync(d, { recursive: true, force: true });
}
/** A TaskConfig with real alloc/task/log directories. */
export function vmTaskConfig(o) {
    const allocDir = o.allocDir ?? mkdtempSync('/tmp/dv-');
    if (o.allocDir === undefined)
        createdDirs.push(allocDir);
    const name = o.name ?? 'vm';
    const logDir = join(allocDir, 'alloc', 'logs');
    const dir = join(allocDir, name);
    for (const d of [logDir, join(dir, 'local'), join(dir, 'secrets'), join(dir, 'tmp')])
        mkdirSync(d, { recursive: true });
    const id = `a${process.pid}-${++seq}/${name}/${Math.random().toString(16).slice(2, 10)}`;
    return {
        id,
        jobName: 'vmjob',
        jobId: 'vmjob',
        taskGroupName: 'g',
        name,
        namespace: 'default',
        nodeName: 'node',
        nodeId: 'node-1',
        allocId: id.split('/')[0],
        env: { PATH: '/usr/local/bin:/usr/bin:/bin', ...o.env },
        resources: { cpuShares: 100, cores: 1, memoryMb: 128, memoryMaxMb: 0, ...o.resources },
        user: '',
        allocDir,
        taskDir: { dir, sharedAllocDir: join(allocDir, 'alloc'), logDir, localDir: join(dir, 'local'), secretsDir: join(dir, 'secrets'), tmpDir: join(dir, 'tmp') },
        stdoutPath: join(logDir, `${name}.stdout.0`),
        stderrPath: join(logDir, `${name}.stderr.0`),
        logRotation: { maxFiles: 3, maxFileSizeBytes: 10 * 1024 * 1024 },
        mounts: [],
        devices: [],
        driverConfig: o.driverConfig,
    };
}
/** The task's rotated stdout or stderr, oldest file first. */
export function taskLog(cfg, stream = 'stdout') {
    const prefix = `${cfg.name}.${stream}.`;
    let files;
    try {
        files = readdirSync(cfg.taskDir.logDir).filter((f) => f.startsWith(prefix));
    }
    catch {
        return '';
    }
    files.sort((a, b) => Number(a.slice(prefix.length)) - Number(b.slice(prefix.length)));
    return files.map((f) => readFileSync(join(cfg.taskDir.logDir, f), 'utf8')).join('');
}
/** Polls the task's stdout until `pattern` shows up; throws with the log so far after `timeoutMs`. */
export async function waitForLog(cfg, pattern, timeoutMs) {
    return eventually(() => {
        const log = taskLog(cfg);
        const found = typeof pattern === 'string' ? log.includes(pattern) : pattern.test(log);
        assert.ok(found, `stdout so far:\n${log.slice(-2000)}\nstderr:\n${taskLog(cfg, 'stderr').slice(-1000)}`);
        return log;
    }, { timeoutMs, intervalMs: 100, message: `${String(pattern)} in ${cfg.name}'s stdout` });
}
/** Pids of QEMU processes whose command line mentions `marker` (a test's temp dir). */
export function qemuProcesses(marker) {
    const out = [];
    for (const p of readdirSync('/proc')) {
        if (!/^\d+$/.test(p))
            continue;
        try {
            const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
            if (cmd.startsWith('/') && cmd.includes('qemu-system') && cmd.includes(marker))
                out.push(Number(p));
        }
        catch {
            // gone
        }
    }
    return out;
}
/**
 * Runs `className` from `moduleUrl` in a child process that starts `task`
 * and reports its TaskHandle (see testing-child.ts).
 */
export async function startInChild(moduleUrl, className, req) {
    const script = fileURLToPath(new URL('./testing-child.js', import.meta.url));
    const child = spawn(process.execPath, [script, moduleUrl, className, JSON.stringify(req)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    const line = await new Promise((resolve, reject) => {
        child.stdout.setEncoding('utf8').on('data', (c) => {
            out += c;
            const nl = out.indexOf('\n');
            if (nl >= 0)
                resolve(out.slice(0, nl));
        });
        child.once('exit', (code) => reject(new Error(`driver child exited (${code ?? 'signal'}): ${err}`)));
    });
    const h = JSON.parse(line);
    return { child, handle: { ...h, driverState: Buffer.from(h.driverState, 'base64') } };
}
//# sourceMappingURL=testing.js.map