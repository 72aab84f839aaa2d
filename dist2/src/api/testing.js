/**
 * Test harness: runs `drover agent` as a real child process on a temp data
 * dir and an ephemeral port, and hands back an ApiClient for it. Every
 * agent started here is killed when the test process exits, so a failing
 * test leaves no stray agents behind.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient } from './client.js';
import { scaled } from '../model/testing/eventually.js';
const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const live = new Set();
process.on('exit', () => {
    for (const p of live)
        p.kill('SIGKILL');
});
/** Starts an agent and waits until it prints its address. */
export async function startAgent(o = {}) {
    const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'drover-agent-'));
    const args = [MAIN, 'agent', '-data-dir', dataDir, '-port', '0', ...(o.args ?? [])];
    if (o.configHcl !== undefined) {
        const file = join(dataDir, `agent-${Date.now()}.hcl`);
        writeFileSync(file, o.configHcl);
        args.push('-config', file);
    }
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env } });
    live.add(proc);
    let stdout = '';
    let stderr = '';
    let killedByTest = false;
    let listening = false;
    const exited = new Promise((resolve) => proc.once('exit', (code, signal) => {
        // An agent dying under a test is otherwise only "connection refused": say how, with its last words.
        if (listening && !killedByTest)
            process.stderr.write(`# agent ${proc.pid} on ${dataDir} exited unasked (code ${code}, signal ${signal}):\n# ${stderr.slice(-1500).replace(/\n/g, '\n# ')}\n`);
        resolve(code);
    }));
    void exited.then(() => live.delete(proc));
    proc.stderr?.on('data', (b) => (stderr += b.toString()));
    const address = await new Promise((resolve, reject) => {
        // A hang guard only (a loaded machine can take long to start an agent); on
        // timeout the agent is killed, else its pipes would keep the test process alive.
        // Cleared once the agent listens: it must never fire on a running agent.
        const limitMs = scaled(60_000);
        const guard = setTimeout(() => {
            killedByTest = true;
            proc.kill('SIGKILL');
            reject(new Error(`agent did not start in ${limitMs} ms:\n${stdout}\n${stderr}`));
        }, limitMs);
        guard.unref();
        proc.stdout?.on('data', (b) => {
            stdout += b.toString();
            const m = /listening on (http:\/\/\S+)/.exec(stdout);
            if (m) {
                clearTimeout(guard);
                listening = true;
                resolve(m[1]);
            }
        });
        void exited.then((code) => {
            clearTimeout(guard);
            reject(new Error(`agent exited (${code}) before listening:\n${stdout}\n${stderr}`));
        });
    });
    return {
        address,
        dataDir,
        client: new ApiClient({ address, ...(o.token !== undefined ? { token: o.token } : {}) }),
        proc,
        output: () => ({ stdout, stderr }),
        kill: async (signal = 'SIGTERM') => {
            killedByTest = true;
            if (proc.exitCode === null && proc.signalCode === null)
                proc.kill(signal);
            return exited;
        },
    };
}
/** Parses HCL through the agent and registers it; returns the JSON job. */
export async function runHcl(client, hcl) {
    const job = await client.jobs.parse(hcl);
    await client.jobs.register(job);
    return job;
}
/** The event types of one task of an alloc stub, in order. */
export function eventTypes(a, task) {
    return (a.TaskStates[task]?.Events ?? []).map((e) => e.Type);
}
/** A one-group mock_driver job in HCL. */
export function mockJob(id, config, opts = {}) {
    return `job "${id}" {
  type = "${opts.type ?? 'service'}"
  group "g" {
    count = ${opts.count ?? 1}
    task "${opts.task ?? 't'}" {
      driver = "mock_driver"
      kill_timeout = "1s"
      config {
${config}
      }
${opts.extra ?? ''}
    }
  }
}
`;
}
//# sourceMappingURL=testing.js.map