/** QmpClient against a real QEMU (no guest: a paused machine is enough for QMP). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { lookPath } from './qemu-host.js';
import { QmpClient, QmpError, qmpOnce } from './qmp.js';
test('QmpClient: greeting, commands, errors, events, close on QEMU exit', async (t) => {
    if (!lookPath('qemu-system-x86_64'))
        return t.skip('qemu-system-x86_64 not installed (Debian package qemu-system-x86)');
    const dir = mkdtempSync('/tmp/qmp-');
    const sock = join(dir, 'qm.sock');
    const qemu = spawn('qemu-system-x86_64', ['-machine', 'pc,accel=tcg', '-m', '32', '-S', '-display', 'none', '-nodefaults', '-name', 'qmp-test', '-qmp', `unix:${sock},server=on,wait=off`], { stdio: 'ignore' });
    const exited = new Promise((r) => qemu.once('exit', r));
    try {
        const c = await QmpClient.connect(sock, { timeoutMs: 10_000 });
        assert.deepEqual(await c.execute('query-name'), { name: 'qmp-test' });
        const status = await c.execute('query-status');
        assert.equal(status.running, false);
        assert.equal(status.status, 'prelaunch');
        await assert.rejects(c.execute('no-such-command'), (e) => e instanceof QmpError && e.errorClass === 'CommandNotFound');
        // One client at a time: a second one is not greeted while the first is connected.
        await assert.rejects(QmpClient.connect(sock, { greetingTimeoutMs: 300 }), /no QMP greeting/);
        c.close();
        await c.closed;
        await qmpOnce(sock, 'cont');
        const c2 = await QmpClient.connect(sock);
        assert.equal((await c2.execute('query-status')).status, 'running');
        const events = [];
        c2.onEvent((e) => events.push(e));
        await c2.execute('quit');
        await c2.closed;
        assert.ok(events.some((e) => e.event === 'SHUTDOWN'), JSON.stringify(events));
        await assert.rejects(c2.execute('query-name'), /closed/);
        await exited;
    }
    finally {
        qemu.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
    }
});
test('QmpClient.connect gives up on a socket that never appears', async () => {
    await assert.rejects(QmpClient.connect('/tmp/qmp-nothing-here.sock', { timeoutMs: 200 }), { code: 'ENOENT' });
});
//# sourceMappingURL=qmp.linux.test.js.map