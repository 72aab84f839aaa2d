/**
 * Reading /proc: process state and start time (to tell a live task from a
 * reused pid), the process tree below a pid, and per-process usage.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { isErrno } from '../model/errors.js';
/** Linux reports process CPU times in USER_HZ ticks, 100 per second on every mainstream architecture. */
export const CLOCK_TICKS_PER_SEC = 100;
/** Parses /proc/<pid>/stat; undefined when the process is gone. */
export function readProcStat(pid) {
    let text;
    try {
        text = readFileSync(`/proc/${pid}/stat`, 'latin1');
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT', 'ESRCH'))
            throw err;
        return undefined;
    }
    return parseProcStat(text);
}
/** Parses the text of a stat file ("pid (comm) state ppid ..."; comm may hold spaces and parens). */
export function parseProcStat(text) {
    const close = text.lastIndexOf(')');
    if (close < 0)
        return undefined;
    const f = text.slice(close + 2).split(' ');
    // f[0] is field 3 (state) of proc(5); field n is f[n - 3].
    const num = (field) => Number(f[field - 3]);
    return {
        pid: Number(text.slice(0, text.indexOf(' '))),
        state: f[0] ?? '?',
        ppid: num(4),
        pgrp: num(5),
        session: num(6),
        utime: num(14),
        stime: num(15),
        starttime: num(22),
        rssPages: num(24),
    };
}
/** True while `pid` runs (not a zombie) and is the process that started at `startTicks`. */
export function isRunning(pid, startTicks) {
    const st = readProcStat(pid);
    return st !== undefined && st.starttime === startTicks && st.state !== 'Z' && st.state !== 'X';
}
/** Direct children of `pid` (all its threads'), from /proc/<pid>/task/<tid>/children. */
export function childrenOf(pid) {
    const out = [];
    let tids;
    try {
        tids = readdirSync(`/proc/${pid}/task`);
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT', 'ESRCH'))
            throw err;
        return out;
    }
    for (const tid of tids) {
        try {
            for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').split(' '))
                if (c !== '' && c !== '\n')
                    out.push(Number(c));
        }
        catch (err) {
            if (!isErrno(err, 'ENOENT', 'ESRCH'))
                throw err;
            // thread gone meanwhile
        }
    }
    return out;
}
/** `pid` and every descendant still alive. */
export function processTree(pid) {
    const seen = new Set();
    const stack = [pid];
    while (stack.length > 0) {
        const p = stack.pop();
        if (seen.has(p))
            continue;
        seen.add(p);
        stack.push(...childrenOf(p));
    }
    return [...seen].filter((p) => p === pid || readProcStat(p) !== undefined);
}
/** VmSwap of a process in bytes (0 when unknown). */
export function readSwapBytes(pid) {
    try {
        const m = /^VmSwap:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
        return m ? Number(m[1]) * 1024 : 0;
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT', 'ESRCH'))
            throw err;
        return 0;
    }
}
let pageSizeCache;
/** The kernel page size, derived once from this process's statm and status (Node has no sysconf). */
export function pageSize() {
    if (pageSizeCache !== undefined)
        return pageSizeCache;
    try {
        const residentPages = Number(readFileSync('/proc/self/statm', 'latin1').split(' ')[1]);
        const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'latin1'));
        const kb = m ? Number(m[1]) : 0;
        const guess = residentPages > 0 ? (kb * 1024) / residentPages : 4096;
        // Round to a power of two: the two files are read at slightly different moments.
        pageSizeCache = 2 ** Math.round(Math.log2(guess));
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT'))
            throw err;
        pageSizeCache = 4096;
    }
    return pageSizeCache;
}
/** Sends `signal` to `pid` (negative: a process group); false when nothing was there. */
export function trySignal(pid, signal) {
    try {
        process.kill(pid, signal);
        return true;
    }
    catch (err) {
        if (err.code === 'ESRCH')
            return false;
        throw err;
    }
}
//# sourceMappingURL=proc.js.map