import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutFrom } from './detect.js';
import { memoryLimits, parseKeyValues } from './types.js';
import { sharesToWeight } from './v2.js';
const HYBRID_MOUNTS = [
    '30 25 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755',
    '31 30 0:27 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
    '33 30 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
    '34 30 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
    '35 30 0:31 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
].join('\n');
test('layoutFrom: hybrid host → v1, task parents under this process\'s own cgroups', () => {
    const own = '12:pids:/\n4:memory:/system.slice/drover.service\n3:cpu,cpuacct:/\n0::/system.slice/drover.service';
    const l = layoutFrom(HYBRID_MOUNTS, own);
    assert.equal(l.mode, 'v1');
    assert.deepEqual(l.v1Parents, {
        memory: '/sys/fs/cgroup/memory/system.slice/drover.service',
        cpu: '/sys/fs/cgroup/cpu,cpuacct',
        cpuacct: '/sys/fs/cgroup/cpu,cpuacct',
        pids: '/sys/fs/cgroup/pids',
    });
    assert.equal(l.v1Mounts['cpuacct'], '/sys/fs/cgroup/cpu,cpuacct');
});
test('layoutFrom: a container mounting a subtree strips the mount root', () => {
    const mounts = '40 30 0:29 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory';
    assert.equal(layoutFrom(mounts, '4:memory:/docker/abc/inner').v1Parents['memory'], '/sys/fs/cgroup/memory/inner');
});
test('layoutFrom: pure v2 and no cgroups at all', () => {
    const v2 = layoutFrom('30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate', '0::/user.slice');
    assert.equal(v2.mode, 'v2');
    assert.equal(v2.v2Root, '/sys/fs/cgroup');
    assert.equal(layoutFrom('22 1 8:1 / / rw - ext4 /dev/sda1 rw', '').mode, 'none');
});
test('memoryLimits: Nomad\'s hard/soft rules', () => {
    const MiB = 1024 * 1024;
    assert.deepEqual(memoryLimits({ cpuShares: 0, memoryMb: 300, memoryMaxMb: 0, pidsLimit: 0 }), { hard: 300 * MiB, soft: 0 });
    assert.deepEqual(memoryLimits({ cpuShares: 0, memoryMb: 100, memoryMaxMb: 500, pidsLimit: 0 }), { hard: 500 * MiB, soft: 100 * MiB });
    assert.deepEqual(memoryLimits({ cpuShares: 0, memoryMb: 0, memoryMaxMb: 0, pidsLimit: 0 }), { hard: 0, soft: 0 });
});
test('sharesToWeight and parseKeyValues', () => {
    assert.equal(sharesToWeight(2), 1);
    assert.equal(sharesToWeight(1024), 39);
    assert.equal(sharesToWeight(262144), 10000);
    assert.deepEqual([...parseKeyValues('rss 10\ncache 20\n')], [['rss', 10], ['cache', 20]]);
});
//# sourceMappingURL=detect.test.js.map