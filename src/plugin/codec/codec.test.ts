import { test } from 'node:test';
import assert from 'node:assert/strict';
import { taskConfigSchema as mockTaskSchema, pluginConfigSchema as mockPluginSchema } from '../../drivers/mock/config.js';
import { spec } from '../../model/config-spec.js';
import { ValidationError } from '../../model/errors.js';
import type { TaskConfig, TaskResourceUsage, TaskStatus } from '../../drivers/types.js';
import { testTaskConfig } from '../testing/task-config.js';
import { capabilitiesFromPb, capabilitiesToPb } from './capabilities.js';
import { decodeCty, encodeCty, encodeCtyConcrete } from './cty-msgpack.js';
import { scaled } from '../../model/testing/eventually.js';
import { formatTypeExpr, parseTypeExpr, typeFromJson, typeToJson } from './cty-type.js';
import { exitResultFromPb, exitResultToPb } from './exit-result.js';
import { fingerprintFromPb, fingerprintToPb } from './fingerprint.js';
import { formatHclLiteral, parseHclLiteral } from './hcl-literal.js';
import { decodeHclBody } from './hcldec.js';
import { fromHclSpec, impliedType, toHclSpec } from './hclspec.js';
import { pluginInfoFromPb, pluginInfoToPb, selectApiVersion } from './plugin-info.js';
import { taskConfigFromPb, taskConfigToPb } from './task-config.js';
import { TaskConfig as TaskConfigPb } from '../wire/driver.js';
import { taskEventFromPb, taskEventToPb } from './task-event.js';
import { taskHandleFromPb, taskHandleToPb } from './task-handle.js';
import { taskStatsFromPb, taskStatsToPb } from './stats.js';
import { taskStatusFromPb, taskStatusToPb } from './task-status.js';
import { GO_ZERO_TIME_SECONDS, durationToMs, msToDuration, msToTimestamp, timestampToMs } from './time.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('cty msgpack: objects sorted with every attribute, nil when unset; compact ints, float64, big numbers as strings', () => {
  const t = parseTypeExpr('object({b = number, a = string, c = bool, "10" = number, "9" = number})');
  const bytes = encodeCty({ b: 1, a: 'x' }, t);
  // map of 5: "10" nil, "9" nil, "a" "x", "b" 1, "c" nil — keys bytewise-sorted, as Go's sort.Strings.
  assert.equal(hex(bytes), '85' + 'a23130c0' + 'a139c0' + 'a161a178' + 'a16201' + 'a163c0');
  assert.equal(hex(encodeCty(200, 'number')), 'ccc8');
  assert.equal(hex(encodeCty(-33, 'number')), 'd0df');
  assert.equal(hex(encodeCty(-1, 'number')), 'ff');
  assert.equal(hex(encodeCty(70000, 'number')), 'ce00011170');
  assert.equal(hex(encodeCty(1.5, 'number')), 'cb3ff8000000000000');
  assert.equal(hex(encodeCty(2 ** 53, 'number')), 'cf0020000000000000');
  assert.equal(hex(encodeCty(1e20, 'number')), `b5${Buffer.from('100000000000000000000').toString('hex')}`);
  assert.deepEqual(decodeCty(encodeCty(1e20, 'number'), 'number'), 1e20);
  assert.deepEqual(decodeCty(bytes, t), { '10': null, '9': null, a: 'x', b: 1, c: null });
});

test('cty msgpack: dynamic values travel as [type JSON, value]; Nomad-style concrete values decode too', () => {
  const bytes = encodeCty({ args: ['a', 1] }, ['object', { args: 'dynamic' }]);
  const raw = Buffer.from(bytes);
  assert.ok(raw.includes(Buffer.from('["tuple",["string","number"]]')));
  assert.deepEqual(decodeCty(bytes, ['object', { args: 'dynamic' }]), { args: ['a', 1] });
  assert.deepEqual(decodeCty(encodeCtyConcrete({ args: ['a', 1] }), ['object', { args: 'dynamic' }]), { args: ['a', 1] });
  assert.equal(hex(encodeCty(null, 'dynamic')), 'c0');
  // An unknown value (msgpack extension) can never be a config.
  assert.throws(() => decodeCty(Buffer.from('81a161d40000', 'hex'), ['object', { a: 'string' }]), /a: value is unknown/);
  assert.throws(() => encodeCty({ a: 1 }, ['object', { a: 'string' }]), /a: expected string/);
  assert.throws(() => encodeCty({ z: 1 }, ['object', { a: 'string' }]), /z: attribute not in the object type/);
});

