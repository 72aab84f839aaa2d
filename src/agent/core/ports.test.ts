import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskGroup } from '../../model/job.js';
import type { AllocatedNetwork, NetworkSpec, PortSpec } from '../../model/network.js';
import { ValidationError } from '../../model/errors.js';
import { makeJob, makeTask } from '../../taskrunner/testing.js';
import type { AllocRecord } from '../state/state-db.js';
import { PortConflictError, PortIndex, validatePortConfig, type PortConfig } from './ports.js';

const IP = '192.0.2.2';
const config: PortConfig = { minDynamicPort: 20_000, maxDynamicPort: 20_009, reservedPorts: [20_003, 22] };

const port = (label: string, value = 0, to = 0): PortSpec => ({ label, value, to, hostNetwork: 'default' });
function network(ports: PortSpec[], mode: NetworkSpec['mode'] = 'host'): NetworkSpec {
  return { mode, hostname: '', reservedPorts: ports.filter((p) => p.value > 0), dynamicPorts: ports.filter((p) => p.value === 0), mbits: 0 };
}
function group(ports: PortSpec[], over: Partial<TaskGroup> = {}): TaskGroup {
  return makeJob([makeTask('t', {})], { group: { networks: [network(ports)], ...over } }).groups[0] as TaskGroup;
}
function alloc(id: string, n: AllocatedNetwork | undefined, over: Partial<AllocRecord> = {}): AllocRecord {
  return {
    id,
    jobId: 'other',
    jobVersion: 0,
    group: 'g',
    index: 0,
    name: `other.g[0]`,
    desiredStatus: 'run',
    desiredDescription: '',
    clientStatus: 'running',
    clientDescription: '',
    terminal: false,
    createTime: 0,
    modifyTime: 0,
    createIndex: 1,
    modifyIndex: 1,
    ...(n ? { network: n } : {}),
    ...over,
  };
}
/** A random() that returns `values` in turn (then repeats the last). */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)] as number;
}
/** random() values that make the stochastic pick land on `port` of [min, max). */
const at = (p: number): number => (p - config.minDynamicPort + 0.5) / (config.maxDynamicPort - config.minDynamicPort);

test('ports: static ports as written, dynamic ones drawn with the injected random, to = host port unless set', () => {
  const idx = new PortIndex(config, IP, sequence(at(20_005), at(20_001)), []);
  const n = idx.assign(group([port('web', 8080, 80), port('http'), port('admin', 0, 9000)]), 'a1', 'j.g[0]');
  assert.deepEqual(n, {
    mode: 'host',
    hostIp: IP,
    ports: [
      { label: 'web', value: 8080, to: 80, hostIp: IP },
      { label: 'http', value: 20_005, to: 20_005, hostIp: IP },
      { label: 'admin', value: 20_001, to: 9000, hostIp: IP },
    ],
  });
  assert.deepEqual(idx.holder(20_005), { kind: 'alloc', allocId: 'a1', allocName: 'j.g[0]', label: 'http' });
});

test('ports: dynamic picks skip ports of live allocations, reserved ports and earlier picks of the same plan', () => {
  const live = [alloc('held', { mode: 'host', hostIp: IP, ports: [{ label: 'x', value: 20_000, to: 20_000, hostIp: IP }] })];
  // The random draws hit 20000 (held), 20003 (reserved), then 20004.
  const idx = new PortIndex(config, IP, sequence(at(20_000), at(20_003), at(20_004), at(20_004), at(20_006)), live);
  const first = idx.assign(group([port('http')]), 'a1', 'j.g[0]');
  assert.equal(first?.ports[0]?.value, 20_004);
  // The next placement of the same registration may not take 20004 again.
  const second = idx.assign(group([port('http')]), 'a2', 'j.g[1]');
  assert.equal(second?.ports[0]?.value, 20_006);
});

test('ports: terminal, stopping and port-less allocations hold nothing', () => {
  const n: AllocatedNetwork = { mode: 'host', hostIp: IP, ports: [{ label: 'web', value: 8080, to: 8080, hostIp: IP }] };
  const live = [alloc('done', n, { terminal: true }), alloc('stopping', n, { id: 'stopping', desiredStatus: 'stop' }), alloc('none', undefined)];
  const idx = new PortIndex(config, IP, Math.random, live);
  assert.equal(idx.assign(group([port('web', 8080)]), 'a1', 'j.g[0]')?.ports[0]?.value, 8080);
});

