/**
 * git sources via the git binary: a shallow clone (depth 1 unless the
 * `depth` option says otherwise) of `ref` when it names a branch or tag; a
 * full clone then checkout when `ref` looks like a commit id, since servers
 * need not serve a bare commit to a shallow fetch. Submodules follow, as in
 * go-getter. git never prompts; the ext:: transport is refused.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
/** The local path of a file:// or path repo, to check against the allowed roots; undefined for remote ones. */
export function localRepoPath(repo) {
    if (repo.startsWith('/'))
        return repo;
    if (/^file:/i.test(repo))
        return fileURLToPath(repo);
    return undefined;
}
/** Clones `repo` into `dst` (which must not exist). */
export async function gitClone(repo, dst, opts) {
    const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]);
    const isCommit = opts.ref !== undefined && /^[0-9a-f]{7,64}$/i.test(opts.ref);
    const depth = opts.depth ?? (isCommit ? 0 : 1);
    // --no-local: a local repo goes through the transport too, so depth applies and no object is hard-linked to the host's.
    const clone = ['clone', '--quiet', '--no-local'];
    if (depth > 0)
        clone.push(`--depth=${depth}`, '--shallow-submodules');
    if (opts.ref !== undefined && !isCommit)
        clone.push(`--branch=${opts.ref}`);
    await git([...clone, '--', repo, dst], undefined, signal, opts.timeoutMs);
    if (isCommit)
        await git(['checkout', '--quiet', '--detach', opts.ref], dst, signal, opts.timeoutMs);
    if (existsSync(join(dst, '.gitmodules'))) {
        const update = ['submodule', 'update', '--init', '--recursive', '--quiet'];
        if (depth > 0)
            update.push(`--depth=${depth}`);
        await git(update, dst, signal, opts.timeoutMs);
    }
}
/** Runs git with a minimal environment (as Nomad's getter does); rejects with its stderr tail. */
function git(args, cwd, signal, timeoutMs) {
    return new Promise((resolve, reject) => {
        const child = spawn('git', ['-c', 'protocol.ext.allow=never', ...args], {
            cwd,
            signal,
            stdio: ['ignore', 'ignore', 'pipe'],
            env: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: process.env.HOME ?? '/nonexistent', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
        });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (s) => {
            // Keep the tail only: the end holds the reason.
            stderr = (stderr + s).slice(-2048);
        });
        child.on('error', (err) => {
            if (err.code === 'ENOENT')
                reject(new Error('git sources need the git binary, which is not installed on this client'));
            else if (signal.aborted && signal.reason?.name === 'TimeoutError')
                reject(new Error(`git ${args[0]} timed out after ${timeoutMs} ms`));
            else
                reject(new Error(`git ${args[0]}: ${err.message}`));
        });
        child.on('close', (code, sig) => {
            if (code === 0)
                resolve();
            else
                reject(new Error(`git ${args[0]} failed (${sig ?? `exit status ${code}`}): ${stderr.trim()}`));
        });
    });
}
//# sourceMappingURL=git.js.map