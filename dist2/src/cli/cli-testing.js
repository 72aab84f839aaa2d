/**
 * Test harness for the API commands: runs the real `drover` binary as a
 * child (as a user would), with a clean environment pointing at a test
 * agent. Children still running when the test process exits are killed.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { scaled } from '../model/testing/eventually.js';
/** The compiled entry point. */
export const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const live = new Set();
process.on('exit', () => {
    for (const p of live)
        p.kill('SIGKILL');
});
/** The environment a child gets: this process's, minus agent settings, plus `extra`. */
export function cleanEnv(extra = {}) {
    const env = {};
    for (const [k, v] of Object.entries(process.env))
        if (v !== undefined && !/^(DROVER|NOMAD)_(ADDR|TOKEN)$/.test(k))
            env[k] = v;
    return { ...env, ...extra };
}
/** Runs `drover ARGS…` to completion (killed after `timeoutMs`, default 30 s). */
export function drover(args, o = {}) {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: cleanEnv(o.env) });
        live.add(child);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (b) => {
            stdout += b.toString();
            o.onStdout?.(stdout, child);
        });
        child.stderr.on('data', (b) => (stderr += b.toString()));
        child.stdin.on('error', () => undefined);
        child.stdin.end(o.input ?? '');
        const timer = setTimeout(() => child.kill('SIGKILL'), scaled(o.timeoutMs ?? 30_000)); // a hang guard
        child.on('close', (code) => {
            clearTimeout(timer);
            live.delete(child);
            resolve({ code, stdout, stderr });
        });
    });
}
/** The first capture group of `re` in `text`; throws when absent. */
export function grab(re, text) {
    const m = re.exec(text);
    if (!m?.[1])
        throw new Error(`${re} not found in:\n${text}`);
    return m[1];
}
//# sourceMappingURL=cli-testing.js.map