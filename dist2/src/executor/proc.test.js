import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { isRunning, parseProcStat, processTree, readProcStat } from './proc.js';
import { signalName, signalNumber } from './signals.js';
import { eventually } from '../model/testing/eventually.js';
test('parseProcStat: fields after a comm holding spaces and parens', () => {
    const st = parseProcStat('4242 (a (weird) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 123456 1000 250 18446744073709551615');
    assert.deepEqual(st, { pid: 4242, state: 'S', ppid: 1, pgrp: 4242, session: 4242, utime: 7, stime: 3, starttime: 123456, rssPages: 250 });
});
test('isRunning and processTree: a live child and its own child; a wrong start time is not the process', async () => {
    const child = spawn('/bin/sh', ['-c', 'sleep 5 & wait'], { stdio: 'ignore' });
    const pid = child.pid;
    let tree = [];
    await eventually(() => (tree = processTree(pid)).length >= 2, { message: 'the shell and its sleep' });
    assert.equal(tree.length, 2);
    const st = readProcStat(pid);
    assert.ok(st && isRunning(pid, st.starttime));
    assert.equal(isRunning(pid, (st?.starttime ?? 0) + 1), false);
    process.kill(pid, 'SIGKILL');
    for (const p of tree)
        if (p !== pid)
            process.kill(p, 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
    assert.equal(isRunning(pid, st?.starttime ?? 0), false);
});
test('signals: names with or without SIG, numbers, and back', () => {
    assert.equal(signalNumber('SIGHUP'), 1);
    assert.equal(signalNumber('term'), 15);
    assert.equal(signalNumber('9'), 9);
    assert.equal(signalNumber('SIGNOPE'), undefined);
    assert.equal(signalName(15), 'SIGTERM');
});
//# sourceMappingURL=proc.test.js.map