import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotSupportedError, ValidationError } from '../../model/errors.js';
import { silentLogger } from '../../model/logger.js';
import { lookPath } from '../vm-shared/qemu-host.js';
import { removeVmTaskDirs, vmTaskConfig } from '../vm-shared/testing.js';
import { QemuDriver } from './driver.js';
const executorDir = mkdtempSync('/tmp/dxq-');
const dirs = [executorDir];
after(() => {
    for (const d of dirs)
        rmSync(d, { recursive: true, force: true });
    removeVmTaskDirs();
});
function driver() {
    return new QemuDriver({ logger: silentLogger, now: Date.now }, { dataDir: executorDir });
}
test('QemuDriver: plugin info and Nomad capabilities; signal and exec are not supported', async () => {
    const d = driver();
    assert.equal(d.pluginInfo().name, 'qemu');
    assert.deepEqual(d.capabilities(), { sendSignals: false, exec: false, fsIsolation: 'none', netIsolationModes: ['host', 'group'], mustInitiateNetwork: false, mountConfigs: 'none' });
    await assert.rejects(d.signalTask('x', 'SIGHUP'), (e) => e instanceof NotSupportedError && /can't signal/.test(e.message));
    await assert.rejects(d.execTask('x', ['ls'], 1000), (e) => e instanceof NotSupportedError && /can't execute/.test(e.message));
    await assert.rejects(d.inspectTask('x'), { code: 'task_not_found' });
});
test('QemuDriver: fingerprint reports driver.qemu, its version, emulators and KVM; undetected when no emulator is allowed', async (t) => {
    if (!lookPath('qemu-system-x86_64'))
        return t.skip('qemu-system-x86_64 not installed (Debian package qemu-system-x86)');
    const d = driver();
    const ac = new AbortController();
    for await (const fp of d.fingerprint({ signal: ac.signal })) {
        assert.equal(fp.health, 'healthy');
        assert.equal(fp.attributes['driver.qemu'], true);
        assert.match(String(fp.attributes['driver.qemu.version']), /^\d+\.\d+/);
        assert.match(String(fp.attributes['driver.qemu.emulators']), /x86_64/);
        assert.equal(typeof fp.attributes['driver.qemu.kvm'], 'boolean');
        break;
    }
    await d.setConfig({ pluginConfig: { emulators_allowlist: ['nosuch'] } });
    for await (const fp of d.fingerprint({ signal: ac.signal })) {
        assert.deepEqual(fp, { attributes: {}, health: 'undetected', healthDescription: '' });
        break;
    }
    ac.abort();
});
test('QemuDriver: images outside image_paths, ".." escapes and symlinks out are refused before QEMU starts', async () => {
    const d = driver();
    const allowed = mkdtempSync('/tmp/dqa-');
    dirs.push(allowed);
    writeFileSync(join(allowed, 'ok.img'), 'x');
    symlinkSync('/etc/passwd', join(allowed, 'evil.img'));
    await d.setConfig({ pluginConfig: { image_paths: [allowed] } });
    const start = (image_path) => {
        const cfg = vmTaskConfig({ driverConfig: { image_path } });
        dirs.push(cfg.allocDir);
        return d.startTask(cfg);
    };
    const refused = (re) => (e) => e instanceof ValidationError && e.field === 'config.image_path' && re.test(e.message);
    await assert.rejects(start('/etc/passwd'), refused(/image "\/etc\/passwd" is not in the allowed paths/));
    await assert.rejects(start(`${allowed}/../../etc/passwd`), refused(/resolves to \/etc\/passwd\) is not in the allowed paths/));
    await assert.rejects(start(join(allowed, 'evil.img')), refused(/evil\.img" \(resolves to \/etc\/passwd\) is not in the allowed paths/));
});
test('QemuDriver: args_allowlist and emulators_allowlist refuse a task', async () => {
    const d = driver();
    await d.setConfig({ pluginConfig: { args_allowlist: ['-snapshot'], emulators_allowlist: ['x86_64'] } });
    const cfg = vmTaskConfig({ driverConfig: { image_path: '/x', args: ['-snapshot', '-device', 'usb'] } });
    dirs.push(cfg.allocDir);
    await assert.rejects(d.startTask(cfg), /"-device" is not in args_allowlist/);
    const cfg2 = vmTaskConfig({ driverConfig: { image_path: '/x', emulator: 'aarch64' } });
    dirs.push(cfg2.allocDir);
    await assert.rejects(d.startTask(cfg2), /'aarch64' is not an allowed emulator/);
});
//# sourceMappingURL=driver.test.js.map