import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../model/errors.js';
import { isUnder, resolveAllowedImage } from './image-path.js';
function fixture() {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'imgpath-')));
    const alloc = join(root, 'alloc');
    const allowed = join(root, 'images');
    mkdirSync(join(alloc, 'task', 'local'), { recursive: true });
    mkdirSync(allowed);
    writeFileSync(join(allowed, 'base.qcow2'), 'x');
    writeFileSync(join(alloc, 'task', 'local', 'disk.img'), 'x');
    writeFileSync(join(root, 'secret'), 'x');
    return {
        root,
        alloc,
        allowed,
        policy: { field: 'config.image_path', baseDir: join(alloc, 'task'), implicit: [alloc], imagePaths: [allowed] },
        cleanup: () => rmSync(root, { recursive: true, force: true }),
    };
}
function refused(fn, re) {
    assert.throws(fn, (err) => {
        assert.ok(err instanceof ValidationError, String(err));
        assert.equal(err.field, 'config.image_path');
        assert.match(err.message, re);
        return true;
    });
}
test('resolveAllowedImage: images in image_paths and in the alloc dir (relative to the task dir) are allowed, resolved', () => {
    const f = fixture();
    try {
        assert.equal(resolveAllowedImage(join(f.allowed, 'base.qcow2'), f.policy), join(f.allowed, 'base.qcow2'));
        assert.equal(resolveAllowedImage('local/disk.img', f.policy), join(f.alloc, 'task', 'local', 'disk.img'));
    }
    finally {
        f.cleanup();
    }
});
test('resolveAllowedImage: a path outside the allowed dirs is refused, naming the field and the allowlist', () => {
    const f = fixture();
    try {
        refused(() => resolveAllowedImage(join(f.root, 'secret'), f.policy), /is not in the allowed paths: the allocation directory or image_paths \[/);
        refused(() => resolveAllowedImage(join(f.root, 'secret'), { ...f.policy, imagePaths: [] }), /no image_paths configured/);
    }
    finally {
        f.cleanup();
    }
});
test('resolveAllowedImage: ".." escapes and symlinks are judged by where they lead', () => {
    const f = fixture();
    try {
        refused(() => resolveAllowedImage(`${f.allowed}/../secret`, f.policy), /images\/\.\.\/secret" \(resolves to .*\/secret\) is not in the allowed paths/);
        refused(() => resolveAllowedImage('../../secret', f.policy), /not in the allowed paths/);
        symlinkSync(join(f.root, 'secret'), join(f.allowed, 'link.qcow2'));
        refused(() => resolveAllowedImage(join(f.allowed, 'link.qcow2'), f.policy), /link\.qcow2" \(resolves to .*secret\) is not in the allowed paths/);
        symlinkSync('/etc/passwd', join(f.alloc, 'task', 'local', 'passwd.img'));
        refused(() => resolveAllowedImage('local/passwd.img', f.policy), /resolves to \/etc\/passwd/);
        refused(() => resolveAllowedImage(`${f.allowed}/../../../../../../etc/passwd`, f.policy), /resolves to \/etc\/passwd\) is not in the allowed paths/);
    }
    finally {
        f.cleanup();
    }
});
test('resolveAllowedImage: missing images, directories and empty paths are refused', () => {
    const f = fixture();
    try {
        refused(() => resolveAllowedImage(join(f.allowed, 'nope.qcow2'), f.policy), /does not exist/);
        refused(() => resolveAllowedImage(f.allowed, f.policy), /is not a regular file/);
        refused(() => resolveAllowedImage('', f.policy), /must be set/);
    }
    finally {
        f.cleanup();
    }
});
test('isUnder: prefix look-alikes are not children', () => {
    assert.ok(isUnder('/a/b', '/a/b'));
    assert.ok(isUnder('/a/b', '/a/b/c'));
    assert.ok(isUnder('/a/b', '/a/b/..c'));
    assert.ok(!isUnder('/a/b', '/a/bc'));
    assert.ok(!isUnder('/a/b', '/a'));
});
//# sourceMappingURL=image-path.test.js.map