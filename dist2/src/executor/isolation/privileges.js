/**
 * The last hops before the task's program, shared by launch and exec:
 * `setpriv` (user, groups, capability sets, no_new_privs), preceded by
 * `env` where the shell before it cannot do the job (work dir after a
 * chroot, an exact PWD). Both run inside the new root, so the chroot must
 * contain them.
 */
import { supportedCapabilities } from './capabilities.js';
/** `setpriv … --` for the user and capabilities (normalized names; bounding, inheritable and ambient become exactly these). */
export function setprivArgs(t, user, capabilities) {
    const known = new Set(supportedCapabilities());
    for (const c of capabilities)
        if (!known.has(c))
            throw new Error(`unknown capability "${c}"`);
    const caps = ['-all', ...capabilities.map((c) => `+${c}`)].join(',');
    return [
        t.setpriv,
        `--reuid=${user.uid}`,
        `--regid=${user.gid}`,
        user.groups.length > 0 ? `--groups=${user.groups.join(',')}` : '--clear-groups',
        `--bounding-set=${caps}`,
        `--inh-caps=${caps}`,
        `--ambient-caps=${caps}`,
        '--no-new-privs',
        '--',
    ];
}
/** `env -u PWD -u OLDPWD --chdir=cwd -- [PWD=…]`: the work dir and the task's exact PWD/OLDPWD. */
export function envHopArgs(t, cwd, env) {
    return [t.env, '-u', 'PWD', '-u', 'OLDPWD', `--chdir=${cwd}`, '--', ...pwdAssignments(env)];
}
/** `env -- PWD=…` when the task's environment sets PWD or OLDPWD (the setup shell unset them); else nothing. */
export function restorePwdArgs(t, env) {
    const a = pwdAssignments(env);
    return a.length > 0 ? [t.env, '--', ...a] : [];
}
function pwdAssignments(env) {
    return ['PWD', 'OLDPWD'].filter((k) => env[k] !== undefined).map((k) => `${k}=${env[k]}`);
}
//# sourceMappingURL=privileges.js.map