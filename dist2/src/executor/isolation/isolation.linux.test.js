/**
 * Real isolated processes, spawned straight from the built command line the
 * way the executor daemon does (own process group). Root only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildIsolatedExec, buildIsolatedLaunch, DEFAULT_CHROOT_ENV, detectIsolation, mountsUnder, removeIsolatedRoot } from './index.js';
import { childOf } from './exec.js';
import { eventually } from '../../model/testing/eventually.js';
let skipReason;
let base = '';
let n = 0;
before(async () => {
    const support = await detectIsolation();
    if (!support.ok)
        skipReason = `isolation unavailable here: ${support.reason}`;
    base = mkdtempSync(join(tmpdir(), 'drover-iso-test-'));
    chmodSync(base, 0o755);
});
after(() => {
    for (const d of dirs)
        removeIsolatedRoot(d);
    rmSync(base, { recursive: true, force: true });
});
const dirs = [];
/** A fresh task dir laid out like the task runner's, writable by the task user. */
function taskDir() {
    const root = join(base, `task${n++}`);
    const alloc = join(base, `alloc${n}`);
    for (const d of [root, join(root, 'local'), join(root, 'secrets'), join(root, 'tmp'), alloc]) {
        mkdirSync(d, { recursive: true });
        chmodSync(d, 0o777);
    }
    dirs.push(root, alloc);
    return { root, alloc };
}
function makeSpec(command, args, over = {}, user = 'nobody') {
    const { root, alloc } = taskDir();
    return {
        taskId: `t${n}`,
        command,
        args,
        env: { PATH: '/usr/bin:/bin', GREETING: 'hello' },
        cwd: '/',
        user,
        output: { kind: 'paths', stdoutPath: '/dev/null', stderrPath: '/dev/null' },
        resources: { cpuShares: 0, memoryMb: 0, memoryMaxMb: 0, pidsLimit: 0 },
        cgroup: false,
        isolation: {
            root,
            chrootEnv: DEFAULT_CHROOT_ENV,
            mounts: [
                { hostPath: alloc, taskPath: '/alloc', readonly: false },
                { hostPath: join(root, 'local'), taskPath: '/local', readonly: false },
                { hostPath: join(root, 'secrets'), taskPath: '/secrets', readonly: false },
                { hostPath: join(root, 'tmp'), taskPath: '/tmp', readonly: false },
            ],
            pidMode: 'private',
            ipcMode: 'private',
            hostname: 'drover-task',
            capabilities: [],
            noPivotRoot: false,
            ...over,
        },
    };
}
/** Starts the task as the executor would: detached (own process group), env exactly the task's. */
async function start(spec, stdin = 'ignore') {
    const cmd = await buildIsolatedLaunch(spec);
    const child = spawn(cmd.file, cmd.args, { env: cmd.env ?? spec.env, detached: true, stdio: [stdin, 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d.toString()));
    child.stderr?.on('data', (d) => (stderr += d.toString()));
    const done = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
    return { child, done };
}
async function run(spec) {
    return (await start(spec)).done;
}
async function sh(script, over = {}, user = 'nobody') {
    const r = await run(makeSpec('/bin/sh', ['-c', script], over, user));
    return r;
}
/** Waits until the task prints `marker` (it is then past setup). */
async function waitFor(child, marker) {
    let seen = '';
    await new Promise((resolve, reject) => {
        const onData = (d) => {
            seen += d.toString();
            if (seen.includes(marker))
                resolve();
        };
        child.stdout?.on('data', onData);
        child.on('close', () => reject(new Error(`exited before printing ${marker}: ${seen}`)));
    });
}
function capMask(names) {
    const bits = { chown: 0, kill: 5, net_bind_service: 10, sys_chroot: 18 };
    let m = 0n;
    for (const c of names)
        m |= 1n << BigInt(bits[c]);
    return m.toString(16).padStart(16, '0');
}
describe('isolated launch', () => {
    test('private pid namespace: the task is PID 1 and sees only its own tree', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const r = await sh('echo pid=$$; ls /proc | grep -E "^[0-9]+$" | tr "\\n" " "');
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^pid=1\n/);
        const pids = r.stdout.split('\n')[1]?.trim().split(' ').map(Number) ?? [];
        assert.ok(pids.includes(1), r.stdout);
        assert.ok(pids.every((p) => p < 50), `only low pids expected: ${r.stdout}`);
        assert.ok(!pids.includes(process.pid) || process.pid < 50);
    });
    test('pid_mode host shows host pids', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const r = await sh(`echo pid=$$; test -d /proc/${process.pid} && echo sees-host`, { pidMode: 'host' });
        assert.equal(r.code, 0, r.stderr);
        assert.doesNotMatch(r.stdout, /^pid=1\n/);
        assert.match(r.stdout, /sees-host/);
    });
    test('host files outside the chroot are invisible; chroot_env is read-only', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const secret = `/root/drover-iso-secret-${process.pid}`;
        writeFileSync(secret, 'secret');
        try {
            const r = await sh(`ls ${secret} /home /work 2>&1; touch /usr/x 2>&1; ls /; echo ok > /local/f && cat /local/f`, {}, 'root');
            assert.match(r.stdout, new RegExp(`${secret}'?: No such file`));
            assert.match(r.stdout, /\/home'?: No such file/);
            assert.match(r.stdout, /\/work'?: No such file/);
            assert.match(r.stdout, /Read-only file system/);
            assert.match(r.stdout, /\bok\n$/);
            const listed = r.stdout.split('\n');
            for (const d of ['alloc', 'local', 'secrets', 'tmp', 'usr', 'etc', 'dev', 'proc'])
                assert.ok(listed.includes(d), `/${d} in ${r.stdout}`);
            assert.ok(!listed.includes('root') && !listed.includes('home'));
        }
        finally {
            rmSync(secret);
        }
    });
    test('/dev holds only the minimal devices', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const r = await sh('echo x > /dev/null && head -c 4 /dev/zero | wc -c && ls /dev | tr "\\n" " "');
        assert.equal(r.code, 0, r.stderr);
        const names = new Set(r.stdout.split('\n')[1]?.trim().split(' '));
        for (const d of ['null', 'zero', 'full', 'random', 'urandom', 'tty', 'pts', 'shm', 'fd'])
            assert.ok(names.has(d), `${d} in ${r.stdout}`);
        for (const d of ['vda', 'sda', 'kmsg', 'mem'])
            assert.ok(!names.has(d), `${d} must not be in /dev`);
    });
    test('devices: host device nodes appear at their task path', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const devices = [
            { hostPath: '/dev/zero', taskPath: '/dev/myzero', permissions: 'r' },
            { hostPath: '/dev/null', taskPath: '/dev/extra/mynull', permissions: 'rw' },
        ];
        const r = await sh('head -c 3 /dev/myzero | wc -c; echo x > /dev/extra/mynull && echo wrote; test -c /dev/myzero && echo chardev', { devices }, 'root');
        assert.equal(r.stdout, '3\nwrote\nchardev\n', r.stderr);
    });
    test('hostname is the task\'s; the host keeps its own', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const before = hostname();
        const r = await sh('cat /proc/sys/kernel/hostname; hostname 2>/dev/null || true');
        assert.equal(r.stdout.split('\n')[0], 'drover-task');
        assert.equal(hostname(), before);
        assert.equal(readFileSync('/proc/sys/kernel/hostname', 'utf8').trim(), before);
    });
    test('ipc namespace: a host SysV segment is invisible unless ipc_mode is host', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const mk = spawnSync('ipcmk', ['-M', '4096'], { encoding: 'utf8' });
        const id = /(\d+)/.exec(mk.stdout)?.[1];
        if (mk.status !== 0 || id === undefined)
            return t.skip(`ipcmk unavailable: ${mk.stderr}`);
        try {
            const probe = `ipcs -m | grep -qw ${id} && echo visible || echo hidden`;
            const priv = await sh(probe, {}, 'root');
            assert.equal(priv.stdout.trim(), 'hidden');
            const host = await sh(probe, { ipcMode: 'host' }, 'root');
            assert.equal(host.stdout.trim(), 'visible');
        }
        finally {
            spawnSync('ipcrm', ['-m', id]);
        }
    });
    test('mounts stay inside the task: host mountinfo unchanged while it runs and after', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const before = readFileSync('/proc/self/mountinfo', 'utf8');
        const spec = makeSpec('/bin/sh', ['-c', 'echo ready; exec sleep 30']);
        const { child, done } = await start(spec);
        await waitFor(child, 'ready');
        assert.deepEqual(mountsUnder(spec.isolation?.root ?? '/nonexistent'), []);
        assert.equal(readFileSync('/proc/self/mountinfo', 'utf8'), before);
        process.kill(-child.pid, 'SIGKILL');
        const r = await done;
        assert.equal(r.signal, 'SIGKILL');
        assert.equal(readFileSync('/proc/self/mountinfo', 'utf8'), before);
    });
    test('capabilities: none at all for root with an empty set', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const r = await sh('grep -E "^Cap(Eff|Prm|Bnd|Amb|Inh)" /proc/self/status; grep NoNewPrivs /proc/self/status', { capabilities: [] }, 'root');
        for (const set of ['CapEff', 'CapPrm', 'CapBnd', 'CapAmb', 'CapInh'])
            assert.match(r.stdout, new RegExp(`${set}:\\s+0{16}`));
        assert.match(r.stdout, /NoNewPrivs:\s+1/);
    });
    test('capabilities: exactly the configured set, for root and for nobody (ambient)', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const caps = ['chown', 'net_bind_service'];
        for (const user of ['root', 'nobody']) {
            const r = await sh('grep -E "^Cap(Eff|Bnd)" /proc/self/status', { capabilities: caps }, user);
            assert.match(r.stdout, new RegExp(`CapEff:\\s+${capMask(caps)}`), `${user}: ${r.stdout}`);
            assert.match(r.stdout, new RegExp(`CapBnd:\\s+${capMask(caps)}`), `${user}: ${r.stdout}`);
        }
    });
    test('user switch: nobody is 65534 with its own groups; env is exactly the task\'s', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const r = await sh('id -u; id -g; /usr/bin/env');
        const [uid, gid, ...env] = r.stdout.trim().split('\n');
        assert.equal(uid, '65534');
        assert.equal(gid, readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('nobody:'))?.split(':')[3]);
        // The task's own sh adds PWD; nothing else may appear.
        assert.deepEqual(env.filter((l) => !l.startsWith('PWD=')).sort(), ['GREETING=hello', 'PATH=/usr/bin:/bin']);
    });
    test('exit codes pass through; SIGKILL to the group is reported as a signal', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        assert.equal((await sh('exit 3')).code, 3);
        const { child, done } = await start(makeSpec('/bin/sh', ['-c', 'echo ready; exec sleep 30']));
        await waitFor(child, 'ready');
        process.kill(-child.pid, 'SIGKILL');
        assert.equal((await done).signal, 'SIGKILL');
    });
    test('the task itself SIGKILLed (as by the OOM killer) is reported as SIGKILL, not as an exit', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const { child, done } = await start(makeSpec('/bin/sh', ['-c', 'echo ready; exec sleep 30']));
        await waitFor(child, 'ready');
        process.kill(childOf(child.pid), 'SIGKILL');
        const r = await done;
        assert.equal(r.signal, 'SIGKILL');
        assert.equal(r.stderr, '');
    });
    test('stdin reaches the task', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const { child, done } = await start(makeSpec('/bin/sh', ['-c', 'read x; echo got=$x']), 'pipe');
        child.stdin?.end('hello\n');
        assert.equal((await done).stdout, 'got=hello\n');
    });
    test('signals to the process group reach the task; the waiter survives them', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const script = 'trap "echo got-hup" HUP; trap "echo got-usr1; exit 7" USR1; echo ready; while :; do sleep 0.05; done';
        const { child, done } = await start(makeSpec('/bin/sh', ['-c', script]));
        await waitFor(child, 'ready');
        process.kill(-child.pid, 'SIGHUP');
        await waitFor(child, 'got-hup');
        process.kill(-child.pid, 'SIGUSR1');
        const r = await done;
        assert.equal(r.code, 7, r.stderr);
        assert.match(r.stdout, /got-hup\n[\s\S]*got-usr1/);
    });
    test('no_pivot_root chroots instead', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const r = await sh('echo $$; ls /local >/dev/null && test ! -e /home && echo chrooted', { noPivotRoot: true });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, '1\nchrooted\n');
    });
    test('work dir and a bare command found in /local (made executable, as Nomad does)', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const spec = makeSpec('hello.sh', ['a b']);
        const root = spec.isolation?.root;
        writeFileSync(join(root, 'local', 'hello.sh'), '#!/bin/sh\necho "$(pwd) $1"\n', { mode: 0o644 });
        const r = await run({ ...spec, cwd: '/local' });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, '/local a b\n');
    });
    test('unknown command or user fails before anything runs', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        await assert.rejects(buildIsolatedLaunch(makeSpec('/no/such/bin', [])), /file \/no\/such\/bin not found under path/);
        await assert.rejects(buildIsolatedLaunch(makeSpec('nosuchbin', [])), /file nosuchbin not found under path/);
        await assert.rejects(buildIsolatedLaunch(makeSpec('/bin/true', [], {}, 'no-such-user-x')), /unknown user/);
    });
    test('exec enters the running task: same pid namespace, hostname, root, user', async (t) => {
        if (skipReason)
            return t.skip(skipReason);
        const spec = makeSpec('/bin/sh', ['-c', 'echo ready; exec sleep 30']);
        const { child, done } = await start(spec);
        await waitFor(child, 'ready');
        try {
            const e = buildIsolatedExec(spec, child.pid, '/bin/sh', ['-c', 'cat /proc/1/cmdline | tr "\\0" " "; echo; cat /proc/sys/kernel/hostname; id -u; test -e /home || echo no-home']);
            // "ready" comes just before the task's exec of sleep: probe until it happened.
            const r = await eventually(() => {
                const x = spawnSync(e.file, e.args, { env: spec.env, encoding: 'utf8' });
                return x.stdout.startsWith('sleep') && x;
            }, { intervalMs: 25, message: 'the task to exec sleep' });
            assert.equal(r.status, 0, r.stderr);
            assert.equal(r.stdout, 'sleep 30 \ndrover-task\n65534\nno-home\n');
            const fail = buildIsolatedExec(spec, child.pid, '/bin/sh', ['-c', 'exit 4']);
            assert.equal(spawnSync(fail.file, fail.args, { env: spec.env }).status, 4);
        }
        finally {
            process.kill(-child.pid, 'SIGKILL');
            await done;
        }
    });
});
//# sourceMappingURL=isolation.linux.test.js.map