import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calculateCapabilities, NOMAD_DEFAULT_CAPS, unsupported } from './capabilities.js';
const supported = ['chown', 'dac_override', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid', 'setpcap', 'net_bind_service', 'net_raw', 'sys_chroot', 'mknod', 'audit_write', 'setfcap', 'sys_admin'];
test('defaults: Nomad\'s 13 capabilities, normalized and sorted', () => {
    const caps = calculateCapabilities(NOMAD_DEFAULT_CAPS, [], [], supported);
    assert.deepEqual(caps, ['audit_write', 'chown', 'dac_override', 'fowner', 'fsetid', 'kill', 'mknod', 'net_bind_service', 'setfcap', 'setgid', 'setpcap', 'setuid', 'sys_chroot']);
});
test('cap_drop all then cap_add a few (cap_add wins)', () => {
    assert.deepEqual(calculateCapabilities(NOMAD_DEFAULT_CAPS, ['CAP_CHOWN', 'kill'], ['all'], supported), ['chown', 'kill']);
    assert.deepEqual(calculateCapabilities(NOMAD_DEFAULT_CAPS, [], ['ALL'], supported), []);
    assert.ok(!calculateCapabilities(NOMAD_DEFAULT_CAPS, [], ['Cap_Kill'], supported).includes('kill'));
});
test('allow_caps narrows the defaults; cap_add outside allow_caps is refused with Nomad\'s message', () => {
    assert.deepEqual(calculateCapabilities(['chown', 'net_raw'], [], [], supported), ['chown']);
    assert.deepEqual(calculateCapabilities(['chown', 'net_raw'], ['net_raw'], [], supported), ['chown', 'net_raw']);
    assert.throws(() => calculateCapabilities(NOMAD_DEFAULT_CAPS, ['sys_admin', 'net_raw'], [], supported), /^Error: driver does not allow the following capabilities: net_raw, sys_admin$/);
    assert.deepEqual(calculateCapabilities(['all'], ['sys_admin'], ['all'], supported), ['sys_admin']);
});
test('unsupported lists names the kernel lacks; "all" is fine', () => {
    assert.deepEqual(unsupported(['chown', 'CAP_WARP', 'all'], supported), ['warp']);
});
//# sourceMappingURL=capabilities.test.js.map