import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AllocatedNetwork } from '../../model/network.js';
import { resolveAddress, type AddressInputs } from './address.js';

const network: AllocatedNetwork = {
  mode: 'bridge',
  hostIp: '10.0.0.5',
  allocIp: '172.26.64.9',
  ports: [{ label: 'http', value: 25_001, to: 8080, hostIp: '10.0.0.5' }],
};
const driverNetwork = { ip: '172.17.0.2', portMap: { admin: 9000 }, autoAdvertise: true };
const resolve = (over: Partial<AddressInputs>) => resolveAddress({ custom: '', mode: 'host', portLabel: 'http', network, ...over });

test('resolveAddress: each address_mode, as Nomad\'s GetAddress', () => {
  assert.deepEqual(resolve({}), { address: '10.0.0.5', port: 25_001 });
  assert.deepEqual(resolve({ portLabel: '7000' }), { address: '10.0.0.5', port: 7000 });
  assert.deepEqual(resolve({ portLabel: '' }), { address: '10.0.0.5', port: 0 });
  assert.deepEqual(resolve({ mode: 'alloc' }), { address: '172.26.64.9', port: 8080 });
  assert.deepEqual(resolve({ mode: 'driver', driverNetwork }), { address: '172.17.0.2', port: 8080 });
  assert.deepEqual(resolve({ mode: 'driver', driverNetwork, portLabel: 'admin' }), { address: '172.17.0.2', port: 9000 });
  // auto: a custom address wins, with the host port; else the driver's network when it advertises; else the host.
  assert.deepEqual(resolve({ mode: 'auto', custom: 'example.com' }), { address: 'example.com', port: 25_001 });
  assert.deepEqual(resolve({ mode: 'auto', driverNetwork }), { address: '172.17.0.2', port: 8080 });
  assert.deepEqual(resolve({ mode: 'auto' }), { address: '10.0.0.5', port: 25_001 });
});

test('resolveAddress: Nomad\'s errors', () => {
  assert.throws(() => resolve({ portLabel: 'nope' }), { message: 'invalid port "nope": port label not found' });
  assert.throws(() => resolve({ portLabel: '0' }), { message: 'invalid port: "0": port must be >0' });
  assert.throws(() => resolve({ custom: 'x' }), { message: 'cannot use custom advertise address with "host" address mode' });
  assert.throws(() => resolve({ mode: 'driver' }), { message: 'cannot use address_mode="driver": no driver network exists' });
  assert.throws(() => resolve({ mode: 'alloc', network: { ...network, allocIp: '' } }), { message: 'cannot use address_mode="alloc": no allocation network status reported' });
});
