import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { execTaskConfig } from '../exec/testing.js';
import type { TaskConfig } from '../types.js';
import { vmLaunchSpec } from './vm-driver.js';

test('vmLaunchSpec: QEMU joins the allocation namespace when the driver asks (qemu), stays on the host otherwise (virt) and in host mode', () => {
  const base = execTaskConfig({});
  try {
    const cfg: TaskConfig = { ...base, networkIsolation: { mode: 'group', path: '/var/run/netns/alloc-1', labels: {} } };
    const launch = { config: cfg, binary: '/usr/bin/qemu-system-x86_64', args: [], tcg: true };
    assert.equal(vmLaunchSpec({ ...launch, joinNetns: true }).netnsPath, '/var/run/netns/alloc-1');
    assert.equal(vmLaunchSpec(launch).netnsPath, undefined);
    assert.equal(vmLaunchSpec({ ...launch, config: base, joinNetns: true }).netnsPath, undefined);
  } finally {
    rmSync(base.allocDir, { recursive: true, force: true });
  }
});
