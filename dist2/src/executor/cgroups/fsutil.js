/** Small synchronous helpers for cgroupfs files (tiny reads and writes, never blocking on disk). */
import { readFileSync, writeFileSync } from 'node:fs';
/** File text, or undefined when missing or unreadable. */
export function readText(file) {
    try {
        return readFileSync(file, 'latin1');
    }
    catch {
        return undefined;
    }
}
/** A file holding one integer; 0 when missing. */
export function readNumber(file) {
    const t = readText(file);
    const n = t === undefined ? NaN : Number(t.trim());
    return Number.isFinite(n) ? n : 0;
}
/** Writes `value` to a cgroup control file; throws with the file named. */
export function writeControl(file, value) {
    try {
        writeFileSync(file, String(value));
    }
    catch (err) {
        throw new Error(`cgroup: writing ${value} to ${file}: ${err.message}`, { cause: err });
    }
}
/** The pids listed in a cgroup.procs file. */
export function readPids(file) {
    const t = readText(file);
    if (t === undefined)
        return [];
    const out = [];
    for (const line of t.split('\n'))
        if (line !== '')
            out.push(Number(line));
    return out;
}
/** Resolves after `ms`. */
export function delay(ms) {
    return new Promise((r) => setTimeout(r, ms));
}
//# sourceMappingURL=fsutil.js.map