/** Releases copied spool bytes with util-linux `fallocate --punch-hole` (Node has no fallocate). */
import { execFile } from 'node:child_process';
/** A puncher that turns itself off (logging once) when the tool or the filesystem cannot punch holes. */
export function fallocatePuncher(log) {
    let disabled = false;
    return {
        punch(file, length, done) {
            if (disabled || length <= 0)
                return done();
            execFile('fallocate', ['--punch-hole', '--offset', '0', '--length', String(length), file], (err, _stdout, stderr) => {
                // A spool removed meanwhile (task destroyed) is fine; a missing tool or filesystem support is not.
                const unsupported = err !== null && (err.code === 'ENOENT' || /not supported/i.test(String(stderr)));
                if (unsupported && !disabled) {
                    disabled = true;
                    log(`spool hole punching disabled (spools grow until their task is destroyed): ${err.message.trim()}`);
                }
                done();
            });
        },
    };
}
//# sourceMappingURL=puncher.js.map