test('ports: a static port held by another allocation is refused naming label, port and holder', () => {
  const live = [alloc('0123456789abcdef', { mode: 'host', hostIp: IP, ports: [{ label: 'api', value: 8080, to: 8080, hostIp: IP }] }, { name: 'other.g[0]' })];
  const idx = new PortIndex(config, IP, Math.random, live);
  assert.throws(
    () => idx.assign(group([port('web', 8080)]), 'a1', 'j.g[0]'),
    (e: unknown) =>
      e instanceof PortConflictError &&
      e.code === 'conflict' &&
      e.label === 'web' &&
      e.port === 8080 &&
      e.message === 'task group "g": reserved port collision web=8080: port 8080 is held by allocation 01234567 (other.g[0], port "api")',
  );
  // ignore_collision shares the port (Nomad skips the check); the first holder stays the one named.
  assert.equal(idx.assign(group([{ ...port('web', 8080), ignoreCollision: true }]), 'a2', 'j.g[1]')?.ports[0]?.value, 8080);
  // Nothing was held by the refused assignment.
  assert.equal(idx.holder(8080)?.kind, 'alloc');
  assert.equal((idx.holder(8080) as { allocId: string }).allocId, '0123456789abcdef');
});

test('ports: reserved_ports, out-of-range ports, twice the same port and unknown host networks are refused', () => {
  const idx = new PortIndex(config, IP, Math.random, []);
  assert.throws(() => idx.assign(group([port('ssh', 22)]), 'a', 'j.g[0]'), /reserved port collision ssh=22: port 22 is reserved by the client \(client\.reserved\.reserved_ports\)/);
  assert.throws(() => idx.assign(group([port('big', 70_000)]), 'a', 'j.g[0]'), /invalid port 70000 \(out of range\) for port "big"/);
  assert.throws(() => idx.assign(group([port('a', 9000), port('b', 9000)]), 'a', 'j.g[0]'), /reserved port collision b=9000: port 9000 is asked for twice/);
  assert.throws(() => idx.assign(group([{ ...port('x'), hostNetwork: 'public' }]), 'a', 'j.g[0]'), /no addresses available for public network/);
  assert.equal(idx.holder(9000), undefined);
});

test('ports: the random probes give up, the exhaustive search finds the last free port; a full range is refused', () => {
  const small: PortConfig = { minDynamicPort: 30_000, maxDynamicPort: 30_002, reservedPorts: [30_000] };
  const live = [alloc('held', { mode: 'host', hostIp: IP, ports: [{ label: 'x', value: 30_001, to: 30_001, hostIp: IP }] })];
  // random() = 0 always probes 30000 (reserved); only 30002 (max, never probed at random) is left.
  const idx = new PortIndex(small, IP, () => 0, live);
  assert.equal(idx.assign(group([port('http')]), 'a1', 'j.g[0]')?.ports[0]?.value, 30_002);
  assert.throws(
    () => idx.assign(group([port('http')]), 'a2', 'j.g[1]'),
    (e: unknown) =>
      e instanceof PortConflictError &&
      e.message === 'task group "g": dynamic port selection failed for port "http": every port of the dynamic range 30000-30002 is held by an allocation or reserved',
  );
});

test('ports: task-level networks get their own ports; groups without any network get none', () => {
  const idx = new PortIndex(config, IP, sequence(at(20_002)), []);
  const web = makeTask('web', {}, { networks: [network([port('http'), port('ssh', 2222)])] });
  const g = makeJob([web, makeTask('side', {})]).groups[0] as TaskGroup;
  const n = idx.assign(g, 'a1', 'j.g[0]');
  assert.deepEqual(n, {
    mode: 'host',
    hostIp: IP,
    ports: [],
    taskPorts: { web: [{ label: 'ssh', value: 2222, to: 2222, hostIp: IP }, { label: 'http', value: 20_002, to: 20_002, hostIp: IP }] },
  });
  assert.deepEqual(idx.holder(2222), { kind: 'alloc', allocId: 'a1', allocName: 'j.g[0]', label: 'web.ssh' });
  assert.equal(idx.assign(makeJob([makeTask('t', {})]).groups[0] as TaskGroup, 'a2', 'j.g[1]'), undefined);
  // A bridge network without ports still tells the runners its mode.
  assert.deepEqual(idx.assign(group([], { networks: [network([], 'bridge')] }), 'a3', 'j.g[2]'), { mode: 'bridge', hostIp: IP, ports: [] });
});

test('ports: the dynamic range is checked as Nomad\'s agent does', () => {
  validatePortConfig(config);
  assert.throws(() => validatePortConfig({ ...config, minDynamicPort: 30_000, maxDynamicPort: 20_000 }), (e: unknown) => e instanceof ValidationError && e.field === 'client.min_dynamic_port' && /min_dynamic_port=30000 and max_dynamic_port=20000/.test(e.message));
  assert.throws(() => validatePortConfig({ ...config, maxDynamicPort: 70_000 }), /client\.max_dynamic_port: Invalid dynamic port range: max_dynamic_port=70000/);
});
