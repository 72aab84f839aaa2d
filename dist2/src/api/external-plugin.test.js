import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventTypes, runHcl, startAgent } from './testing.js';
import { eventually } from '../model/testing/eventually.js';
const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
/** Pids of processes whose command line contains `needle`. */
function pidsOf(needle) {
    try {
        return execFileSync('pgrep', ['-f', needle], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
    }
    catch {
        return [];
    }
}
test('agent: a job runs on an external driver plugin from plugin_dir and survives a plugin crash', async () => {
    const pluginDir = mkdtempSync(join(tmpdir(), 'drover-plugins-'));
    const execDir = mkdtempSync(join(tmpdir(), 'drover-plugin-exec-'));
    // As a user would: `drover plugin install DIR raw_exec` writes the plugin_dir executable.
    execFileSync(process.execPath, [MAIN, 'plugin', 'install', pluginDir, 'raw_exec'], { stdio: 'ignore' });
    const a = await startAgent({
        configHcl: `plugin_dir = "${pluginDir}"
plugin "drover-driver-raw_exec" {
  args = ["-data-dir", "${execDir}"]
  config {
    enabled = true
  }
}
`,
    });
    try {
        // The external plugin was launched with the block's args and now provides raw_exec.
        const plugin = await eventually(async () => pidsOf(`plugin serve raw_exec -data-dir ${execDir}`)[0], { timeoutMs: 10_000, message: 'plugin process' });
        const marker = join(execDir, 'ran');
        await runHcl(a.client, `job "ext" {
  type = "batch"
  group "g" {
    restart {
      attempts = 0
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo run >> ${marker}; sleep 2; exit 7"]
      }
    }
  }
}
`);
        await eventually(async () => eventTypes((await a.client.jobs.allocations('ext'))[0] ?? { TaskStates: {} }, 't').includes('Started'), { timeoutMs: 15_000, message: 'Started' });
        // Crash the plugin in the middle: the agent restarts it and reattaches; the task
        // (owned by the executor daemon) keeps running and its real exit is reported once.
        process.kill(plugin, 'SIGKILL');
        const alloc = await eventually(async () => {
            const [al] = await a.client.jobs.allocations('ext');
            return al && al.ClientStatus !== 'pending' && al.ClientStatus !== 'running' ? al : undefined;
        }, { timeoutMs: 20_000, message: 'alloc to finish' });
        const types = eventTypes(alloc, 't');
        assert.equal(types.filter((t) => t === 'Started').length, 1, `started once: ${types.join(',')}`);
        const terminated = alloc.TaskStates.t?.Events.find((e) => e.Type === 'Terminated');
        assert.equal(terminated?.Details.exit_code, '7', JSON.stringify(terminated));
        assert.equal(execFileSync('cat', [marker], { encoding: 'utf8' }), 'run\n', 'the task ran exactly once');
        const restarted = pidsOf(`plugin serve raw_exec -data-dir ${execDir}`);
        assert.equal(restarted.length, 1, 'one plugin process after the restart');
        assert.notEqual(restarted[0], plugin);
    }
    finally {
        await a.kill('SIGTERM');
    }
    // A graceful agent stop shuts its plugins down.
    await eventually(async () => pidsOf(`plugin serve raw_exec -data-dir ${execDir}`).length === 0, { timeoutMs: 10_000, message: 'plugin stopped' });
});
//# sourceMappingURL=external-plugin.test.js.map