/**
 * The driver conformance suite: every DriverPlugin method exercised against
 * a target that builds a configured driver — in process, or served by a
 * plugin process and loaded back through drover's client. Registers
 * node:test tests; call it from a *.test.ts file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DriverStartError, DroverError, TaskAlreadyExistsError, TaskNotFoundError, ValidationError } from '../../model/errors.js';
import { isDriverShutdowner, isExecStreamingDriver } from '../../drivers/types.js';
import { eventually, scaled, within } from '../../model/testing/eventually.js';
import { testTaskConfig } from './task-config.js';
/** Registers the suite for `t`. */
export function driverConformance(t) {
    describe(`driver conformance: ${t.name}`, () => {
        const opened = [];
        let d;
        const open = async () => {
            const o = await t.open();
            opened.push(o);
            return o;
        };
        const startTask = async (cfg, drv = d) => {
            await drv.startTask(cfg);
            return cfg;
        };
        const cleanup = async (drv, id) => {
            await drv.destroyTask(id, true).catch(() => { });
        };
        before(async () => {
            d = (await open()).driver;
        });
        after(async () => {
            for (const o of opened)
                await o.dispose().catch(() => { });
        });
        it('reports plugin info, schemas, capabilities and a healthy fingerprint', async () => {
            const info = d.pluginInfo();
            assert.equal(info.type, 'driver');
            assert.equal(info.name, t.driverName);
            assert.ok(Object.keys(d.taskConfigSchema().fields).length > 0);
            assert.equal(typeof d.capabilities().sendSignals, 'boolean');
            const ac = new AbortController();
            for await (const fp of d.fingerprint({ signal: ac.signal })) {
                assert.equal(fp.health, 'healthy');
                assert.equal(fp.attributes[`driver.${t.driverName}`], true);
                ac.abort();
            }
        });
        if (t.pluginConfig) {
            const pc = t.pluginConfig;
            it('setConfig validates the plugin config and applies it', async () => {
                const o = await open();
                await assert.rejects(o.driver.setConfig({ pluginConfig: pc.invalid }), ValidationError);
                await o.driver.setConfig({ pluginConfig: pc.valid });
                pc.check(o.driver);
            });
        }
        it('start and wait report the exit code; inspect tracks the task', async () => {
            // Long enough to be inspected while running on a loaded machine.
            const ok = await startTask(testTaskConfig(t.tasks.run({ ms: 2_000, exitCode: 0 })));
            const bad = await startTask(testTaskConfig(t.tasks.run({ ms: 10, exitCode: 3 })));
            const running = await d.inspectTask(ok.id);
            assert.equal(running.state, 'running');
            assert.equal(running.completedAt, 0);
            assert.ok(running.startedAt > Date.now() - 60_000);
            assert.equal(running.exitResult, undefined);
            const [r0, r3] = await Promise.all([d.waitTask(ok.id, {}), d.waitTask(bad.id, {})]);
            assert.deepEqual([r0.exitCode, r0.signal, r0.oomKilled, r0.err], [0, 0, false, undefined]);
            assert.equal(r3.exitCode, 3);
            const done = await d.inspectTask(ok.id);
            assert.equal(done.state, 'exited');
            assert.ok(done.completedAt >= done.startedAt);
            assert.equal(done.exitResult?.exitCode, 0);
            // Waiting again after the exit answers at once.
            assert.equal((await d.waitTask(bad.id, {})).exitCode, 3);
            await d.destroyTask(ok.id, false);
            await d.destroyTask(bad.id, false);
        });
        it('writes task output to a FIFO without blocking start on the reader', async () => {
            const cfg = testTaskConfig(t.tasks.run({ ms: 200, stdout: 'hello fifo\n' }), { fifo: true });
            // The reader attaches only after start returns: returning at all proves start did not wait for one.
            await within(startTask(cfg), 30_000, 'start without a FIFO reader');
            await readFifoUntil(cfg.stdoutPath, /hello fifo/);
            await d.waitTask(cfg.id, {});
            await cleanup(d, cfg.id);
        });
        it('stopTask escalates when the task ignores the stop signal', async () => {
            const s = t.tasks.stubborn;
            const cfg = await startTask(testTaskConfig(s.config));
            const ready = s.readyOutput;
            if (ready !== undefined)
                await eventually(() => fs.existsSync(cfg.stdoutPath) && fs.readFileSync(cfg.stdoutPath, 'utf8').includes(ready), { message: 'the stubborn task to ignore SIGTERM' });
            const t0 = performance.now();
            await d.stopTask(cfg.id, s.timeoutMs, 'SIGTERM');
            const r = await d.waitTask(cfg.id, {});
            assert.ok(performance.now() - t0 >= s.minStopMs - 20, `stopped after ${Math.round(performance.now() - t0)}ms`);
            s.check(r);
            await cleanup(d, cfg.id);
        });
        it('destroyTask refuses a running task without force', async () => {
            const cfg = await startTask(testTaskConfig(t.tasks.run({ ms: 5_000 })));
            await assert.rejects(d.destroyTask(cfg.id, false), (e) => e instanceof DroverError && !(e instanceof TaskNotFoundError));
            assert.equal((await d.inspectTask(cfg.id)).state, 'running');
            await d.destroyTask(cfg.id, true);
            await assert.rejects(d.inspectTask(cfg.id), TaskNotFoundError);
        });
        it('destroyTask with force kills a running task: its wait ends and the task is forgotten', { timeout: 120_000 }, async () => {
            const cfg = await startTask(testTaskConfig(t.tasks.run({ ms: 600_000 })));
            const waited = d.waitTask(cfg.id, {});
            await d.destroyTask(cfg.id, true);
            await waited; // a task still running would keep this pending for ten minutes
            await assert.rejects(d.inspectTask(cfg.id), TaskNotFoundError);
            await assert.rejects(d.destroyTask(cfg.id, true), TaskNotFoundError);
        });
        it('shutdown releases the driver\'s handles; the tasks keep running for the next host to recover', async (ctx) => {
            const o = await open();
            if (o.crash || !isDriverShutdowner(o.driver))
                return ctx.skip('no in-process shutdown to test (a served plugin ends its process; see the controller test)');
            const cfg = testTaskConfig(t.tasks.run({ ms: 2_000, exitCode: 5 }));
            const { handle } = await o.driver.startTask(cfg);
            await o.driver.shutdown({});
            await assert.rejects(o.driver.inspectTask(cfg.id), TaskNotFoundError);
            const next = await open();
            await next.driver.recoverTask({ ...handle, config: { ...handle.config, driverConfig: {} } });
            assert.equal((await next.driver.waitTask(cfg.id, {})).exitCode, 5);
            await cleanup(next.driver, cfg.id);
        });
        it('unknown task ids fail with TaskNotFoundError', async () => {
            const id = 'no-such-alloc/web/0';
            await assert.rejects(d.waitTask(id, {}), TaskNotFoundError);
            await assert.rejects(d.stopTask(id, 100, 'SIGTERM'), TaskNotFoundError);
            await assert.rejects(d.destroyTask(id, true), TaskNotFoundError);
            await assert.rejects(d.inspectTask(id), TaskNotFoundError);
            await assert.rejects(d.signalTask(id, 'SIGHUP'), TaskNotFoundError);
            await assert.rejects(d.execTask(id, ['true'], 1_000), TaskNotFoundError);
            await assert.rejects(async () => {
                for await (const _ of d.taskStats(id, 100, {}))
                    break;
            }, TaskNotFoundError);
        });
        it('a second start of the same id fails with TaskAlreadyExistsError', async () => {
            const cfg = await startTask(testTaskConfig(t.tasks.run({ ms: 5_000 })));
            await assert.rejects(d.startTask(cfg), TaskAlreadyExistsError);
            await cleanup(d, cfg.id);
        });
        if (t.tasks.startError) {
            const startError = t.tasks.startError;
            it('start errors keep their recoverability', async () => {
                for (const recoverable of [true, false]) {
                    await assert.rejects(d.startTask(testTaskConfig(startError(recoverable))), (e) => {
                        assert.ok(e instanceof DriverStartError, `got ${String(e)}`);
                        assert.equal(e.recoverable, recoverable);
                        return true;
                    });
                }
            });
        }
        it('a config the schema rejects fails with ValidationError', async () => {
            await assert.rejects(d.startTask(testTaskConfig(t.tasks.invalid)), ValidationError);
        });
        it('signalTask delivers, and reports a failed delivery', async () => {
            const cfg = await startTask(testTaskConfig(t.tasks.run({ ms: 5_000 })));
            await d.signalTask(cfg.id, 'SIGHUP');
            await cleanup(d, cfg.id);
            if (t.tasks.signalError) {
                const bad = await startTask(testTaskConfig(t.tasks.signalError));
                await assert.rejects(d.signalTask(bad.id, 'SIGHUP'), DroverError);
                await cleanup(d, bad.id);
            }
        });
        it('taskStats streams samples until aborted', async () => {
            const cfg = await startTask(testTaskConfig(t.tasks.run({ ms: 5_000 })));
            const ac = new AbortController();
            const samples = [];
            for await (const s of d.taskStats(cfg.id, 100, { signal: ac.signal })) {
                samples.push(s);
                if (samples.length === 2)
                    ac.abort();
            }
            assert.equal(samples.length, 2);
            for (const s of samples) {
                assert.ok(s.timestamp > Date.now() - 60_000, 'sample has a timestamp');
                if (t.tasks.statsMemory)
                    assert.ok(s.memory.rss > 0, 'aggregate memory usage');
                assert.ok(s.cpu.measured.length > 0 || s.memory.measured.length > 0);
            }
            await cleanup(d, cfg.id);
        });
        it('taskEvents streams until aborted', async () => {
            const ac = new AbortController();
            const done = (async () => {
                for await (const _ of d.taskEvents({ signal: ac.signal })) {
                    // drivers may emit events; the stream must still end on abort
                }
            })();
            await new Promise((r) => setImmediate(r));
            ac.abort();
            await within(done, 10_000, 'the event stream to end on abort');
        });
        it('execTask runs a command in the task', async () => {
            const e = t.tasks.exec;
            const cfg = await startTask(testTaskConfig(e.config));
            const r = await d.execTask(cfg.id, e.cmd, 5_000);
            assert.equal(r.exitResult.exitCode, 0);
            assert.match(Buffer.from(r.stdout).toString('utf8'), e.expect);
            await cleanup(d, cfg.id);
        });
        if (t.tasks.streamingExec) {
            const e = t.tasks.streamingExec;
            it('execTaskStreaming passes stdin and streams output', async () => {
                assert.ok(isExecStreamingDriver(d));
                const cfg = await startTask(testTaskConfig(e.config));
                const out = [];
                async function* stdin() {
                    yield Buffer.from(e.stdin);
                }
                const r = await d.execTaskStreaming(cfg.id, { command: e.cmd, tty: false, stdin: stdin(), stdout: (c) => out.push(Buffer.from(c)), stderr: () => { } });
                assert.equal(r.exitCode, 0);
                assert.match(Buffer.concat(out).toString('utf8'), e.expect);
                await cleanup(d, cfg.id);
            });
        }
        it('recoverTask on a fresh driver takes over a task from its handle', async () => {
            // Both drivers are up before the task starts: opening a served plugin can take
            // seconds on a loaded machine, and the task must still be running when recovered.
            const first = await open();
            const second = await open();
            const cfg = testTaskConfig(t.tasks.run({ ms: 3_000, exitCode: 7 }));
            const { handle } = await first.driver.startTask(cfg);
            assert.ok(handle.version >= 1);
            assert.equal(handle.config.id, cfg.id);
            // As Nomad after a client restart: the handle comes back without the driver config.
            const stored = { ...handle, config: { ...handle.config, driverConfig: {} } };
            await second.driver.recoverTask(stored);
            assert.equal((await second.driver.inspectTask(cfg.id)).state, 'running');
            const r = await second.driver.waitTask(cfg.id, {});
            assert.equal(r.exitCode, 7);
            await cleanup(second.driver, cfg.id);
            await cleanup(first.driver, cfg.id);
        });
        it('a crashed plugin is restarted and its tasks recovered', async (ctx) => {
            const o = await open();
            if (!o.crash)
                return ctx.skip('in-process driver: no plugin process to kill');
            const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'drover-marker-')), 'starts');
            const cfg = testTaskConfig(t.tasks.run({ ms: 1_500, exitCode: 4, ...(t.tasksSurvivePluginCrash ? { marker } : {}) }));
            await o.driver.startTask(cfg);
            const pid = o.pid?.();
            const wait = o.driver.waitTask(cfg.id, {});
            await sleep(200);
            o.crash();
            const r = await wait;
            assert.equal(r.exitCode, 4);
            assert.equal(o.restarts?.(), 1);
            assert.notEqual(o.pid?.(), pid);
            assert.equal((await o.driver.inspectTask(cfg.id)).state, 'exited');
            // The same process ran to its end: started once, not re-run by the recovery.
            if (t.tasksSurvivePluginCrash)
                assert.equal(fs.readFileSync(marker, 'utf8').trim().split('\n').length, 1);
            await o.driver.destroyTask(cfg.id, false);
        });
        it('a controller shutdown ends the plugin process cleanly', async (ctx) => {
            const o = await open();
            if (!o.shutdown)
                return ctx.skip('in-process driver: no plugin process');
            const exit = await o.shutdown();
            assert.deepEqual(exit, { code: 0, signal: null });
        });
    });
}
/**
 * Reads a FIFO until `re` matches (as logmon reads: continuously, never
 * relying on EOF, since a writer may keep its end open), then closes it.
 */
async function readFifoUntil(p, re, timeoutMs = scaled(5_000)) {
    const stream = fs.createReadStream(p);
    let text = '';
    try {
        return await new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`no ${re} from FIFO within ${timeoutMs}ms; got ${JSON.stringify(text)}`)), timeoutMs);
            stream.on('data', (c) => {
                text += c.toString();
                if (re.test(text)) {
                    clearTimeout(timer);
                    resolve(text);
                }
            });
            stream.on('error', reject);
            stream.on('end', () => {
                clearTimeout(timer);
                if (re.test(text))
                    resolve(text);
                else
                    reject(new Error(`FIFO closed without ${re}; got ${JSON.stringify(text)}`));
            });
        });
    }
    finally {
        stream.destroy();
    }
}
function sleep(ms) {
    return new Promise((r) => setTimeout(r, ms));
}
//# sourceMappingURL=conformance.js.map