import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostMountPropagation } from './host-propagation.js';

const MOUNTINFO = [
  '26 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '44 26 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw',
  '50 26 0:40 / /srv rw shared:7 master:3 - tmpfs tmpfs rw',
  '51 50 0:41 / /srv/data rw master:9 - tmpfs tmpfs rw',
  '52 26 254:0 /x /mnt/a\\040b rw shared:4 - ext4 /dev/vda rw',
  '53 51 0:42 / /srv/data rw - tmpfs tmpfs rw',
  '',
].join('\n');

test('hostMountPropagation: the deepest mount holding the path, the last one mounted at that point', () => {
  assert.deepEqual(hostMountPropagation('/home/x', MOUNTINFO), { mountPoint: '/', propagation: 'private' });
  assert.deepEqual(hostMountPropagation('/run/netns', MOUNTINFO), { mountPoint: '/run/netns', propagation: 'shared' });
  assert.deepEqual(hostMountPropagation('/srv/www', MOUNTINFO), { mountPoint: '/srv', propagation: 'shared' }, 'shared and slave counts as shared');
  assert.deepEqual(hostMountPropagation('/srv/data/v', MOUNTINFO), { mountPoint: '/srv/data', propagation: 'private' }, 'the later mount over /srv/data hides the slave one');
  assert.deepEqual(hostMountPropagation('/srv/database', MOUNTINFO), { mountPoint: '/srv', propagation: 'shared' }, 'a name prefix is not a parent');
  assert.deepEqual(hostMountPropagation('/mnt/a b/c', MOUNTINFO), { mountPoint: '/mnt/a b', propagation: 'shared' });
});

test('hostMountPropagation: slave only', () => {
  const text = '1 0 0:1 / / rw - ext4 x rw\n2 1 0:2 / /vol rw master:3 - tmpfs t rw\n';
  assert.deepEqual(hostMountPropagation('/vol', text), { mountPoint: '/vol', propagation: 'slave' });
  assert.equal(hostMountPropagation('/vol', ''), undefined);
});
