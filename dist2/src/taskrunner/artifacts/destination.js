/**
 * Where an artifact goes, by Nomad's TaskEnv.ClientPath rule: interpolate
 * with the client's view of the task directories, join relative paths (and
 * absolute ones outside both sandboxes, e.g. "/local/x" from a chroot task's
 * env) to the task dir, then require the result inside the task dir or the
 * shared alloc dir.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { envLookup, interpolate } from '../task-env.js';
import { isWithin } from './safe-path.js';
/** Resolves `raw` (the artifact's destination as written); throws when it escapes. */
export function resolveDestination(raw, dirs, env, node) {
    // Chroot drivers' env says /local, /alloc, /secrets; the agent writes to their host paths.
    const clientEnv = { ...env, NOMAD_TASK_DIR: dirs.localDir, NOMAD_ALLOC_DIR: dirs.sharedAllocDir, NOMAD_SECRETS_DIR: dirs.secretsDir };
    const interpolated = interpolate(raw, envLookup(clientEnv, node));
    const sandboxOf = (p) => [dirs.dir, dirs.sharedAllocDir].find((root) => isWithin(root, p));
    const path = isAbsolute(interpolated) && sandboxOf(resolve(interpolated)) ? resolve(interpolated) : resolve(join(dirs.dir, interpolated));
    const sandbox = sandboxOf(path);
    if (sandbox === undefined)
        throw new Error(`destination ${JSON.stringify(raw)} escapes the task and alloc directories`);
    return { path, sandbox };
}
//# sourceMappingURL=destination.js.map