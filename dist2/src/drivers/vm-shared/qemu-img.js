/**
 * qemu-img (Debian's qemu-utils) wrappers: image info, qcow2 overlays on a
 * base image (the base is only ever read), and growing a disk.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DroverError, ErrorCode } from '../../model/errors.js';
const run = promisify(execFile);
/** Raised when qemu-img fails; the message carries its stderr. */
export class QemuImgError extends DroverError {
    constructor(args, stderr) {
        super(ErrorCode.internal, `qemu-img ${args.join(' ')}: ${stderr.trim() || 'failed'}`);
    }
}
async function qemuImg(args) {
    try {
        const { stdout } = await run('qemu-img', [...args], { maxBuffer: 4 * 1024 * 1024 });
        return stdout;
    }
    catch (err) {
        const e = err;
        if (e.code === 'ENOENT')
            throw new QemuImgError(args, 'qemu-img not found (Debian package qemu-utils)');
        throw new QemuImgError(args, e.stderr ?? e.message);
    }
}
/**
 * Reads an image's format and sizes. `-U` (force share) because the image
 * may be open in a running VM, whose write lock would otherwise refuse us.
 */
export async function imageInfo(path) {
    const out = await qemuImg(['info', '-U', '--output=json', path]);
    const j = JSON.parse(out);
    return {
        format: String(j['format']),
        virtualSizeBytes: Number(j['virtual-size']),
        actualSizeBytes: Number(j['actual-size'] ?? 0),
        ...(typeof j['backing-filename'] === 'string' ? { backingFilename: j['backing-filename'] } : {}),
        ...(typeof j['backing-filename-format'] === 'string' ? { backingFormat: j['backing-filename-format'] } : {}),
    };
}
/**
 * Creates a qcow2 overlay whose reads fall through to `base` and whose
 * writes stay in the overlay (the base is never opened for writing).
 * `base` must be absolute: qemu-img stores the path as given.
 */
export async function createOverlay(base, baseFormat, overlay) {
    await qemuImg(['create', '-q', '-f', 'qcow2', '-F', baseFormat, '-b', base, overlay]);
}
/** Grows `path` to `sizeBytes` when it is smaller; never shrinks. Returns the resulting virtual size. */
export async function growImage(path, sizeBytes) {
    const info = await imageInfo(path);
    if (info.virtualSizeBytes >= sizeBytes)
        return info.virtualSizeBytes;
    await qemuImg(['resize', '-q', '-f', info.format, path, String(sizeBytes)]);
    return sizeBytes;
}
/** Converts `src` to a new image of `format` (used to build test guests). */
export async function convertImage(src, srcFormat, dst, format) {
    await qemuImg(['convert', '-q', '-f', srcFormat, '-O', format, src, dst]);
}
//# sourceMappingURL=qemu-img.js.map