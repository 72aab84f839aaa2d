import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTaskEnv, filterHostEnv, interpolate, envLookup, networkEnv } from './task-env.js';
import { makeJob, makeTask } from './testing.js';

const node = { datacenter: 'dc1', attributes: { 'attr.kernel.name': 'linux', 'meta.rack': 'r1' } };

function env(over: Partial<Parameters<typeof buildTaskEnv>[0]> = {}) {
  const task = makeTask('web', {}, { env: { GREETING: 'hi ${NOMAD_TASK_NAME} on ${attr.kernel.name}', PATH: '/opt/bin' }, meta: { Owner: 'ops' } });
  const job = makeJob([task]);
  return buildTaskEnv({
    job,
    group: job.groups[0]!,
    task,
    allocId: '0123456789abcdef-0000',
    allocIndex: 2,
    dirs: { alloc: '/alloc', local: '/local', secrets: '/secrets' },
    node,
    ...over,
  });
}

test('buildTaskEnv: Nomad variables, meta in both spellings, interpolated task env', () => {
  const e = env();
  assert.equal(e.NOMAD_TASK_DIR, '/local');
  assert.equal(e.NOMAD_ALLOC_NAME, 'test.g[2]');
  assert.equal(e.NOMAD_ALLOC_INDEX, '2');
  assert.equal(e.NOMAD_SHORT_ALLOC_ID, '01234567');
  assert.equal(e.NOMAD_CPU_LIMIT, '100');
  assert.equal(e.NOMAD_MEMORY_LIMIT, '300');
  assert.equal(e.NOMAD_META_OWNER, 'ops');
  assert.equal(e.NOMAD_META_Owner, 'ops');
  assert.equal(e.GREETING, 'hi web on linux');
});

test('buildTaskEnv: host env fills gaps only; the task env and Nomad variables win', () => {
  const e = env({ hostEnv: { PATH: '/usr/bin', HOME: '/root', NOMAD_TASK_DIR: '/evil' } });
  assert.equal(e.HOME, '/root');
  assert.equal(e.PATH, '/opt/bin');
  assert.equal(e.NOMAD_TASK_DIR, '/local');
});

test('filterHostEnv: drops Nomad\'s default deny list (tokens, cloud credentials)', () => {
  const f = filterHostEnv({ PATH: '/bin', VAULT_TOKEN: 's', AWS_SECRET_ACCESS_KEY: 'k', NOMAD_TOKEN: 't', LANG: 'C', EMPTY: undefined });
  assert.deepEqual(f, { PATH: '/bin', LANG: 'C' });
});

test('interpolate: unknown references stay as written; env["X"] and node facts resolve', () => {
  const look = envLookup({ A: '1' }, node);
  assert.equal(interpolate('${A}-${env["A"]}-${meta.rack}-${NOPE}', look), '1-1-r1-${NOPE}');
});

test('buildTaskEnv: host-mode ports give every Nomad port variable; NOMAD_PORT is `to` when set; env values interpolate them', () => {
  const IP = '192.0.2.2';
  const task = makeTask('web', {}, { env: { LISTEN: ':${NOMAD_PORT_http}', PUBLIC: 'http://${NOMAD_ADDR_http}/' } });
  const job = makeJob([task]);
  const e = env({
    task,
    job,
    group: job.groups[0]!,
    network: {
      mode: 'host',
      hostIp: IP,
      ports: [
        { label: 'http', value: 23456, to: 23456, hostIp: IP },
        { label: 'db', value: 5432, to: 6543, hostIp: IP },
      ],
    },
  });
  const portVars = Object.fromEntries(Object.entries(e).filter(([k]) => /^NOMAD_(HOST_|ALLOC_)?(PORT|IP|ADDR|INTERFACE)_|^NOMAD_HOST_ADDR_/.test(k)));
  assert.deepEqual(portVars, {
    NOMAD_ADDR_http: '192.0.2.2:23456',
    NOMAD_HOST_ADDR_http: '192.0.2.2:23456',
    NOMAD_IP_http: IP,
    NOMAD_HOST_IP_http: IP,
    NOMAD_PORT_http: '23456',
    NOMAD_ALLOC_PORT_http: '23456',
    NOMAD_HOST_PORT_http: '23456',
    NOMAD_ADDR_db: '192.0.2.2:5432',
    NOMAD_HOST_ADDR_db: '192.0.2.2:5432',
    NOMAD_IP_db: IP,
    NOMAD_HOST_IP_db: IP,
    NOMAD_PORT_db: '6543',
    NOMAD_ALLOC_PORT_db: '6543',
    NOMAD_HOST_PORT_db: '5432',
  });
  assert.equal(e.LISTEN, ':23456');
  assert.equal(e.PUBLIC, 'http://192.0.2.2:23456/');
});

test('networkEnv: bridge mode adds the allocation address; task-level ports name their task for siblings; IPv6 in brackets', () => {
  const n = {
    mode: 'bridge' as const,
    hostIp: '2001:db8::1',
    allocIp: '172.26.64.5',
    ports: [{ label: 'http', value: 25000, to: 8080, hostIp: '2001:db8::1' }],
    taskPorts: {
      web: [{ label: 'admin', value: 26000, to: 26000, hostIp: '2001:db8::1' }],
      side: [{ label: 'metrics', value: 27000, to: 27000, hostIp: '2001:db8::1' }],
    },
  };
  const e = networkEnv(n, 'web');
  assert.equal(e.NOMAD_ADDR_http, '[2001:db8::1]:25000');
  assert.equal(e.NOMAD_PORT_http, '8080');
  assert.equal(e.NOMAD_HOST_PORT_http, '25000');
  assert.equal(e.NOMAD_ALLOC_IP_http, '172.26.64.5');
  assert.equal(e.NOMAD_ALLOC_ADDR_http, '172.26.64.5:8080');
  assert.equal(e.NOMAD_ALLOC_INTERFACE_http, 'eth0');
  // The task's own task-level port (Nomad's buildNetworkEnv), with its address family.
  assert.equal(e.NOMAD_PORT_admin, '26000');
  assert.equal(e.NOMAD_IPv6_admin, '2001:db8::1');
  assert.equal(e.NOMAD_ADDR_admin, '[2001:db8::1]:26000');
  // A sibling's task-level port (Nomad's addPort), and none of its bare names.
  assert.equal(e.NOMAD_ADDR_side_metrics, '[2001:db8::1]:27000');
  assert.equal(e.NOMAD_PORT_side_metrics, '27000');
  assert.equal(e.NOMAD_PORT_metrics, undefined);
  // Host mode has no allocation address.
  assert.equal(networkEnv({ ...n, mode: 'host', allocIp: '' }, 'web').NOMAD_ALLOC_IP_http, undefined);
});
