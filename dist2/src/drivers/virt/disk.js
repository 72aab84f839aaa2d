/**
 * The VM's primary disk: with use_thin_copy a qcow2 overlay in data_dir
 * backed by the image (the image is only read, ever), else the image itself
 * as nomad-driver-virt uses it; primary_disk_size grows whichever the VM
 * writes to (never shrinks).
 */
import { createOverlay, growImage, imageInfo } from '../vm-shared/qemu-img.js';
const MiB = 2 ** 20;
/** Creates the overlay (when thin) and grows the disk to `sizeMb` (when larger than it is). */
export async function prepareDisk(image, o) {
    const base = await imageInfo(image);
    let path = image;
    let format = base.format;
    if (o.thin) {
        await createOverlay(image, base.format, o.overlayPath);
        path = o.overlayPath;
        format = 'qcow2';
    }
    const size = o.sizeMb > 0 ? await growImage(path, o.sizeMb * MiB) : base.virtualSizeBytes;
    return { path, format, overlay: o.thin, virtualSizeBytes: size };
}
//# sourceMappingURL=disk.js.map