/**
 * Where a VM image may come from: the task's allocation directory or one of
 * the operator's image_paths. The path is resolved completely first (`..`
 * segments and every symlink) so `/allowed/../etc/passwd` or a symlink in an
 * allowed dir pointing elsewhere is judged by where it really leads.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ValidationError } from '../../model/errors.js';
/**
 * Resolves `imagePath` to the real file it names and checks it lies under an
 * allowed directory; throws ValidationError naming the field otherwise.
 * Returns the resolved path, which is what the VM must be given (so the file
 * checked is the file opened).
 */
export function resolveAllowedImage(imagePath, p) {
    const fail = (message) => {
        throw new ValidationError([{ field: p.field, message }]);
    };
    if (imagePath === '')
        fail('must be set');
    const lexical = resolve(p.baseDir, imagePath);
    let real;
    try {
        real = realpathSync(lexical);
    }
    catch {
        return fail(`image ${JSON.stringify(imagePath)} does not exist (looked for ${lexical})`);
    }
    if (!statSync(real).isFile())
        fail(`image ${JSON.stringify(imagePath)} is not a regular file (${real})`);
    const roots = [...p.implicit, ...p.imagePaths].filter((r) => r !== '').map(realRoot);
    if (!roots.some((root) => isUnder(root, real))) {
        const via = real === imagePath ? '' : ` (resolves to ${real})`;
        const allowed = p.imagePaths.length > 0 ? `image_paths [${p.imagePaths.join(', ')}]` : 'no image_paths configured';
        fail(`image ${JSON.stringify(imagePath)}${via} is not in the allowed paths: the allocation directory or ${allowed}`);
    }
    return real;
}
/** An allowed root with its own symlinks resolved (when it exists). */
function realRoot(root) {
    const abs = resolve(root);
    try {
        return realpathSync(abs);
    }
    catch {
        return abs;
    }
}
/** True when `path` is `root` itself or inside it. */
export function isUnder(root, path) {
    const rel = relative(root, path);
    return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}
//# sourceMappingURL=image-path.js.map