test('cty types: expressions and JSON round-trip', () => {
  for (const e of ['string', 'any', 'list(map(string))', 'object({a=number,b=list(bool)})', 'tuple([string,number])', 'set(number)']) {
    const t = parseTypeExpr(e);
    assert.deepEqual(parseTypeExpr(formatTypeExpr(t)), t);
    assert.deepEqual(typeFromJson(typeToJson(t)), t);
  }
  assert.deepEqual(parseTypeExpr(' list( string ) '), ['list', 'string']);
  assert.deepEqual(parseTypeExpr('object({a = optional(string)})'), ['object', { a: 'string' }]);
  assert.throws(() => parseTypeExpr('list(strin)'), /unknown type "strin"/);
});

test('HCL literals: format and parse round-trip, with template sequences escaped', () => {
  for (const v of ['none', 'a "q" $' + '{x} %' + '{y}', 5, -1.5, true, null, [], ['a', 1], { k: 'v', 'needs quote': [true] }]) {
    assert.deepEqual(parseHclLiteral(formatHclLiteral(v)), v);
  }
  assert.equal(formatHclLiteral('$' + '{x}'), '"$$' + '{x}"');
  assert.deepEqual(parseHclLiteral('{ a = 1, b: "x" }'), { a: 1, b: 'x' });
  assert.throws(() => parseHclLiteral('abs(-1)'), /constant/);
});

test('hclspec: mock_driver task schema as Nomad sees it, and back', () => {
  const h = toHclSpec(mockTaskSchema);
  const attrs = h.object?.attributes ?? {};
  // Defaults are Default(Attr with an explicit name, Literal); durations are strings.
  assert.deepEqual(attrs['run_for'], { default: { primary: { Attr: { name: 'run_for', type: 'string', required: false } }, default: { literal: { value: '"0s"' } } } });
  assert.deepEqual(attrs['exit_code'], { default: { primary: { Attr: { name: 'exit_code', type: 'number', required: false } }, default: { literal: { value: '0' } } } });
  assert.equal(attrs['exec_command']?.block_value?.name, 'exec_command');
  const back = fromHclSpec(h);
  assert.deepEqual(Object.keys(back.fields).sort(), Object.keys(mockTaskSchema.fields).sort());
  assert.deepEqual(back.fields['run_for'], spec.attr('string', { default: '0s' }));
  assert.deepEqual(back.fields['start_error_recoverable'], spec.attr('bool', { default: false }));
  const bl = spec.object({ port: spec.blockList(spec.object({ label: spec.attr('string', { required: true }) }), { min: 1, max: 3 }), tags: spec.attr('list(string)'), any: spec.attr('any') });
  assert.deepEqual(fromHclSpec(toHclSpec(bl)), bl);
  assert.deepEqual(fromHclSpec(toHclSpec(mockPluginSchema)).fields['fs_isolation'], spec.attr('string', { default: 'none' }));
  assert.deepEqual(impliedType(bl), ['object', { port: ['list', ['object', { label: 'string' }]], tags: ['list', 'string'], any: 'dynamic' }]);
});

test('hcldec: defaults, nulls, conversions and unknown keys, as Nomad decodes a config', () => {
  const h = toHclSpec(mockTaskSchema);
  const v = decodeHclBody(h, { run_for: '5s', exit_code: '3', exec_command: [{ stdout_string: 'x' }] });
  assert.equal(v['run_for'], '5s');
  assert.equal(v['exit_code'], 3);
  assert.equal(v['kill_after'], '0s');
  assert.equal((v['exec_command'] as Record<string, unknown>)['stdout_string'], 'x');
  assert.equal(decodeHclBody(h, {})['exec_command'], null);
  assert.throws(
    () => decodeHclBody(h, { run_fro: '1s', exit_code: 'three', exec_command: [{}, {}] }),
    (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.deepEqual(e.problems.map((p) => p.field).sort(), ['config.exec_command', 'config.exit_code', 'config.run_fro']);
      return true;
    },
  );
  // The round trip a served driver sees: hcldec → cty msgpack → decode against its own schema.
  const wire = encodeCtyConcrete(v);
  assert.deepEqual(decodeCty(wire, impliedType(mockTaskSchema)), v);
});

test('time: Go zero time for "not yet", ms round-trip', () => {
  assert.deepEqual(msToTimestamp(0), { seconds: GO_ZERO_TIME_SECONDS, nanos: 0 });
  assert.equal(timestampToMs(msToTimestamp(0)), 0);
  assert.equal(timestampToMs(null), 0);
  for (const ms of [1, 1_700_000_000_123, 999.5]) assert.equal(timestampToMs(msToTimestamp(ms)), ms);
  assert.deepEqual(msToDuration(1500), { seconds: 1, nanos: 500_000_000 });
  assert.equal(durationToMs(msToDuration(250)), 250);
});

