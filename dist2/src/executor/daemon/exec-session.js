import { trySignal } from '../proc.js';
import { signalNumber } from '../signals.js';
import { spawnDetached } from './spawn.js';
/** One running exec session. */
export class ExecSession {
    /** Settles with the command's exit. */
    done;
    pty;
    child;
    constructor(done, pty, child) {
        this.done = done;
        this.pty = pty;
        this.child = child;
    }
    /** Starts `plan`; on a TTY when `tty` (sized `size`, default 80x24). */
    static async start(plan, tty, size, out) {
        if (tty) {
            const ptyMod = await import('node-pty');
            const p = ptyMod.spawn(plan.file, plan.args, {
                name: plan.env['TERM'] ?? 'xterm',
                cols: size?.width ?? 80,
                rows: size?.height ?? 24,
                cwd: plan.cwd,
                env: plan.env,
                encoding: null,
            });
            const done = new Promise((resolve) => {
                p.onExit(({ exitCode, signal }) => resolve(signal ? { exitCode: -1, signal, oomKilled: false } : { exitCode, signal: 0, oomKilled: false }));
            });
            p.onData((d) => out('stdout', typeof d === 'string' ? Buffer.from(d) : d));
            return new ExecSession(done, p, undefined);
        }
        const { child, started } = spawnDetached(plan, ['pipe', 'pipe', 'pipe']);
        await started;
        child.stdout?.on('data', (b) => out('stdout', b));
        child.stderr?.on('data', (b) => out('stderr', b));
        child.stdin?.on('error', () => undefined); // the command may exit without reading its input
        const done = new Promise((resolve) => {
            child.once('close', (code, sig) => resolve(sig !== null ? { exitCode: -1, signal: signalNumber(sig) ?? 0, oomKilled: false } : { exitCode: code ?? -1, signal: 0, oomKilled: false }));
        });
        return new ExecSession(done, undefined, child);
    }
    /** Feeds stdin. */
    write(data) {
        if (this.pty)
            this.pty.write(data);
        else
            this.child?.stdin?.write(data);
    }
    /** Closes stdin (on a TTY: sends end-of-file, ^D). */
    endInput() {
        if (this.pty)
            this.pty.write('\x04');
        else
            this.child?.stdin?.end();
    }
    /** Resizes the terminal (no-op without a TTY). */
    resize(height, width) {
        if (this.pty && height > 0 && width > 0)
            this.pty.resize(width, height);
    }
    /** Kills the command's whole process group. */
    kill() {
        const pid = this.pty?.pid ?? this.child?.pid;
        if (pid !== undefined && !trySignal(-pid, 'SIGKILL'))
            trySignal(pid, 'SIGKILL');
    }
}
//# sourceMappingURL=exec-session.js.map