import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { hostPathOf, resolveTaskCommand } from './task-command.js';
const base = mkdtempSync(join(tmpdir(), 'drover-taskcmd-'));
after(() => rmSync(base, { recursive: true, force: true }));
const root = join(base, 'task');
const hostUsr = join(base, 'usr');
const alloc = join(base, 'alloc');
for (const d of [join(root, 'local'), join(hostUsr, 'bin'), join(alloc, 'bin')])
    mkdirSync(d, { recursive: true });
writeFileSync(join(root, 'local', 'app'), '#!/bin/sh\n', { mode: 0o644 });
writeFileSync(join(hostUsr, 'bin', 'tool'), '', { mode: 0o755 });
writeFileSync(join(hostUsr, 'bin', 'app'), '', { mode: 0o755 });
writeFileSync(join(alloc, 'bin', 'shared-tool'), '', { mode: 0o755 });
const iso = {
    root,
    chrootEnv: { [hostUsr]: '/usr' },
    mounts: [{ hostPath: alloc, taskPath: '/alloc', readonly: true }],
    pidMode: 'private',
    ipcMode: 'private',
    hostname: '',
    capabilities: [],
    noPivotRoot: false,
};
test('resolveTaskCommand: /local first (and made executable), like Nomad', () => {
    assert.deepEqual(resolveTaskCommand(iso, 'app'), { taskPath: '/local/app', hostPath: join(root, 'local', 'app') });
    assert.equal(statSync(join(root, 'local', 'app')).mode & 0o111, 0o111);
});
test('resolveTaskCommand: absolute paths map through chroot_env; bare names search /usr/bin', () => {
    assert.equal(resolveTaskCommand(iso, '/usr/bin/tool').hostPath, join(hostUsr, 'bin', 'tool'));
    assert.equal(resolveTaskCommand(iso, 'tool').taskPath, '/usr/bin/tool');
    assert.equal(resolveTaskCommand(iso, 'bin/shared-tool').taskPath, '/alloc/bin/shared-tool');
});
test('resolveTaskCommand: Nomad\'s errors when absent', () => {
    assert.throws(() => resolveTaskCommand(iso, '/usr/bin/none'), new RegExp(`file /usr/bin/none not found under path ${root}`));
    assert.throws(() => resolveTaskCommand(iso, 'none'), /^Error: file none not found under path$/);
});
test('resolveTaskCommand: never chmods through a symlink the task planted', () => {
    const victim = join(base, 'host-file');
    writeFileSync(victim, '', { mode: 0o600 });
    symlinkSync(victim, join(root, 'local', 'evil'));
    resolveTaskCommand(iso, 'evil');
    assert.equal(statSync(victim).mode & 0o777, 0o600);
});
test('hostPathOf: longest bind wins; read-only binds are not writable', () => {
    assert.deepEqual(hostPathOf(iso, '/alloc/x'), { path: join(alloc, 'x'), writable: false });
    assert.deepEqual(hostPathOf(iso, '/usrx'), { path: join(root, 'usrx'), writable: true });
    chmodSync(join(root, 'local', 'app'), 0o644);
});
//# sourceMappingURL=task-command.test.js.map