function sampleConfig(): TaskConfig {
  const c = testTaskConfig({ run_for: '1s' });
  return {
    ...c,
    resources: { cpuShares: 500, cores: 2, memoryMb: 256, memoryMaxMb: 512 },
    mounts: [{ taskPath: '/data', hostPath: '/srv/data', readonly: true }, { taskPath: '/certs', hostPath: '/srv/certs', readonly: false, propagationMode: 'host-to-task', selinuxLabel: 'z' }],
    devices: [{ taskPath: '/dev/fuse', hostPath: '/dev/fuse', permissions: 'rw' }],
    user: 'nobody',
  };
}

test('task config and handle: round-trip, task dir derived, logRotation absent', () => {
  const c = sampleConfig();
  const bytes = Buffer.from([0x80]);
  const pb = taskConfigToPb(c, bytes);
  assert.equal(pb.resources?.linux_resources?.cpuset_cpus, '0-1');
  assert.equal(pb.resources?.linux_resources?.memory_limit_bytes, 512 * 1024 * 1024);
  assert.deepEqual(taskConfigFromPb(pb, c.driverConfig), c);
  const h = { version: 2, config: c, state: 'running' as const, driverState: new Uint8Array([1, 2, 3]) };
  const hpb = taskHandleToPb(h, bytes);
  assert.equal(hpb.state, 1);
  assert.deepEqual(taskHandleFromPb(hpb, c.driverConfig), h);
});

test('task config: allocated ports and task networks travel as Nomad\'s Resources.Ports and AllocatedTaskResources.Networks', () => {
  const c: TaskConfig = {
    ...sampleConfig(),
    resources: {
      cpuShares: 100,
      cores: 0,
      memoryMb: 300,
      memoryMaxMb: 0,
      ports: [
        { label: 'http', value: 23456, to: 8080, hostIp: '192.0.2.2' },
        { label: 'db', value: 5432, to: 5432, hostIp: '192.0.2.2' },
      ],
      networks: [{ device: '', cidr: '', ip: '192.0.2.2', mbits: 10, reservedPorts: [{ label: 'ssh', value: 2222 }], dynamicPorts: [{ label: 'vnc', value: 21000 }] }],
    },
  };
  // Through real protobuf bytes, as a Nomad client and a served driver exchange them.
  const pb = TaskConfigPb.decode(TaskConfigPb.encode(taskConfigToPb(c, Buffer.from([0x80]))).finish());
  assert.deepEqual(pb.resources?.ports, [
    { label: 'http', value: 23456, to: 8080, host_ip: '192.0.2.2' },
    { label: 'db', value: 5432, to: 5432, host_ip: '192.0.2.2' },
  ]);
  assert.deepEqual(pb.resources?.allocated_resources?.networks[0]?.dynamic_ports, [{ label: 'vnc', value: 21000 }]);
  assert.deepEqual(taskConfigFromPb(pb, c.driverConfig), c);
  // Nomad writes To = 0 for a port without `to`: drover reads it as the host port.
  const fromNomad = taskConfigFromPb({ ...pb, resources: { ...pb.resources, ports: [{ label: 'http', value: 20001, to: 0, host_ip: '10.0.0.1' }] } }, {});
  assert.deepEqual(fromNomad.resources.ports, [{ label: 'http', value: 20001, to: 20001, hostIp: '10.0.0.1' }]);
});

test('task status: running has zero completed_at and an all-zero result; exited keeps its result', () => {
  const running: TaskStatus = { id: 'a/t/1', name: 't', state: 'running', startedAt: 1_700_000_000_000, completedAt: 0, driverAttributes: { pid: '42' } };
  const pb = taskStatusToPb(running);
  assert.deepEqual(pb.task?.completed_at, { seconds: GO_ZERO_TIME_SECONDS, nanos: 0 });
  assert.deepEqual(pb.task?.result, { exit_code: 0, signal: 0, oom_killed: false });
  assert.deepEqual(taskStatusFromPb(pb), running);
  const exited: TaskStatus = { ...running, state: 'exited', completedAt: 1_700_000_005_000, exitResult: { exitCode: 3, signal: 0, oomKilled: true }, network: { portMap: { http: 80 }, ip: '10.0.0.2', autoAdvertise: true } };
  assert.deepEqual(taskStatusFromPb(taskStatusToPb(exited)), exited);
});

