/**
 * Host volumes end to end on a real agent: client host_volume blocks, a job
 * mounting them into an exec task (root: a real chroot with bind mounts),
 * propagation_mode, the submit-time refusal of an unknown volume, and
 * raw_exec's refusal of mounts (Nomad's raw_exec takes none).
 */
import { test, before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { purgeAndStop, runHcl, startAgent, type AgentProcess } from './testing.js';
import { eventually } from '../model/testing/eventually.js';

const EXEC = fileURLToPath(new URL('../drivers/exec/driver.js', import.meta.url));
const canIsolate = process.getuid?.() === 0 ? false : 'exec needs root';

const base = mkdtempSync(join(tmpdir(), 'drover-hostvol-'));
const roDir = join(base, 'ro');
const rwDir = join(base, 'rw');
/** A host volume on a shared mount of its own, so host mounts under it can propagate (/ may be private here). */
const liveDir = join(base, 'live');
let liveMounted = false;
let agent: AgentProcess;
before(async () => {
  for (const d of [roDir, rwDir, liveDir]) {
    mkdirSync(d);
    // Writable by anyone, so only the mount's read-only flag can stop a write (whatever user the task runs as).
    chmodSync(d, 0o777);
  }
  mkdirSync(join(liveDir, 'sub'));
  writeFileSync(join(liveDir, 'sub', 'file'), 'on disk\n', { mode: 0o666 });
  if (process.getuid?.() === 0) {
    execFileSync('mount', ['--bind', liveDir, liveDir]);
    liveMounted = true;
    execFileSync('mount', ['--make-shared', liveDir]);
  }
  writeFileSync(join(roDir, 'ca.pem'), 'the ca\n', { mode: 0o666 });
  agent = await startAgent({
    configHcl: `plugin "raw_exec" {
  config {
    enabled = true
  }
}
client {
  host_volume "certs" {
    path      = "${roDir}"
    read_only = true
  }
  host_volume "scratch" {
    path = "${rwDir}"
  }
  host_volume "live" {
    path = "${liveDir}"
  }
}
`,
  });
});
after(async () => {
  await purgeAndStop([agent]);
  if (liveMounted) execFileSync('umount', ['-R', '-l', liveDir]);
  rmSync(base, { recursive: true, force: true });
});

/** A batch job whose one task mounts `mounts` (volume → destination, read_only) from the group's volumes. */
function job(id: string, driver: string, script: string, volumes: string, mounts: string): string {
  return `job "${id}" {
  type = "batch"
  group "g" {
${volumes}
    restart {
      attempts = 0
      mode     = "fail"
    }
    task "t" {
      driver = "${driver}"
      config {
        command = "/bin/sh"
        args    = ["-c", ${JSON.stringify(script)}]
      }
${mounts}
    }
  }
}
`;
}

const VOLUMES = `    volume "certs" {
      type   = "host"
      source = "certs"
    }
    volume "scratch" {
      type   = "host"
      source = "scratch"
    }`;

/** The task's stderr, for failure messages. */
async function taskStderr(id: string): Promise<string> {
  const [a] = await agent.client.jobs.allocations(id);
  return a ? readFileSync(join(agent.dataDir, 'alloc', a.ID, 'alloc', 'logs', 't.stderr.0'), 'utf8') : '';
}

async function finalState(id: string): Promise<{ state: string; failed: boolean; events: string[] }> {
  return eventually(async () => {
    const [a] = await agent.client.jobs.allocations(id);
    const s = a?.TaskStates['t'];
    return s?.State === 'dead' ? { state: s.State, failed: s.Failed, events: (s.Events ?? []).map((e) => `${e.Type}: ${e.DisplayMessage}`) } : undefined;
  }, { timeoutMs: 30_000, message: `${id} finished` });
}

test('exec: a read-only host volume is readable and not writable; a writable one takes writes; mount read_only wins over a writable volume', { skip: existsSync(EXEC) ? canIsolate : 'exec driver not built' }, async () => {
  const script = [
    'cat /certs/ca.pem > /scratch/seen',
    '{ echo x > /certs/new; } 2> /scratch/ro-err || echo refused > /scratch/ro-status',
    '{ echo x > /scratch-ro/new; } 2> /scratch/rwro-err || echo refused > /scratch/rwro-status',
    'echo written > /scratch/ok',
  ].join('; ');
  const mounts = `      volume_mount {
        volume      = "certs"
        destination = "/certs"
      }
      volume_mount {
        volume      = "scratch"
        destination = "/scratch"
      }
      volume_mount {
        volume      = "scratch"
        destination = "/scratch-ro"
        read_only   = true
      }`;
  await runHcl(agent.client, job('vols', 'exec', script, VOLUMES, mounts));
  const end = await finalState('vols');
  assert.equal(end.failed, false, `${end.events.join('\n')}\n${await taskStderr('vols')}`);
  assert.equal(readFileSync(join(rwDir, 'seen'), 'utf8'), 'the ca\n');
  assert.equal(readFileSync(join(rwDir, 'ok'), 'utf8'), 'written\n');
  // Not a permission problem: the directories are 0777, only the read-only mount refuses (EROFS).
  assert.equal(readFileSync(join(rwDir, 'ro-status'), 'utf8'), 'refused\n');
  assert.match(readFileSync(join(rwDir, 'ro-err'), 'utf8'), /Read-only file system/);
  assert.equal(readFileSync(join(rwDir, 'rwro-status'), 'utf8'), 'refused\n');
  assert.match(readFileSync(join(rwDir, 'rwro-err'), 'utf8'), /Read-only file system/);
  assert.equal(existsSync(join(roDir, 'new')), false);
  assert.equal(existsSync(join(rwDir, 'new')), false);
});

test('exec: propagation_mode host-to-task shows the task a mount the host makes after it started; private does not; selinux_label is accepted', { skip: existsSync(EXEC) ? canIsolate : 'exec driver not built' }, async () => {
  // The task waits (bounded) for the host's mount, then reports what each mount shows.
  const script = [
    'echo up > /live/ready',
    'i=0; while [ "$(cat /live/sub/file 2>/dev/null)" != "mounted later" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done',
    'cat /live/sub/file > /live/seen-live',
    'cat /frozen/sub/file > /live/seen-frozen',
  ].join('; ');
  const volumes = '    volume "live" {\n      type   = "host"\n      source = "live"\n    }';
  const mounts = `      volume_mount {
        volume           = "live"
        destination      = "/live"
        propagation_mode = "host-to-task"
        selinux_label    = "z"
      }
      volume_mount {
        volume           = "live"
        destination      = "/frozen"
        propagation_mode = "private"
      }`;
  await runHcl(agent.client, job('propagation', 'exec', script, volumes, mounts));
  await eventually(() => existsSync(join(liveDir, 'ready')), { timeoutMs: 30_000, message: 'the task to start' });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0777', 'drover-test', join(liveDir, 'sub')]);
  try {
    writeFileSync(join(liveDir, 'sub', 'file'), 'mounted later\n');
    const end = await finalState('propagation');
    assert.equal(end.failed, false, `${end.events.join('\n')}\n${await taskStderr('propagation')}`);
  } finally {
    execFileSync('umount', [join(liveDir, 'sub')]);
  }
  assert.equal(readFileSync(join(liveDir, 'seen-live'), 'utf8'), 'mounted later\n');
  assert.equal(readFileSync(join(liveDir, 'seen-frozen'), 'utf8'), 'on disk\n');
});

test('submit: a group volume naming no host volume of this node is left unplaced: "missing compatible host volumes"', async () => {
  const hcl = job('unknown-vol', 'raw_exec', 'true', '    volume "data" {\n      type   = "host"\n      source = "dta"\n    }', '');
  await agent.client.jobs.register(await agent.client.jobs.parse(hcl));
  const [e] = (await agent.client.evaluations.ofJob('unknown-vol')).filter((x) => x.TriggeredBy === 'job-register');
  assert.deepEqual(e?.FailedTGAllocs?.['g']?.ConstraintFiltered, { 'missing compatible host volumes': 1 });
  assert.deepEqual(await agent.client.jobs.allocations('unknown-vol'), []);
  await agent.client.jobs.deregister('unknown-vol', { purge: true });
});

test("raw_exec: a task mounting a host volume fails as Nomad's does (raw_exec takes no mounts)", async () => {
  const mounts = '      volume_mount {\n        volume      = "scratch"\n        destination = "/scratch"\n      }';
  await runHcl(agent.client, job('raw-vol', 'raw_exec', 'true', VOLUMES, mounts));
  const end = await finalState('raw-vol');
  assert.equal(end.failed, true);
  assert.ok(end.events.some((e) => /task driver "raw_exec" for "t" does not support host volumes/.test(e)), end.events.join('\n'));
});

test('exec: a destination inside a chroot_env directory the host lacks fails the task saying why', { skip: existsSync(EXEC) ? canIsolate : 'exec driver not built' }, async () => {
  const mounts = '      volume_mount {\n        volume      = "certs"\n        destination = "/etc/drover-test-ca"\n      }';
  await runHcl(agent.client, job('under-env', 'exec', 'true', VOLUMES, mounts));
  const end = await finalState('under-env');
  assert.equal(end.failed, true);
  assert.ok(end.events.some((e) => /mount destination \/etc\/drover-test-ca lies in \/etc, which the exec driver binds read-only/.test(e)), end.events.join('\n'));
});
