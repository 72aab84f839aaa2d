/**
 * The dash script that starts an isolated task, run by `unshare` inside the
 * new mount/uts/ipc namespaces, as root. `setup` sets the hostname (through
 * /proc: a builtin write, no exec), applies the whole mount plan with one
 * `mount -a`, pivot_roots into the task dir and enters the work dir (or
 * leaves both to `chroot` + `env`), then execs the rest of the chain. It uses
 * only positional parameters, so no variable of the task's environment is
 * touched (PWD/OLDPWD, which dash sets itself, are unset again).
 *
 *   $1 "wait" | "exec"   $2 root  $3 hostname  $4 fstab  $5 mount
 *   $6 pivot_root  $7 umount  $8 "pivot" | "chroot"  $9 work dir
 *   $10… the rest of the chain
 *
 * "wait" (private pid namespace): the script is the waiter. A process in a
 * new pid namespace has to be forked, and only its parent can reap it, so
 * the shell runs `setup` in a subshell (it becomes PID 1 of the namespace,
 * with no exec of its own) and leaves with its status. The waiter must
 * outlive every signal the executor sends to the task's process group, so
 * it ignores them; the subshell restores them before the task starts (dash
 * may undo what `trap ''` did, unlike dispositions inherited at entry).
 * PID 1 can only die of SIGKILL (from outside its namespace) or of a fault,
 * so those statuses are re-raised on the waiter and the executor sees the
 * signal itself; any other status is an exit code. The waiter's own stderr
 * goes to /dev/null so dash's "Killed" never lands in the task's log.
 * (util-linux 2.38's `unshare --fork` would be the obvious waiter, but it
 * turns a SIGKILLed child, so every OOM kill, into "exit 1":
 * signal(SIGKILL, SIG_DFL) fails before it can re-raise.)
 *
 * "exec" (host pid namespace): no subshell, no waiter; the task keeps the pid.
 */
import { constants } from 'node:os';
/** The fstab's file name under <root>/proc, hidden by the proc mount. */
export const FSTAB_NAME = '.drover-fstab';
/** Exit status of a failed setup (as `docker run` uses 125 for its own failures). */
export const SETUP_FAILED_EXIT = 125;
/** Statuses the waiter re-raises: 128 + SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGKILL, SIGSEGV, SIGSYS. */
export const RERAISED_STATUSES = ['SIGILL', 'SIGTRAP', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGSEGV', 'SIGSYS'].map((s) => 128 + signal(s));
/**
 * Signals the waiter ignores: every one whose default would kill or stop
 * it, except SIGCHLD (needed to reap) and the faults it re-raises; plus the
 * real-time range (SIGRTMIN..SIGRTMAX as glibc numbers them).
 */
export const WAITER_IGNORED_SIGNALS = [
    ...['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGABRT', 'SIGUSR1', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGIO', 'SIGPWR']
        .filter((s) => s in constants.signals)
        .map(signal),
    ...Array.from({ length: 31 }, (_, i) => 34 + i),
];
function signal(name) {
    const n = constants.signals[name];
    if (n === undefined)
        throw new Error(`unknown signal ${name}`);
    return n;
}
const SIGS = WAITER_IGNORED_SIGNALS.join(' ');
/** The script; `pivot_root . .` then `umount -l .` drops the host root without a put_old dir. */
export const SETUP_SCRIPT = [
    `fail() { echo "drover: task isolation: $*" >&2; exit ${SETUP_FAILED_EXIT}; }`,
    'setup() {',
    '  if [ -n "$3" ]; then printf %s "$3" >/proc/sys/kernel/hostname || fail "cannot set hostname $3"; fi',
    '  "$5" -a -T "$4" || fail "mounting the task filesystem under $2 failed"',
    '  cd "$2" || fail "cannot enter $2"',
    '  if [ "$8" = pivot ]; then',
    '    "$6" . . || fail "pivot_root into $2 failed (set no_pivot_root when the root is a ramdisk)"',
    '    "$7" -l . || fail "cannot detach the host root"',
    '    cd "$9" || fail "cannot enter the work dir $9"',
    '    unset PWD OLDPWD',
    '  fi',
    '  shift 9',
    '  exec "$@"',
    '}',
    'if [ "$1" = wait ]; then',
    `  trap '' ${SIGS}`,
    '  exec 4>&2 2>/dev/null',
    `  ( exec 2>&4 4>&-; trap - ${SIGS}; setup "$@" )`,
    '  s=$?',
    `  case $s in ${RERAISED_STATUSES.join('|')}) kill -$((s - 128)) $$ ;; esac`,
    '  exit $s',
    'fi',
    'setup "$@"',
].join('\n');
//# sourceMappingURL=setup-script.js.map