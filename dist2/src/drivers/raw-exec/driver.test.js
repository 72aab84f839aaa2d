import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DriverStartError, TaskAlreadyExistsError, TaskNotFoundError, ValidationError } from '../../model/errors.js';
import { isDriverShutdowner, isExecStreamingDriver } from '../types.js';
import { eventually, within } from '../../model/testing/eventually.js';
import { rawExecHarness } from './testing.js';
const h = await rawExecHarness();
after(() => h.cleanup());
async function fingerprintOnce(pluginConfig) {
    const x = await rawExecHarness(pluginConfig);
    const ac = new AbortController();
    for await (const fp of x.driver.fingerprint({ signal: ac.signal })) {
        ac.abort();
        await x.cleanup();
        return fp;
    }
    throw new Error('no fingerprint');
}
test('RawExecDriver: plugin info, schemas and Nomad\'s raw_exec capabilities', () => {
    assert.deepEqual(h.driver.pluginInfo(), { type: 'driver', pluginApiVersions: ['v0.1.0'], pluginVersion: '0.1.0', name: 'raw_exec' });
    assert.deepEqual(Object.keys(h.driver.taskConfigSchema().fields).sort(), ['args', 'cgroup_v1_override', 'cgroup_v2_override', 'command', 'denied_envvars', 'oom_score_adj', 'work_dir']);
    assert.deepEqual(h.driver.capabilities(), { sendSignals: true, exec: true, fsIsolation: 'none', netIsolationModes: ['host', 'group'], mustInitiateNetwork: false, mountConfigs: 'none' });
    assert.ok(isExecStreamingDriver(h.driver));
    assert.ok(isDriverShutdowner(h.driver));
});
test('RawExecDriver_Fingerprint: undetected "disabled" by default, healthy with driver.raw_exec when enabled', async () => {
    assert.deepEqual(await fingerprintOnce({}), { attributes: {}, health: 'undetected', healthDescription: 'disabled' });
    assert.deepEqual(await fingerprintOnce({ enabled: true }), { attributes: { 'driver.raw_exec': true }, health: 'healthy', healthDescription: 'Healthy' });
});
test('RawExecDriver_Fingerprint: a setConfig during the stream emits the change', async () => {
    const x = await rawExecHarness({});
    const ac = new AbortController();
    const seen = [];
    const done = (async () => {
        for await (const fp of x.driver.fingerprint({ signal: ac.signal })) {
            seen.push(fp.health);
            if (seen.length === 2)
                ac.abort();
        }
    })();
    await eventually(() => seen.length === 1, { message: 'the first fingerprint' });
    await x.driver.setConfig({ pluginConfig: { enabled: true } });
    await done;
    assert.deepEqual(seen, ['undetected', 'healthy']);
    await x.cleanup();
});
test('RawExecDriver_StartTask: a disabled driver refuses; bad configs fail with Nomad\'s messages', async () => {
    const off = await rawExecHarness({});
    await assert.rejects(off.driver.startTask(off.taskConfig({ command: '/bin/true' })), (e) => e instanceof DriverStartError && e.message === 'raw_exec is disabled');
    await off.cleanup();
    await assert.rejects(h.driver.startTask(h.taskConfig({ command: '/bin/true', oom_score_adj: -5 })), /failed driver config validation: oom_score_adj must not be negative/);
    await assert.rejects(h.driver.startTask(h.taskConfig({ command: '/bin/true', work_dir: 'relative' })), /failed driver config validation: work_dir must be an absolute path/);
    await assert.rejects(h.driver.startTask(h.taskConfig({ args: [] })), ValidationError);
    await assert.rejects(h.driver.startTask(h.taskConfig({ command: 'no-such-binary-here' })), /failed to launch command with executor: binary "no-such-binary-here" could not be found/);
    await assert.rejects(h.driver.startTask(h.taskConfig({ command: '/bin/true' }, { user: 'no-such-user' })), /failed driver config validation: failed to identify user "no-such-user"/);
});
test('RawExecDriver_StartTask: denied_host_uids / denied_host_gids refuse the agent\'s own user', async () => {
    const uid = process.getuid?.() ?? 0;
    const x = await rawExecHarness({ enabled: true, denied_host_uids: `${uid}` });
    await assert.rejects(x.driver.startTask(x.taskConfig({ command: '/bin/true' })), new RegExp(`failed driver config validation: running as uid ${uid} is disallowed`));
    await x.driver.setConfig({ pluginConfig: { enabled: true, denied_host_gids: `${process.getgid?.() ?? 0}` } });
    await assert.rejects(x.driver.startTask(x.taskConfig({ command: '/bin/true' })), /running as gid \d+ is disallowed/);
    await x.cleanup();
});
test('RawExecDriver: exit codes and signals reported exactly; inspect; logs; a duplicate id is refused', async () => {
    const cfg = h.taskConfig({ command: '/bin/sh', args: ['-c', 'echo "hi $NOMAD_TASK_NAME"; echo warn >&2; exit 3'] });
    const res = await h.driver.startTask(cfg);
    assert.equal(res.handle.version, 1);
    assert.equal(res.handle.state, 'running');
    await assert.rejects(h.driver.startTask(cfg), TaskAlreadyExistsError);
    assert.deepEqual(await h.driver.waitTask(cfg.id, {}), { exitCode: 3, signal: 0, oomKilled: false });
    const st = await h.driver.inspectTask(cfg.id);
    assert.equal(st.state, 'exited');
    assert.ok(Number(st.driverAttributes['pid']) > 0);
    assert.equal(h.output(cfg), `hi ${cfg.name}\n`);
    assert.equal(h.output(cfg, 'stderr'), 'warn\n');
    const killed = h.taskConfig({ command: '/bin/sh', args: ['-c', 'kill -KILL $$'] });
    await h.driver.startTask(killed);
    assert.deepEqual(await h.driver.waitTask(killed.id, {}), { exitCode: 137, signal: 9, oomKilled: false });
});
test('RawExecDriver: command found in local/, work_dir honoured, denied_envvars removed', async () => {
    const cfg = h.taskConfig({ command: 'show.sh', work_dir: '/tmp', denied_envvars: ['SECRET_*'] }, { env: { PATH: '/usr/bin:/bin', SECRET_TOKEN: 'x', KEEP: 'y' } });
    fs.writeFileSync(path.join(cfg.taskDir.localDir, 'show.sh'), '#!/bin/sh\npwd\nenv | grep -E "SECRET|KEEP" | sort\n', { mode: 0o644 });
    await h.driver.startTask(cfg);
    await h.driver.waitTask(cfg.id, {});
    assert.equal(h.output(cfg), '/tmp\nKEEP=y\n');
});
test('RawExecDriver_StopTask: kill_timeout escalates to SIGKILL for a task ignoring SIGTERM', async () => {
    const cfg = h.taskConfig({ command: '/bin/sh', args: ['-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"] });
    await h.driver.startTask(cfg);
    await eventually(() => h.output(cfg) === 'ready\n');
    const t0 = performance.now();
    await h.driver.stopTask(cfg.id, 300, 'SIGTERM');
    const ms = performance.now() - t0;
    assert.ok(ms >= 290, `stop took ${ms}ms`);
    assert.deepEqual(await h.driver.waitTask(cfg.id, {}), { exitCode: 137, signal: 9, oomKilled: false });
});
test('RawExecDriver_DestroyTask: refuses a running task without force (Nomad\'s message), kills it with force', async () => {
    const cfg = h.taskConfig({ command: '/bin/sleep', args: ['30'] });
    await h.driver.startTask(cfg);
    await assert.rejects(h.driver.destroyTask(cfg.id, false), /^Error: cannot destroy running task$|cannot destroy running task/);
    await h.driver.destroyTask(cfg.id, true);
    await assert.rejects(h.driver.inspectTask(cfg.id), TaskNotFoundError);
    await assert.rejects(h.driver.waitTask(cfg.id, {}), TaskNotFoundError);
});
test('RawExecDriver_SignalTask and ExecTask', async () => {
    const cfg = h.taskConfig({ command: '/bin/sh', args: ['-c', "trap 'echo got-hup' HUP; echo ready; while :; do sleep 0.05; done"] });
    await h.driver.startTask(cfg);
    await eventually(() => h.output(cfg) === 'ready\n');
    await h.driver.signalTask(cfg.id, 'SIGHUP');
    await eventually(() => h.output(cfg).includes('got-hup'));
    const r = await h.driver.execTask(cfg.id, ['/bin/sh', '-c', 'echo out; echo err >&2; exit 2'], 5_000);
    assert.equal(Buffer.from(r.stdout).toString(), 'out\nerr\n');
    assert.deepEqual(r.exitResult, { exitCode: 2, signal: 0, oomKilled: false });
    await assert.rejects(h.driver.execTask(cfg.id, [], 1_000), /error cmd must have at least one value/);
    await h.driver.stopTask(cfg.id, 0, 'SIGKILL');
});
/** A fresh directory for a test's marker files. */
function markerDir() {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'drover-rawexec-'));
}
test('RawExecDriver_TaskStats: samples at the interval until the task exits', async () => {
    // The task runs until the test has seen three samples, however slow the machine.
    const stop = path.join(markerDir(), 'stop');
    const cfg = h.taskConfig({ command: '/bin/sh', args: ['-c', `while [ ! -e ${stop} ]; do sleep 0.02; done`] });
    await h.driver.startTask(cfg);
    const samples = [];
    const t0 = performance.now();
    const sampling = (async () => {
        for await (const s of h.driver.taskStats(cfg.id, 100, {})) {
            samples.push(s);
            if (samples.length === 3)
                fs.writeFileSync(stop, '');
        }
    })();
    await within(sampling, 30_000, 'the stats stream to end with the task');
    const ms = performance.now() - t0;
    // Not faster than the interval (5% for timer rounding): n samples need (n-1) intervals.
    assert.ok(samples.length >= 2 && samples.length <= Math.floor(ms / 95) + 1, `${samples.length} samples in ${ms}ms`);
    const s = samples[0];
    assert.ok(s && s.memory.measured.length > 0 && s.timestamp > 0);
});
//# sourceMappingURL=driver.test.js.map