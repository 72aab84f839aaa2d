/**
 * Follows a task's rotated log files (<task>.<stdout|stderr>.N) like
 * `tail -F` across rotations: reads what is there, then polls for growth and
 * for the next index. Polling, not fs.watch: watch events are lost on some
 * filesystems and coalesce under load, and a 100 ms poll costs nothing here.
 */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isErrno } from '../../model/errors.js';
/** Yields output chunks until `signal` aborts, then drains what is left. */
export async function* followLogs(o) {
    const pollMs = o.pollMs ?? 100;
    const prefix = `${o.task}.${o.type}.`;
    const indexes = async () => {
        try {
            return (await readdir(o.logDir))
                .filter((f) => f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length)))
                .map((f) => Number(f.slice(prefix.length)))
                .sort((a, b) => a - b);
        }
        catch (err) {
            if (!isErrno(err, 'ENOENT', 'ENOTDIR'))
                throw err;
            return [];
        }
    };
    let current = -1;
    let offset = 0;
    let fh;
    const buf = Buffer.allocUnsafe(64 * 1024);
    try {
        // One more pass after abort drains what was written before the end.
        for (;;) {
            const all = await indexes();
            if (current < 0 && all.length > 0) {
                current = o.fromEnd ? all[all.length - 1] : all[0];
                fh = await open(join(o.logDir, `${prefix}${current}`), 'r');
                offset = o.fromEnd ? (await fh.stat()).size : 0;
            }
            if (fh) {
                for (;;) {
                    const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
                    if (bytesRead === 0)
                        break;
                    offset += bytesRead;
                    yield Uint8Array.prototype.slice.call(buf, 0, bytesRead);
                }
                const next = all.find((i) => i > current);
                if (next !== undefined) {
                    // The writer moved on: anything still in this file was read above.
                    await fh.close();
                    current = next;
                    fh = await open(join(o.logDir, `${prefix}${current}`), 'r');
                    offset = 0;
                    continue;
                }
            }
            if (o.signal.aborted)
                break;
            await new Promise((resolve) => {
                const onAbort = () => {
                    clearTimeout(t);
                    resolve();
                };
                const t = setTimeout(() => {
                    o.signal.removeEventListener('abort', onAbort);
                    resolve();
                }, pollMs);
                o.signal.addEventListener('abort', onAbort, { once: true });
            });
        }
    }
    finally {
        await fh?.close();
    }
}
//# sourceMappingURL=follower.js.map