test('stats, fingerprint, capabilities, plugin info, events, exit result: round-trip', () => {
  const usage: TaskResourceUsage = {
    memory: { rss: 1024, cache: 2, swap: 3, usage: 4, maxUsage: 5, kernelUsage: 6, kernelMaxUsage: 7, measured: ['RSS', 'Swap', 'Kernel Max Usage'] },
    cpu: { systemMode: 1.5, userMode: 2.5, totalTicks: 10, throttledPeriods: 1, throttledTime: 2, percent: 3.5, measured: ['Percent', 'User Mode'] },
    timestamp: 1_700_000_000_250,
    pids: { '42': { memory: { rss: 1, cache: 0, swap: 0, usage: 0, maxUsage: 0, kernelUsage: 0, kernelMaxUsage: 0, measured: ['RSS'] }, cpu: { systemMode: 0, userMode: 0, totalTicks: 0, throttledPeriods: 0, throttledTime: 0, percent: 1, measured: ['Percent'] } } },
  };
  const spb = taskStatsToPb('a/t/1', usage);
  assert.deepEqual(spb.agg_resource_usage?.memory?.measured_fields, [0, 6, 4]);
  assert.ok(spb.timestamp && spb.timestamp.seconds > 0);
  assert.deepEqual(taskStatsFromPb(spb), usage);

  const fp = { attributes: { 'driver.x': true, 'driver.x.version': '1.2', 'driver.x.n': 3, 'driver.x.f': 0.5 }, health: 'healthy' as const, healthDescription: 'Healthy' };
  const fpb = fingerprintToPb(fp);
  assert.deepEqual(fpb.attributes['driver.x.n'], { int_val: 3, unit: '' });
  assert.deepEqual(fpb.attributes['driver.x.f'], { float_val: 0.5, unit: '' });
  assert.equal(fpb.health, 2);
  assert.deepEqual(fingerprintFromPb(fpb), fp);
  assert.equal(fingerprintFromPb({ ...fpb, attributes: { m: { int_val: 3000, unit: 'MHz' } } }).attributes['m'], '3000MHz');
  assert.deepEqual(fingerprintFromPb({ ...fpb, err: 'broken' }).health, 'unhealthy');

  const caps = { sendSignals: true, exec: true, fsIsolation: 'chroot' as const, netIsolationModes: ['host', 'group'] as const, mustInitiateNetwork: false, mountConfigs: 'none' as const };
  assert.deepEqual(capabilitiesFromPb(capabilitiesToPb({ ...caps, netIsolationModes: [...caps.netIsolationModes] })), { ...caps, netIsolationModes: ['host', 'group'] });

  const info = { type: 'driver' as const, pluginApiVersions: ['0.1.0'], pluginVersion: '0.1.0', name: 'mock_driver' };
  const ipb = pluginInfoToPb(info);
  assert.deepEqual(ipb, { type: 2, plugin_api_versions: ['v0.1.0'], plugin_version: '0.1.0', name: 'mock_driver' });
  assert.deepEqual(pluginInfoFromPb(ipb), { ...info, pluginApiVersions: ['v0.1.0'] });
  assert.throws(() => pluginInfoFromPb({ ...ipb, type: 3 }), /not a driver plugin/);
  assert.equal(selectApiVersion(['0.1.0']), 'v0.1.0');
  assert.equal(selectApiVersion(['v0.2.0']), undefined);

  const ev = { taskId: 'a/t/1', allocId: 'a', taskName: 't', timestamp: 1_700_000_000_000, message: 'Downloading image', annotations: { image: 'x' } };
  assert.deepEqual(taskEventFromPb(taskEventToPb(ev)), ev);

  assert.deepEqual(exitResultFromPb(exitResultToPb({ exitCode: 1, signal: 9, oomKilled: false }), 'boom'), { exitCode: 1, signal: 9, oomKilled: false, err: 'boom' });
  assert.deepEqual(exitResultToPb(undefined), { exit_code: 0, signal: 0, oom_killed: false });
});

test('decodeCty on bad bytes (issue 16 fuzzing): a plain Error naming the problem, not the library\'s RangeError or a SyntaxError', () => {
  const plain = (re: RegExp) => (err: unknown) => err instanceof Error && err.constructor === Error && re.test(err.message);
  assert.throws(() => decodeCty(Buffer.from([0x00, 0x80]), 'string'), plain(/^invalid msgpack: Extra 1 of 2 byte/));
  assert.throws(() => decodeCty(Buffer.from([0x92, 0x01]), ['list', 'number']), plain(/^invalid msgpack: /));
  const badType = Buffer.concat([Buffer.from([0x92, 0xc4, 0x03]), Buffer.from('{}]'), Buffer.from([0xc0])]);
  assert.throws(() => decodeCty(badType, 'dynamic'), plain(/^\.: the type of a dynamic value is not JSON: "\{\}\]"/));
});

test('decodeCty on a header declaring more elements than there are bytes (issue 16 fuzzing, long form): refused at once', () => {
  const t0 = performance.now();
  assert.throws(() => decodeCty(Buffer.from([0xdd, 0x00, 0xa1, 0x00, 0x57]), ['tuple', ['bool']]), /^Error: invalid msgpack: /);
  assert.throws(() => decodeCty(Buffer.from([0xdf, 0x00, 0xa1, 0x00, 0x57]), 'dynamic'), /^Error: invalid msgpack: /);
  // The fuzzing hang guard (it took 2-3 s of the library looping over 10 million declared elements).
  assert.ok(performance.now() - t0 < scaled(2000));
});
