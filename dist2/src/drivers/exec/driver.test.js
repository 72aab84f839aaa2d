/** exec driver behaviour that needs no executor: schemas, validation before launch, fingerprints, unknown ids. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { DroverError, TaskNotFoundError, ValidationError } from '../../model/errors.js';
import { silentLogger } from '../../model/logger.js';
import { ExecDriver, toFingerprint } from './driver.js';
import { execTaskConfig as makeConfig } from './testing.js';
const base = mkdtempSync(join(tmpdir(), 'drover-exec-unit-'));
after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const execTaskConfig = (cfg) => makeConfig(cfg, { allocDir: join(base, String(n++)) });
/** Every call fails: these tests must be decided before the executor is reached. */
const unreachable = new Proxy({}, {
    get: (_t, name) => () => Promise.reject(new Error(`executor.${String(name)} must not be called`)),
});
function driver(detect) {
    return new ExecDriver({ logger: silentLogger, now: Date.now }, { dataDir: '/nonexistent', executor: unreachable, ...(detect ? { detect } : {}) });
}
test('ExecDriver: plugin info and capabilities as Nomad\'s exec', () => {
    const d = driver();
    assert.equal(d.pluginInfo().name, 'exec');
    assert.deepEqual(d.capabilities(), {
        sendSignals: true,
        exec: true,
        fsIsolation: 'chroot',
        netIsolationModes: ['host', 'group'],
        mustInitiateNetwork: false,
        mountConfigs: 'all',
    });
    assert.ok('command' in d.taskConfigSchema().fields && 'allow_caps' in d.configSchema().fields);
});
test('ExecDriver: fingerprint healthy only when isolation works; else the reason', async () => {
    const take = async (d) => {
        const ac = new AbortController();
        for await (const fp of d.fingerprint({ signal: ac.signal })) {
            ac.abort();
            return fp;
        }
        throw new Error('no fingerprint');
    };
    assert.deepEqual(await take(driver(async () => ({ ok: true }))), { attributes: { 'driver.exec': true }, health: 'healthy', healthDescription: 'Healthy' });
    assert.deepEqual(await take(driver(async () => ({ ok: false, reason: 'Driver must run as root' }))), { attributes: {}, health: 'undetected', healthDescription: 'Driver must run as root' });
    assert.equal(toFingerprint({ ok: false, reason: 'Failed to discover cgroup mount point' }).health, 'unhealthy');
});
test('ExecDriver: cap_add outside allow_caps is a validation error naming config.cap_add', async () => {
    const d = driver();
    await d.setConfig({ pluginConfig: { allow_caps: ['chown', 'kill'] } });
    const err = await d.startTask(execTaskConfig({ command: '/bin/true', cap_add: ['net_raw'] })).catch((e) => e);
    assert.ok(err instanceof ValidationError);
    assert.equal(err.field, 'config.cap_add');
    assert.match(err.message, /driver does not allow the following capabilities: net_raw/);
});
test('ExecDriver: bad task config and denied users fail before launch', async () => {
    const d = driver();
    const bad = await d.startTask(execTaskConfig({ command: '/bin/true', pid_mode: 'shared' })).catch((e) => e);
    assert.ok(bad instanceof ValidationError && bad.field === 'config.pid_mode');
    await d.setConfig({ pluginConfig: { denied_host_uids: '65534' } });
    const denied = await d.startTask(execTaskConfig({ command: '/bin/true' })).catch((e) => e);
    assert.ok(denied instanceof DroverError);
    assert.match(denied.message, /running as uid 65534 is disallowed/); // default user is nobody, as Nomad
});
test('ExecDriver: unknown task ids are TaskNotFoundError', async () => {
    const d = driver();
    await assert.rejects(d.inspectTask('nope'), TaskNotFoundError);
    await assert.rejects(d.waitTask('nope', {}), TaskNotFoundError);
    await assert.rejects(d.destroyTask('nope', true), TaskNotFoundError);
    await assert.rejects(d.stopTask('nope', 0, 'SIGINT'), TaskNotFoundError);
});
//# sourceMappingURL=driver.test.js.map