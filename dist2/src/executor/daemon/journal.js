/**
 * The daemon's journal: one small JSON file per task (task.json in the
 * task's dir), replaced atomically (write to a temp file, rename), holding
 * what is needed to re-adopt the task after a daemon restart and, once it
 * exited, its exit result until the task is destroyed.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { isErrno } from '../../model/errors.js';
/** Journal format version. */
export const JOURNAL_VERSION = 1;
const FILE = 'task.json';
/** Writes the entry atomically (a crash leaves the old or the new file, never half of one). */
export function writeRecord(dir, rec) {
    const tmp = join(dir, `.${FILE}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify(rec));
    fs.renameSync(tmp, join(dir, FILE));
}
/** Every readable entry under `stateDir`; unreadable ones are reported through `onBad`. */
export function readAll(stateDir, onBad) {
    const scan = { tasks: [], incomplete: [] };
    let names;
    try {
        names = fs.readdirSync(stateDir);
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT'))
            throw err;
        return scan;
    }
    for (const name of names) {
        const dir = join(stateDir, name);
        try {
            const rec = JSON.parse(fs.readFileSync(join(dir, FILE), 'utf8'));
            if (rec.version !== JOURNAL_VERSION || typeof rec.pid !== 'number' || typeof rec.spec?.taskId !== 'string')
                throw new Error('not a task record');
            scan.tasks.push({ dir, rec });
        }
        catch (err) {
            if (err.code === 'ENOENT')
                scan.incomplete.push(name);
            else
                onBad(dir, err);
        }
    }
    return scan;
}
/** Forgets a task: its dir with journal entry, spools and records. */
export function removeTaskDir(dir) {
    fs.rmSync(dir, { recursive: true, force: true });
}
//# sourceMappingURL=journal.js.map