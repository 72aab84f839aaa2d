import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../model/errors.js';
import { builtinPluginSchema } from '../../drivers/catalog.js';
import { loadAgentConfigFile } from './parse-config.js';
import { mergeConfigs } from './agent-config.js';

const dir = mkdtempSync(join(tmpdir(), 'drover-config-'));
function configFile(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
const load = (path: string) => loadAgentConfigFile(path, { pluginSchema: builtinPluginSchema });

async function rejection(path: string): Promise<ValidationError> {
  try {
    await load(path);
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return err;
  }
  return assert.fail('expected the config to be refused');
}

test('plugin options written directly in the plugin block (Nomad mock driver docs): accepted with a warning', async () => {
  const path = configFile(
    'flat.hcl',
    `data_dir = "/tmp/x"
plugin "mock_driver" {
  fs_isolation               = "none"
  shutdown_periodic_after    = false
  shutdown_periodic_duration = 0
}
`,
  );
  const { config, warnings } = await load(path);
  assert.deepEqual(config.plugins?.['mock_driver'], { fs_isolation: 'none', shutdown_periodic_after: false, shutdown_periodic_duration: 0 });
  assert.equal(warnings.length, 1);
  assert.equal(warnings[0]?.field, 'plugin.mock_driver');
  assert.equal(warnings[0]?.line, 2);
  assert.equal(warnings[0]?.file, path);
  assert.match(warnings[0]?.message ?? '', /Nomad itself reads them only inside config \{ \}/);
});

test('flat plugin options are checked against the driver schema, with field and line', async () => {
  const path = configFile('flat-bad.hcl', `plugin "mock_driver" {\n  shutdown_periodic_after = false\n  fs_isolation = "bogus"\n}\n`);
  const err = await rejection(path);
  assert.equal(err.problems.length, 1);
  assert.equal(err.field, 'plugin.mock_driver.fs_isolation');
  assert.equal(err.line, 3);
  const unknown = await rejection(configFile('flat-unknown.hcl', `plugin "raw_exec" {\n  enabled = true\n  no_cgroupz = true\n}\n`));
  assert.equal(unknown.field, 'plugin.raw_exec.no_cgroupz');
  assert.equal(unknown.line, 3);
});

test('options both directly in the plugin block and in config {} are an error naming the line', async () => {
  const path = configFile(
    'both.hcl',
    `plugin "raw_exec" {
  config {
    enabled = true
  }
  no_cgroups = true
}
`,
  );
  const err = await rejection(path);
  assert.equal(err.problems.length, 1);
  assert.equal(err.field, 'plugin.raw_exec.no_cgroups');
  assert.equal(err.line, 5);
  assert.match(err.message, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5: plugin\\.raw_exec\\.no_cgroups: plugin "raw_exec" sets options both directly \\(no_cgroups\\) and in config \\{\\} \\(line 2\\)`));
});

test('external plugins take flat options unchecked, like their config {}; args stay apart', async () => {
  const { config, warnings } = await load(configFile('external.hcl', `plugin "my-driver" {\n  args = ["-v"]\n  level = 3\n}\n`));
  assert.deepEqual(config.plugins?.['my-driver'], { level: 3 });
  assert.deepEqual(config.pluginArgs?.['my-driver'], ['-v']);
  assert.equal(warnings.length, 1);
  const plain = await load(configFile('plain.hcl', `plugin "my-driver" {\n  args = ["-v"]\n  config {\n    level = 3\n  }\n}\n`));
  assert.deepEqual(plain.config.plugins?.['my-driver'], { level: 3 });
  assert.deepEqual(plain.warnings, []);
});

test('client ports: min/max_dynamic_port and reserved { reserved_ports } in Nomad\'s range syntax', async () => {
  const { config, warnings } = await load(
    configFile('ports.hcl', `client {\n  min_dynamic_port = 21000\n  max_dynamic_port = 21999\n  reserved {\n    reserved_ports = "22, 80,8500-8502"\n    cores = 1\n  }\n}\n`),
  );
  assert.equal(config.client?.minDynamicPort, 21000);
  assert.equal(config.client?.maxDynamicPort, 21999);
  assert.deepEqual(config.client?.reservedPorts, [22, 80, 8500, 8501, 8502]);
  assert.deepEqual(warnings.map((w) => w.field), ['client.reserved.cores']);
});

test('client resources: reserved { cpu memory disk } and the cpu_total_compute / memory_total_mb / disk_free_mb overrides; negative is an error', async () => {
  const { config } = await load(
    configFile('res.hcl', `client {\n  cpu_total_compute = 8000\n  memory_total_mb = 4096\n  disk_free_mb = 1000\n  reserved {\n    cpu = 500\n    memory = 256\n    disk = 100\n  }\n}\n`),
  );
  assert.equal(config.client?.cpuTotalCompute, 8000);
  assert.equal(config.client?.memoryTotalMb, 4096);
  assert.equal(config.client?.diskFreeMb, 1000);
  assert.equal(config.client?.reservedCpu, 500);
  assert.equal(config.client?.reservedMemoryMb, 256);
  assert.equal(config.client?.reservedDiskMb, 100);
  const err = await rejection(configFile('neg.hcl', `client {\n  reserved {\n    memory = -1\n  }\n}\n`));
  assert.equal(err.field, 'client.reserved.memory');
  assert.match(err.message, /neg\.hcl:3.*memory must be 0 or more, got -1/);
});

test('client ports: an empty range and bad reserved_ports are errors naming the field and line', async () => {
  const range = await rejection(configFile('range.hcl', `client {\n  max_dynamic_port = 20000\n  min_dynamic_port = 30000\n}\n`));
  assert.equal(range.field, 'client.min_dynamic_port');
  assert.equal(range.line, 3);
  assert.match(range.message, /:3: client\.min_dynamic_port: Invalid dynamic port range: min_dynamic_port=30000 and max_dynamic_port=20000$/);
  const big = await rejection(configFile('big.hcl', `client {\n  max_dynamic_port = 70000\n}\n`));
  assert.equal(big.field, 'client.max_dynamic_port');
  assert.equal(big.line, 2);
  for (const [spec, why] of [
    ['22,abc', /"abc" is not a port number/],
    ['9000-8000', /invalid range: ending value \(8000\) less than starting \(9000\) value/],
    ['0', /port must be > 0/],
    ['22,,80', /can't specify empty port/],
    ['1-2-3', /can only parse single port numbers or port ranges/],
    ['70000', /port must be < 65536 but found 70000/],
  ] as const) {
    const err = await rejection(configFile('reserved.hcl', `client {\n  reserved {\n    reserved_ports = "${spec}"\n  }\n}\n`));
    assert.equal(err.field, 'client.reserved.reserved_ports', spec);
    assert.equal(err.line, 3, spec);
    assert.match(err.message, new RegExp(`reserved_ports "${spec}" invalid: `), spec);
    assert.match(err.message, why, spec);
  }
});

test('client networking: cni_path, cni_config_dir and bridge_network_* are read; bad bridge values name field and line', async () => {
  const { config, warnings } = await load(
    configFile('net.hcl', `client {\n  cni_path = "/opt/cni/bin:/usr/lib/cni"\n  cni_config_dir = "/etc/cni/net.d"\n  bridge_network_name = "drover0"\n  bridge_network_subnet = "10.99.0.0/24"\n  bridge_network_hairpin_mode = true\n}\n`),
  );
  assert.deepEqual(warnings, []);
  assert.equal(config.client?.cniPath, '/opt/cni/bin:/usr/lib/cni');
  assert.equal(config.client?.cniConfigDir, '/etc/cni/net.d');
  assert.equal(config.client?.bridgeNetworkName, 'drover0');
  assert.equal(config.client?.bridgeNetworkSubnet, '10.99.0.0/24');
  assert.equal(config.client?.bridgeNetworkHairpinMode, true);
  const subnet = await rejection(configFile('subnet.hcl', `client {\n  bridge_network_subnet = "10.99.0.0"\n}\n`));
  assert.equal(subnet.field, 'client.bridge_network_subnet');
  assert.equal(subnet.line, 2);
  assert.match(subnet.message, /"10\.99\.0\.0" is not an IPv4 CIDR/);
  const name = await rejection(configFile('name.hcl', `client {\n  bridge_network_name = "a-very-long-bridge-name"\n}\n`));
  assert.equal(name.field, 'client.bridge_network_name');
  assert.match(name.message, /is not a valid interface name/);
});

test("client template: function_denylist, disable_file_sandbox and wait over Nomad's defaults; a bad wait names field and line", async () => {
  const { config, warnings } = await load(
    configFile('tpl.hcl', `client {\n  template {\n    function_denylist = ["plugin"]\n    disable_file_sandbox = true\n    wait {\n      min = "1s"\n    }\n    max_stale = "10s"\n  }\n}\n`),
  );
  assert.deepEqual(config.client?.template, { functionDenylist: ['plugin'], disableSandbox: true, wait: { minMs: 1_000, maxMs: 240_000 } });
  assert.deepEqual(warnings.map((w) => `${w.field}:${w.line}`), ['client.template.max_stale:8']);
  const none = await load(configFile('none.hcl', 'client {\n}\n'));
  assert.equal(none.config.client?.template, undefined);
  const bad = await rejection(configFile('bad.hcl', `client {\n  template {\n    wait {\n      min = "10s"\n      max = "1s"\n    }\n  }\n}\n`));
  assert.equal(bad.field, 'client.template.wait');
  assert.equal(bad.line, 3);
});

test('client host_volume blocks decode to the node host volumes', async () => {
  const data = mkdtempSync(join(tmpdir(), 'drover-hv-'));
  const path = configFile('hv.hcl', `client {\n  host_volume "data" {\n    path = "${data}"\n  }\n  host_volume "certs" {\n    path      = "/etc"\n    read_only = true\n  }\n}\n`);
  const { config, warnings } = await load(path);
  assert.deepEqual(warnings, []);
  assert.deepEqual(config.client?.hostVolumes, { data: { path: data, readOnly: false }, certs: { path: '/etc', readOnly: true } });
});

test('host_volume path problems name the volume, field and line', async () => {
  const missing = await rejection(configFile('hv-nopath.hcl', `client {\n  host_volume "x" {\n    read_only = true\n  }\n}\n`));
  assert.equal(missing.field, 'client.host_volume.x');
  assert.equal(missing.line, 2);
  assert.match(missing.message, /Missing path in host_volume "x" config/);
  const relative = await rejection(configFile('hv-rel.hcl', `client {\n  host_volume "x" {\n    path = "data"\n  }\n}\n`));
  assert.equal(relative.field, 'client.host_volume.x.path');
  assert.equal(relative.line, 3);
  assert.match(relative.message, /host_volume "x": path "data" must be absolute/);
  const absent = await rejection(configFile('hv-absent.hcl', `client {\n  host_volume "x" {\n    path = "/no/such/dir/hv"\n  }\n}\n`));
  assert.match(absent.message, /path "\/no\/such\/dir\/hv" does not exist/);
  const unknown = await rejection(configFile('hv-unknown.hcl', `client {\n  host_volume "x" {\n    path = "/tmp"\n    readonly = true\n  }\n}\n`));
  assert.equal(unknown.field, 'client.host_volume.x.readonly');
  assert.equal(unknown.line, 4);
});

test("garbage collection: server { job_gc_* eval_gc_* } and client { gc_* } over Nomad's defaults; other server settings are warnings", async () => {
  const { config, warnings } = await load(
    configFile(
      'gc.hcl',
      `server {\n  enabled = true\n  job_gc_interval = "1m"\n  job_gc_threshold = "2h"\n  eval_gc_threshold = "30m"\n  batch_eval_gc_threshold = "12h"\n  deployment_gc_threshold = "2h"\n}\n` +
        `client {\n  gc_interval = "10s"\n  gc_max_allocs = 20\n  gc_disk_usage_threshold = 90.5\n  gc_inode_usage_threshold = 75\n  gc_parallel_destroys = 4\n}\n`,
    ),
  );
  assert.deepEqual(config.gc, {
    jobGcIntervalMs: 60_000,
    jobGcThresholdMs: 7_200_000,
    evalGcThresholdMs: 1_800_000,
    batchEvalGcThresholdMs: 43_200_000,
    deploymentGcThresholdMs: 7_200_000,
    clientGcIntervalMs: 10_000,
    clientGcMaxAllocs: 20,
    clientGcDiskUsageThreshold: 90.5,
    clientGcInodeUsageThreshold: 75,
  });
  assert.deepEqual(warnings.map((w) => w.field).sort(), ['client.gc_parallel_destroys', 'server.enabled']);
  const merged = mergeConfigs('/tmp/x', [{ gc: { jobGcThresholdMs: 1_000 } }]);
  assert.equal(merged.gc.jobGcThresholdMs, 1_000);
  assert.equal(merged.gc.jobGcIntervalMs, 300_000, "Nomad's 5m default stays");
  assert.equal(merged.gc.clientGcMaxAllocs, 50);
});

test('garbage collection: a zero interval, a bad duration, a percentage over 100 and an unknown server setting are errors naming field and line', async () => {
  const zero = await rejection(configFile('zero.hcl', `server {\n  job_gc_interval = "0s"\n}\n`));
  assert.equal(zero.field, 'server.job_gc_interval');
  assert.equal(zero.line, 2);
  assert.match(zero.message, /job_gc_interval must be a positive duration/);
  const bad = await rejection(configFile('bad.hcl', `server {\n\n  job_gc_threshold = "4 hours"\n}\n`));
  assert.equal(bad.field, 'server.job_gc_threshold');
  assert.equal(bad.line, 3);
  const pct = await rejection(configFile('pct.hcl', `client {\n  gc_disk_usage_threshold = 120\n}\n`));
  assert.equal(pct.field, 'client.gc_disk_usage_threshold');
  assert.match(pct.message, /must be a percentage between 0 and 100, got 120/);
  const unknown = await rejection(configFile('unknown.hcl', `server {\n  job_gc_treshold = "1h"\n}\n`));
  assert.equal(unknown.field, 'server.job_gc_treshold');
  assert.equal(unknown.line, 2);
});

test('client options "env.denylist" replaces the default env deny list (it was ignored: tasks inherited what the operator denied); others are warned about', async () => {
  const path = configFile('env-denylist.hcl', 'client {\n  options = {\n    "env.denylist" = "MY_SECRET, VAULT_TOKEN"\n    "driver.allowlist" = "raw_exec"\n  }\n}\n');
  const { config, warnings } = await load(path);
  assert.deepEqual(config.client?.envDenylist, ['MY_SECRET', 'VAULT_TOKEN']);
  assert.deepEqual(mergeConfigs(undefined, [config]).client.envDenylist, ['MY_SECRET', 'VAULT_TOKEN']);
  assert.deepEqual(warnings.map((w) => w.message), ['client options "driver.allowlist" are ignored by drover']);
  const old = await load(configFile('env-blacklist.hcl', 'client {\n  options = {\n    "env.blacklist" = "OLD"\n  }\n}\n'));
  assert.deepEqual(old.config.client?.envDenylist, ['OLD']);
  assert.equal(mergeConfigs(undefined, [(await load(configFile('none.hcl', 'client {}\n'))).config]).client.envDenylist, undefined);
});
