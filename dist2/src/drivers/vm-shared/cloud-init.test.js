import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envProfile, isValidHostname, isValidTimezone, renderSeed } from './cloud-init.js';
test('renderSeed: meta-data names the instance and host; an empty #cloud-config user-data without a user_data file', () => {
    const s = renderSeed({ instanceId: 'web-1234', hostname: 'nomad-web', runcmd: [], bootcmd: [], files: [] });
    assert.equal(s['meta-data'], 'instance-id: "web-1234"\nlocal-hostname: "nomad-web"\n');
    assert.equal(s['user-data'], '#cloud-config\n');
    assert.equal(s['vendor-data'], '#cloud-config\n');
});
test('renderSeed: vendor-data carries password, ssh key, timezone, files, bootcmd and runcmd as quoted YAML scalars', () => {
    const s = renderSeed({
        instanceId: 'i',
        hostname: 'h',
        userData: '#cloud-config\nruncmd: [x]\n',
        password: 'pa:ss #1',
        sshAuthorizedKey: 'ssh-ed25519 AAAA me@host',
        timezone: 'Europe/Paris',
        runcmd: ['echo "a: b"', 'touch /x'],
        bootcmd: ['mkdir -p /alloc'],
        files: [{ path: '/etc/profile.d/virt.sh', content: 'export A=1\n', permissions: '0644' }],
    });
    assert.equal(s['user-data'], '#cloud-config\nruncmd: [x]\n');
    assert.equal(s['vendor-data'], [
        '#cloud-config',
        'merge_how:',
        ' - name: list',
        '   settings: [prepend]',
        ' - name: dict',
        '   settings: [no_replace, recurse_dict]',
        'password: "pa:ss #1"',
        'ssh_authorized_keys:',
        '  - "ssh-ed25519 AAAA me@host"',
        'timezone: "Europe/Paris"',
        'write_files:',
        '  - path: "/etc/profile.d/virt.sh"',
        '    encoding: b64',
        `    content: ${Buffer.from('export A=1\n').toString('base64')}`,
        '    permissions: "0644"',
        '    owner: root:root',
        'bootcmd:',
        '  - "mkdir -p /alloc"',
        'runcmd:',
        '  - "echo \\"a: b\\""',
        '  - "touch /x"',
        '',
    ].join('\n'));
});
test('envProfile: single-quoted exports, sorted, invalid names dropped', () => {
    assert.equal(envProfile({ B: "it's", A: 'x y', 'bad-name': 'z' }), "export A='x y'\nexport B='it'\\''s'\n");
});
test('hostname and timezone validation', () => {
    assert.ok(isValidHostname('nomad-web-1'));
    assert.ok(!isValidHostname('-web'));
    assert.ok(!isValidHostname('a_b'));
    assert.ok(!isValidHostname('x'.repeat(64)));
    assert.ok(isValidTimezone('Europe/Paris'));
    assert.ok(isValidTimezone('UTC'));
    assert.ok(!isValidTimezone('../etc'));
    assert.ok(!isValidTimezone('a b'));
});
//# sourceMappingURL=cloud-init.test.js.map