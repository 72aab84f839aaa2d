/**
 * Whether isolation really works on this host (the exec driver's
 * fingerprint): root, a cgroup mount, the tools, and one tiny isolated run
 * that must see itself as PID 1 of its own namespace inside a chroot.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CHROOT_ENV } from './defaults.js';
import { buildIsolatedLaunch } from './launch.js';
import { removeIsolatedRoot } from './rootfs.js';
import { findTools } from './tools.js';
/** Nomad's drivers.DriverRequiresRootMessage. */
export const REQUIRES_ROOT = 'Driver must run as root';
/** Nomad's drivers.NoCgroupMountMessage. */
export const NO_CGROUP_MOUNT = 'Failed to discover cgroup mount point';
const PROBE_TIMEOUT_MS = 10_000;
/** Runs the checks in order and stops at the first failure. */
export async function detectIsolation(opts = {}) {
    if (process.platform !== 'linux')
        return { ok: false, reason: 'exec driver unsupported on client OS' };
    if (process.getuid?.() !== 0)
        return { ok: false, reason: REQUIRES_ROOT };
    const cg = opts.cgroupRoot ?? '/sys/fs/cgroup';
    if (!existsSync(`${cg}/cgroup.controllers`) && !existsSync(`${cg}/memory`))
        return { ok: false, reason: NO_CGROUP_MOUNT };
    try {
        findTools();
    }
    catch (err) {
        return { ok: false, reason: err.message };
    }
    return probe();
}
/** One real isolated `sh -c 'echo $$'`: the answer must be 1. */
async function probe() {
    const root = mkdtempSync(join(tmpdir(), 'drover-isolation-probe-'));
    try {
        chmodSync(root, 0o755); // mkdtemp's 0700 would lock the task user out of its own /
        const spec = {
            taskId: 'isolation-probe',
            command: '/bin/sh',
            args: ['-c', 'echo $$'],
            env: { PATH: '/usr/bin:/bin' },
            cwd: '/',
            user: '65534', // numeric: works on hosts without a "nobody" entry
            output: { kind: 'paths', stdoutPath: '/dev/null', stderrPath: '/dev/null' },
            resources: { cpuShares: 0, memoryMb: 0, memoryMaxMb: 0, pidsLimit: 0 },
            cgroup: false,
            isolation: {
                root,
                chrootEnv: DEFAULT_CHROOT_ENV,
                mounts: [],
                pidMode: 'private',
                ipcMode: 'private',
                hostname: 'drover-probe',
                capabilities: [],
                noPivotRoot: false,
            },
        };
        const cmd = await buildIsolatedLaunch(spec);
        const { code, stdout, stderr } = await run(cmd.file, cmd.args, spec.env);
        if (code === 0 && stdout.trim() === '1')
            return { ok: true };
        return { ok: false, reason: `isolated test command failed (exit ${code}): ${(stderr || stdout).trim().slice(0, 300)}` };
    }
    catch (err) {
        return { ok: false, reason: `isolated test command failed: ${err.message}` };
    }
    finally {
        try {
            removeIsolatedRoot(root);
        }
        catch {
            // leave it rather than risk deleting through a mount
        }
    }
}
function run(file, args, env) {
    return new Promise((resolve, reject) => {
        const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: PROBE_TIMEOUT_MS, killSignal: 'SIGKILL' });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d.toString()));
        child.stderr.on('data', (d) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
}
//# sourceMappingURL=detect.js.map