/** Pure parts of the allocation network: Nomad's conflist, port mappings, address choice, config loading, CNI stdin. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adminChainRule, bridgeConfList, bridgeSettings } from './bridge-conflist.js';
import { cniPluginDirs, loadCniConfList } from './cni-config.js';
import { CniInvoker } from './cni-invoker.js';
import { parseCniError, parseCniResult } from './cni-types.js';
import { splitRule } from './iptables-sweep.js';
import { pickAddress } from './network-status.js';
import { parseNetworkMode } from './alloc-network.js';
import { portMappings } from './port-mappings.js';

test('bridgeConfList is Nomad\'s nomadCNIConfigTemplate with its defaults', () => {
  assert.deepEqual(bridgeConfList(), {
    cniVersion: '0.4.0',
    name: 'nomad',
    plugins: [
      { type: 'loopback' },
      {
        type: 'bridge',
        bridge: 'nomad',
        ipMasq: true,
        isGateway: true,
        forceAddress: true,
        hairpinMode: false,
        ipam: { type: 'host-local', ranges: [[{ subnet: '172.26.64.0/20' }]], routes: [{ dst: '0.0.0.0/0' }] },
      },
      { type: 'firewall', backend: 'iptables', iptablesAdminChainName: 'NOMAD-ADMIN' },
      { type: 'portmap', capabilities: { portMappings: true }, snat: true },
    ],
  });
  assert.deepEqual(adminChainRule(bridgeSettings()), ['-o', 'nomad', '-d', '172.26.64.0/20', '-j', 'ACCEPT']);
});

test('bridgeSettings reads Nomad\'s client config names and validates them', () => {
  const s = bridgeSettings({ bridge_network_name: 'br-apps', bridge_network_subnet: '10.9.0.0/24', bridge_network_hairpin_mode: true });
  assert.deepEqual(s, { bridgeName: 'br-apps', subnet: '10.9.0.0/24', hairpinMode: true, adminChainName: 'NOMAD-ADMIN' });
  const list = bridgeConfList(s);
  assert.equal(list.plugins[1]?.['bridge'], 'br-apps');
  assert.equal(list.plugins[1]?.['hairpinMode'], true);
  assert.deepEqual(bridgeSettings({ bridge_network_name: '', bridge_network_subnet: '' }), bridgeSettings());
  assert.throws(() => bridgeSettings({ bridge_network_name: 'a-name-far-too-long' }), { code: 'validation', message: /client\.bridge_network_name/ });
  assert.throws(() => bridgeSettings({ bridge_network_subnet: '10.0.0.0' }), { code: 'validation', message: /client\.bridge_network_subnet/ });
});

test('portMappings: tcp and udp per port; to < 1 means the host port; host IP unless ignored', () => {
  assert.deepEqual(portMappings([{ label: 'http', value: 25000, to: 8080, hostIp: '10.0.0.5' }, { label: 'db', value: 25001, to: -1 }, { label: 'x', value: 25002, to: 0, hostIp: '' }]), [
    { hostPort: 25000, containerPort: 8080, protocol: 'tcp', hostIP: '10.0.0.5' },
    { hostPort: 25000, containerPort: 8080, protocol: 'udp', hostIP: '10.0.0.5' },
    { hostPort: 25001, containerPort: 25001, protocol: 'tcp' },
    { hostPort: 25001, containerPort: 25001, protocol: 'udp' },
    { hostPort: 25002, containerPort: 25002, protocol: 'tcp' },
    { hostPort: 25002, containerPort: 25002, protocol: 'udp' },
  ]);
  assert.deepEqual(portMappings([{ label: 'http', value: 1, to: 2, hostIp: '10.0.0.5' }], true)[0], { hostPort: 1, containerPort: 2, protocol: 'tcp' });
});

test('pickAddress takes the first sandbox interface (by name) with an address, as Nomad\'s cniToAllocNet', () => {
  const result = parseCniResult({
    cniVersion: '0.4.0',
    interfaces: [{ name: 'nomad', mac: 'a' }, { name: 'veth1', mac: 'b' }, { name: 'eth0', mac: 'c', sandbox: '/var/run/netns/x' }],
    ips: [{ version: '4', interface: 2, address: '172.26.64.7/20', gateway: '172.26.64.1' }],
    dns: {},
  });
  assert.ok(result);
  assert.deepEqual(pickAddress(result), { interfaceName: 'eth0', address: '172.26.64.7', gateway: '172.26.64.1', hostInterfaces: ['nomad', 'veth1'] });
  const hostOnly = parseCniResult({ cniVersion: '1.0.0', interfaces: [{ name: 'br0' }], ips: [{ address: '10.1.0.1/24', interface: 0 }] });
  assert.ok(hostOnly);
  assert.equal(pickAddress(hostOnly).address, '10.1.0.1');
  const none = parseCniResult({ cniVersion: '1.0.0', interfaces: [{ name: 'eth0', sandbox: '/x' }], ips: [] });
  assert.ok(none);
  assert.throws(() => pickAddress(none), /no interface with an address/);
  assert.throws(() => pickAddress({ cniVersion: '1.0.0', interfaces: [], ips: [], raw: {} }), /no interfaces found/);
});

test('parseCniError reads the spec\'s error object', () => {
  assert.deepEqual(parseCniError({ cniVersion: '1.0.0', code: 7, msg: 'bad', details: 'why' }), { code: 7, msg: 'bad', details: 'why' });
  assert.equal(parseCniError({ msg: 'no code' }), undefined);
});

test('pluginStdin: name and cniVersion from the list, prevResult, runtimeConfig only for declared capabilities', () => {
  const inv = new CniInvoker(['/nowhere']);
  const list = bridgeConfList();
  const rt = { containerId: 'c', netnsPath: '/n', ifName: 'eth0', capabilityArgs: { portMappings: [{ hostPort: 1, containerPort: 2, protocol: 'tcp' }] } };
  const prev = parseCniResult({ cniVersion: '0.4.0', interfaces: [], ips: [] });
  const portmap = inv.pluginStdin(list, list.plugins[3] ?? { type: '' }, rt, prev);
  assert.equal(portmap['name'], 'nomad');
  assert.equal(portmap['cniVersion'], '0.4.0');
  assert.deepEqual(portmap['prevResult'], { cniVersion: '0.4.0', interfaces: [], ips: [] });
  assert.deepEqual(portmap['runtimeConfig'], { portMappings: [{ hostPort: 1, containerPort: 2, protocol: 'tcp' }] });
  const bridge = inv.pluginStdin(list, list.plugins[1] ?? { type: '' }, rt, undefined);
  assert.equal(bridge['runtimeConfig'], undefined);
  assert.equal(bridge['prevResult'], undefined);
});

test('a missing plugin binary is an error naming the plugin and the CNI path', async () => {
  const inv = new CniInvoker(['/nowhere-a', '/nowhere-b']);
  await assert.rejects(inv.addNetworkList(bridgeConfList(), { containerId: 'c', netnsPath: '/n', ifName: 'eth0' }), {
    code: 'unavailable',
    message: 'CNI plugin "loopback" failed on ADD: no executable "loopback" in the CNI path /nowhere-a:/nowhere-b',
  });
});

test('cniPluginDirs: cni_path, else CNI_PATH, else /opt/cni/bin; Debian\'s /usr/lib/cni always last', () => {
  assert.deepEqual(cniPluginDirs(undefined, {}), ['/opt/cni/bin', '/usr/lib/cni']);
  assert.deepEqual(cniPluginDirs('/a:/b', {}), ['/a', '/b', '/usr/lib/cni']);
  assert.deepEqual(cniPluginDirs('', { CNI_PATH: '/env' }), ['/env', '/usr/lib/cni']);
  assert.deepEqual(cniPluginDirs('/usr/lib/cni', {}), ['/usr/lib/cni']);
});

test('loadCniConfList finds a network by name in .conflist and .conf files, in lexical order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'drover-cni-conf-'));
  try {
    writeFileSync(join(dir, '10-a.conflist'), JSON.stringify({ cniVersion: '1.0.0', name: 'mynet', plugins: [{ type: 'bridge' }, { type: 'portmap', capabilities: { portMappings: true } }] }));
    writeFileSync(join(dir, '20-b.conf'), JSON.stringify({ cniVersion: '0.4.0', name: 'single', type: 'ptp', ipam: { type: 'host-local' } }));
    writeFileSync(join(dir, '30-c.conflist'), JSON.stringify({ cniVersion: '1.0.0', name: 'mynet', plugins: [{ type: 'macvlan' }] }));
    writeFileSync(join(dir, 'README.txt'), 'not a config');
    const a = await loadCniConfList(dir, 'mynet');
    assert.deepEqual(a.plugins.map((p) => p.type), ['bridge', 'portmap']);
    const b = await loadCniConfList(dir, 'single');
    assert.deepEqual(b, { cniVersion: '0.4.0', name: 'single', plugins: [{ type: 'ptp', ipam: { type: 'host-local' } }] });
    await assert.rejects(loadCniConfList(dir, 'other'), { code: 'not_found', message: `CNI network config not found for name "other" in ${dir}` });
    await assert.rejects(loadCniConfList(join(dir, 'missing'), 'x'), { code: 'not_found', message: /no CNI network config found/ });
    writeFileSync(join(dir, '40-bad.conflist'), JSON.stringify({ cniVersion: '1.0.0', name: 'bad', plugins: [{}] }));
    await assert.rejects(loadCniConfList(dir, 'bad'), { code: 'validation', message: /plugins\[0\] has no "type"/ });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseNetworkMode: host for empty/host, bridge, none, cni/<name> (lower-cased as Nomad does)', () => {
  assert.equal(parseNetworkMode(undefined), 'host');
  assert.equal(parseNetworkMode('host'), 'host');
  assert.equal(parseNetworkMode('Bridge'), 'bridge');
  assert.equal(parseNetworkMode('none'), 'none');
  assert.equal(parseNetworkMode('cni/MyNet'), 'cni/mynet');
  assert.throws(() => parseNetworkMode('cni/'), { code: 'validation' });
  assert.throws(() => parseNetworkMode('overlay'), { code: 'validation', message: /unsupported network mode "overlay"/ });
});

test('splitRule reads iptables-save quoting', () => {
  assert.deepEqual(splitRule('-A POSTROUTING -s 172.26.64.2/32 -m comment --comment "name: \\"nomad\\" id: \\"abc\\"" -j CNI-0f1'), [
    '-A', 'POSTROUTING', '-s', '172.26.64.2/32', '-m', 'comment', '--comment', 'name: "nomad" id: "abc"', '-j', 'CNI-0f1',
  ]);
});
