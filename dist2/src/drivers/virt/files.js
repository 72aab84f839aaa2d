/** The files the virt driver makes for a VM in its data_dir, and their removal. */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DriverStartError } from '../../model/errors.js';
/**
 * A VM's files in data_dir: "<vm>.img" (nomad-driver-virt's thin copy
 * name), "<vm>.iso" (the seed) and a QMP socket named by a hash of the task
 * id, short enough for a unix socket address.
 */
export function vmFiles(dataDir, taskId, vmName) {
    const safe = vmName.replace(/[^A-Za-z0-9_.-]/g, '_');
    const id = createHash('sha256').update(taskId).digest('hex').slice(0, 16);
    const qmp = join(dataDir, `q-${id}.sock`);
    if (Buffer.byteLength(qmp) > 107)
        throw new DriverStartError(`virt: QMP socket path ${qmp} is too long for a unix socket; use a shorter data_dir`);
    return { overlay: join(dataDir, `${safe}.img`), seed: join(dataDir, `${safe}.iso`), qmp };
}
/** Removes `files`, ignoring those already gone. */
export function removeFiles(files) {
    for (const f of files)
        rmSync(f, { force: true });
}
//# sourceMappingURL=files.js.map