import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SpoolPump, readRecord } from './spool.js';
import { eventually } from '../../model/testing/eventually.js';
const noPunch = { punch: (_f, _l, done) => done() };
function setup(maxFileSizeBytes = 10) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-'));
    const logs = path.join(dir, 'logs');
    const opts = {
        spool: path.join(dir, 'stdout'),
        record: path.join(dir, 'stdout.pos'),
        target: { kind: 'rotate', dir: logs, baseName: 'web.stdout', maxFiles: 100, maxFileSizeBytes },
        buffer: Buffer.alloc(7), // tiny: chunks straddle rotations
        puncher: noPunch,
    };
    const read = () => Object.fromEntries(fs.readdirSync(logs).sort().map((f) => [f, fs.readFileSync(path.join(logs, f), 'utf8')]));
    return { dir, opts, logs: read };
}
test('SpoolPump: copies appended bytes into rotated files and records how far', () => {
    const { opts, logs } = setup();
    const pump = SpoolPump.create(opts);
    const fd = SpoolPump.openForTask(opts.spool);
    fs.writeSync(fd, 'abcdefghijklmnopqrstuvwxyz');
    pump.drain();
    assert.deepEqual(logs(), { 'web.stdout.0': 'abcdefghij', 'web.stdout.1': 'klmnopqrst', 'web.stdout.2': 'uvwxyz' });
    assert.deepEqual(readRecord(opts.record), { pos: 26, sink: { index: 2, size: 6 } });
    fs.writeSync(fd, '0123');
    pump.close();
    fs.closeSync(fd);
    assert.equal(logs()['web.stdout.2'], 'uvwxyz0123');
});
test('SpoolPump: after a crash mid-copy the sink is rolled back to the record, so every byte lands once', () => {
    const { opts, logs } = setup();
    const pump = SpoolPump.create(opts);
    const fd = SpoolPump.openForTask(opts.spool);
    fs.writeSync(fd, 'abcdefghijklmno');
    pump.drain();
    const rec = fs.readFileSync(opts.record);
    // A crash after copying more but before recording it: the files ran ahead of the record.
    fs.writeSync(fd, 'pqrstuvw');
    pump.drain();
    fs.writeFileSync(opts.record, rec);
    assert.equal(Object.values(logs()).join(''), 'abcdefghijklmnopqrstuvw');
    // The restarted daemon resumes from the record.
    fs.writeSync(fd, 'xyz');
    const resumed = SpoolPump.resume(opts);
    resumed.drain();
    resumed.close();
    fs.closeSync(fd);
    assert.equal(Object.values(logs()).join(''), 'abcdefghijklmnopqrstuvwxyz');
    assert.deepEqual(logs(), { 'web.stdout.0': 'abcdefghij', 'web.stdout.1': 'klmnopqrst', 'web.stdout.2': 'uvwxyz' });
    void pump;
});
test('SpoolPump: a FIFO destination that is full is retried, not blocked on', async () => {
    const { dir, opts } = setup();
    const fifo = path.join(dir, 'fifo');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);
    const pump = SpoolPump.create({ ...opts, target: { kind: 'path', path: fifo }, buffer: Buffer.alloc(1 << 20) });
    const fd = SpoolPump.openForTask(opts.spool);
    const data = Buffer.alloc(200 * 1024, 'x'); // more than a pipe holds
    fs.writeSync(fd, data);
    pump.drain(); // returns although nobody reads yet
    const reader = fs.createReadStream(fifo);
    let got = 0;
    reader.on('data', (c) => (got += c.length));
    await eventually(() => got >= data.length, { message: 'the retried copy to reach the reader' });
    assert.equal(got, data.length);
    pump.close();
    fs.closeSync(fd);
    reader.destroy();
});
//# sourceMappingURL=spool.test.js.map