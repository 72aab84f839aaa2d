import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveDestination } from './destination.js';
import { DEFAULT_GETTER_CONFIG, getArtifact } from './get.js';
import { scaled } from '../../model/testing/eventually.js';
import { have, run, startServer, tempDir, writeTarGz, writeZip } from './testing.js';
const node = { attributes: {}, datacenter: 'dc1' };
/** An alloc dir with one task "web", and a fetch into it. */
function fixture() {
    const alloc = tempDir();
    const dirs = {
        dir: join(alloc, 'web'),
        sharedAllocDir: join(alloc, 'alloc'),
        logDir: join(alloc, 'alloc', 'logs'),
        localDir: join(alloc, 'web', 'local'),
        secretsDir: join(alloc, 'web', 'secrets'),
        tmpDir: join(alloc, 'web', 'tmp'),
    };
    for (const d of [dirs.localDir, dirs.secretsDir, dirs.tmpDir, dirs.logDir])
        mkdirSync(d, { recursive: true });
    const get = async (source, o = {}) => {
        const dest = resolveDestination(o.destination ?? 'local/', dirs, { NOMAD_TASK_DIR: '/local' }, node);
        await getArtifact({
            source,
            options: o.options ?? {},
            headers: o.headers ?? {},
            mode: o.mode ?? 'any',
            destination: dest.path,
            sandbox: dest.sandbox,
            stagingDir: dirs.dir,
            localRoots: [alloc, ...(o.roots ?? [])],
            config: { ...DEFAULT_GETTER_CONFIG, ...o.config },
            signal: AbortSignal.timeout(scaled(20_000)), // a hang guard only
        });
    };
    /** Files under the task dir, staging dirs included: proves nothing was left behind. */
    const listing = (d = dirs.dir) => readdirSync(d, { recursive: true }).map(String).sort();
    return { alloc, dirs, get, listing, local: (...p) => join(dirs.localDir, ...p) };
}
const digest = (algo, data) => createHash(algo).update(data).digest('hex');
let srv;
let work;
before(async () => {
    srv = await startServer();
    work = tempDir('drover-archives-');
});
after(() => srv.close());
/** Serves the file at `path` under `/name`. */
function serve(name, path) {
    srv.routes.set(`/${name}`, { body: readFileSync(path) });
    return `${srv.base}/${name}`;
}
describe('http', () => {
    test('a plain file lands in local/ under its URL name, with the artifact headers sent', async () => {
        const f = fixture();
        srv.routes.set('/hello.txt', { body: 'hello\n' });
        await f.get(`${srv.base}/hello.txt?version=3`, { headers: { 'X-Token': 'abc', Authorization: 'Bearer t' } });
        assert.equal(readFileSync(f.local('hello.txt'), 'utf8'), 'hello\n');
        const req = srv.requests.findLast((r) => r.path === '/hello.txt');
        assert.equal(req?.headers['x-token'], 'abc');
        assert.equal(req?.headers.authorization, 'Bearer t');
        // Ordinary query parameters reach the server; nothing is left in the task dir but the file.
        assert.equal(req?.url, '/hello.txt?version=3');
        assert.deepEqual(f.listing(), ['local', 'local/hello.txt', 'secrets', 'tmp']);
    });
    test('options other than the magic ones become query parameters; filename renames', async () => {
        const f = fixture();
        srv.routes.set('/q', { body: 'q' });
        await f.get(`${srv.base}/q`, { options: { filename: 'renamed.bin', channel: 'beta' } });
        assert.equal(readFileSync(f.local('renamed.bin'), 'utf8'), 'q');
        assert.equal(srv.requests.findLast((r) => r.path === '/q')?.url, '/q?channel=beta');
    });
    test('redirects are followed', async () => {
        const f = fixture();
        srv.routes.set('/moved.txt', { status: 302, headers: { location: '/target.txt' } });
        srv.routes.set('/target.txt', { body: 'arrived' });
        await f.get(`${srv.base}/moved.txt`);
        assert.equal(readFileSync(f.local('moved.txt'), 'utf8'), 'arrived');
    });
    test('a non-2xx status fails with the code and leaves nothing', async () => {
        const f = fixture();
        srv.routes.set('/gone', { status: 404 });
        await assert.rejects(f.get(`${srv.base}/gone`), /bad response code: 404/);
        assert.deepEqual(f.listing(), ['local', 'secrets', 'tmp']);
    });
    test('a server that never answers times out', async () => {
        const f = fixture();
        srv.routes.set('/hang', { hang: true });
        await assert.rejects(f.get(`${srv.base}/hang`, { config: { httpTimeoutMs: 200 } }), /timed out after 200 ms/);
        assert.deepEqual(f.listing(), ['local', 'secrets', 'tmp']);
    });
    test('a download over the byte cap is refused', async () => {
        const f = fixture();
        srv.routes.set('/big', { body: Buffer.alloc(5000) });
        await assert.rejects(f.get(`${srv.base}/big`, { config: { httpMaxBytes: 1000 } }), /larger than the limit of 1000 bytes/);
        // Without Content-Length the cap is enforced while streaming.
        srv.routes.set('/big-chunked', { body: Buffer.alloc(5000), headers: { 'transfer-encoding': 'chunked' } });
        await assert.rejects(f.get(`${srv.base}/big-chunked`, { config: { httpMaxBytes: 1000 } }), /larger than the limit of 1000 bytes/);
        assert.deepEqual(f.listing(), ['local', 'secrets', 'tmp']);
    });
});
describe('checksum', () => {
    const body = 'artifact body\n';
    for (const algo of ['md5', 'sha1', 'sha256', 'sha512']) {
        test(`${algo}: a match downloads, a mismatch fails naming both digests and leaves nothing`, async () => {
            const f = fixture();
            srv.routes.set(`/sum-${algo}.txt`, { body });
            await f.get(`${srv.base}/sum-${algo}.txt`, { options: { checksum: `${algo}:${digest(algo, body)}` } });
            assert.equal(readFileSync(f.local(`sum-${algo}.txt`), 'utf8'), body);
            const g = fixture();
            const wrong = digest(algo, 'something else');
            await assert.rejects(g.get(`${srv.base}/sum-${algo}.txt`, { options: { checksum: `${algo}:${wrong}` } }), (err) => err.message === `checksum mismatch: expected ${algo}:${wrong} got ${algo}:${digest(algo, body)}`);
            assert.deepEqual(g.listing(), ['local', 'secrets', 'tmp']);
        });
    }
    test('a bare value names its type by length; the query form works too', async () => {
        const f = fixture();
        srv.routes.set('/bare.txt', { body });
        await f.get(`${srv.base}/bare.txt?checksum=${digest('sha256', body)}`);
        assert.ok(existsSync(f.local('bare.txt')));
        // The checksum never reaches the server.
        assert.equal(srv.requests.findLast((r) => r.path === '/bare.txt')?.url, '/bare.txt');
    });
    test('bad checksum values are rejected before downloading', async () => {
        const f = fixture();
        srv.routes.set('/x', { body });
        await assert.rejects(f.get(`${srv.base}/x`, { options: { checksum: 'crc32:00000000' } }), /unsupported checksum type: crc32/);
        await assert.rejects(f.get(`${srv.base}/x`, { options: { checksum: 'sha256:abcd' } }), /invalid sha256 checksum/);
        await assert.rejects(f.get(`${srv.base}/x`, { options: { checksum: 'sha256:zz' } }), /is not hex/);
    });
    test('the checksum is verified before unpacking: a tampered archive writes nothing', async () => {
        const f = fixture();
        const src = join(work, 'cs-src');
        mkdirSync(src, { recursive: true });
        writeFileSync(join(src, 'a.txt'), 'a');
        run('tar', ['-czf', join(work, 'cs.tgz'), '-C', src, '.']);
        const url = serve('cs.tgz', join(work, 'cs.tgz'));
        await assert.rejects(f.get(url, { options: { checksum: `sha256:${'0'.repeat(64)}` } }), /checksum mismatch/);
        assert.deepEqual(f.listing(), ['local', 'secrets', 'tmp']);
    });
});
describe('archives', () => {
    /** A tree with a nested dir, an executable and an inside symlink. */
    function tree() {
        const src = join(work, 'tree');
        if (existsSync(src))
            return src;
        mkdirSync(join(src, 'bin'), { recursive: true });
        writeFileSync(join(src, 'bin', 'app'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
        writeFileSync(join(src, 'README'), 'read me\n');
        symlinkSync('bin/app', join(src, 'run'));
        return src;
    }
    const check = (f, under = '') => {
        assert.equal(readFileSync(f.local(under, 'README'), 'utf8'), 'read me\n');
        assert.equal(statSync(f.local(under, 'bin', 'app')).mode & 0o777, 0o755);
        assert.equal(readlinkSync(f.local(under, 'run')), 'bin/app');
        assert.equal(readFileSync(f.local(under, 'run'), 'utf8'), '#!/bin/sh\necho hi\n');
        // Staging is gone.
        assert.ok(!readdirSync(f.dirs.dir).some((n) => n.startsWith('.artifact-')));
    };
    const tarFlags = { tar: '-cf', 'tar.gz': '-czf', tgz: '-czf', 'tar.bz2': '-cjf', 'tar.xz': '-cJf' };
    for (const [ext, flag] of Object.entries(tarFlags)) {
        test(`.${ext} is unpacked into the destination`, { skip: ext === 'tar.bz2' && !have('bzip2') ? 'bzip2 missing' : ext === 'tar.xz' && !have('xz') ? 'xz missing' : false }, async () => {
            const f = fixture();
            run('tar', [flag, join(work, `t.${ext}`), '-C', tree(), '.']);
            await f.get(serve(`t.${ext}`, join(work, `t.${ext}`)));
            check(f);
            assert.ok(!existsSync(f.local(`t.${ext}`)), 'the archive itself is not kept');
        });
    }
    test('.zip is unpacked (modes and symlinks from Unix attributes)', { skip: have('zip') ? false : 'zip missing' }, async () => {
        const f = fixture();
        run('zip', ['-qry', join(work, 't.zip'), '.'], tree());
        await f.get(serve('t.zip', join(work, 't.zip')), { destination: 'local/app' });
        check(f, 'app');
    });
    test('archive=false keeps the archive as a file; archive=zip forces a type', async () => {
        const f = fixture();
        run('tar', ['-czf', join(work, 'keep.tgz'), '-C', tree(), '.']);
        await f.get(serve('keep.tgz', join(work, 'keep.tgz')), { options: { archive: 'false' } });
        assert.deepEqual(readFileSync(f.local('keep.tgz')), readFileSync(join(work, 'keep.tgz')));
        const g = fixture();
        writeZip(join(work, 'noext'), [{ name: 'inside.txt', data: 'zipped' }]);
        await g.get(serve('download', join(work, 'noext')), { options: { archive: 'zip' } });
        assert.equal(readFileSync(g.local('inside.txt'), 'utf8'), 'zipped');
    });
    test('an archive merges into an existing destination, replacing files and keeping others', async () => {
        const f = fixture();
        writeFileSync(f.local('README'), 'old');
        writeFileSync(f.local('mine.txt'), 'kept');
        run('tar', ['-czf', join(work, 'merge.tgz'), '-C', tree(), '.']);
        await f.get(serve('merge.tgz', join(work, 'merge.tgz')));
        check(f);
        assert.equal(readFileSync(f.local('mine.txt'), 'utf8'), 'kept');
    });
    test('limits: too many files or too many bytes stop the unpack and leave nothing', async () => {
        writeZip(join(work, 'bomb.zip'), Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, data: Buffer.alloc(100_000) })), { deflate: true });
        const url = serve('bomb.zip', join(work, 'bomb.zip'));
        const f = fixture();
        await assert.rejects(f.get(url, { config: { decompressionSizeLimitBytes: 250_000 } }), /more than the limit of 250000 bytes/);
        await assert.rejects(f.get(url, { config: { decompressionFileCountLimit: 3 } }), /more than 3 files/);
        // The same for tar, where the parser keeps streaming until told to stop.
        const src = join(work, 'big-tree');
        mkdirSync(src, { recursive: true });
        for (let i = 0; i < 5; i++)
            writeFileSync(join(src, `f${i}`), Buffer.alloc(100_000));
        run('tar', ['-czf', join(work, 'bomb.tgz'), '-C', src, '.']);
        const tgz = serve('bomb.tgz', join(work, 'bomb.tgz'));
        await assert.rejects(f.get(tgz, { config: { decompressionSizeLimitBytes: 250_000 } }), /more than the limit of 250000 bytes/);
        await assert.rejects(f.get(tgz, { config: { decompressionFileCountLimit: 3 } }), /more than 3 files/);
        assert.deepEqual(f.listing(), ['local', 'secrets', 'tmp']);
    });
});
describe('escapes', () => {
    /** A .tgz of (name, kind, data-or-link) rows, written as given. */
    const hostileTar = writeTarGz;
    /** Fetches, expects the error, and checks nothing was written anywhere. */
    async function refused(url, pattern, outside) {
        const f = fixture();
        await assert.rejects(f.get(url), pattern);
        assert.deepEqual(f.listing(), ['local', 'secrets', 'tmp'], 'nothing written in the task dir');
        for (const o of outside)
            assert.ok(!existsSync(o), `${o} must not exist`);
        assert.deepEqual(readdirSync(f.alloc).sort(), ['alloc', 'web']);
        return f;
    }
    test('zip-slip: a ../../ entry is refused by name', async () => {
        const marker = `evil-${process.pid}-slip`;
        writeZip(join(work, 'slip.zip'), [{ name: 'ok.txt', data: 'fine' }, { name: `../../${marker}`, data: 'pwned' }]);
        await refused(serve('slip.zip', join(work, 'slip.zip')), new RegExp(`unsafe entry "../../${marker}": path contains '..'`), [join(work, '..', marker)]);
    });
    test('an absolute entry (/tmp/evil) is refused', async () => {
        const marker = `/tmp/evil-${process.pid}-abs`;
        writeZip(join(work, 'abs.zip'), [{ name: marker, data: 'pwned' }]);
        await refused(serve('abs.zip', join(work, 'abs.zip')), new RegExp(`unsafe entry "${marker}": absolute path`), [marker]);
        hostileTar(join(work, 'abs.tgz'), [[marker, 'file', 'pwned']]);
        await refused(serve('abs.tgz', join(work, 'abs.tgz')), new RegExp(`unsafe entry "${marker}": absolute path`), [marker]);
    });
    test('a tar entry with .. in its path is refused', async () => {
        hostileTar(join(work, 'dots.tgz'), [['a/../../../evil-dots', 'file', 'x']]);
        await refused(serve('dots.tgz', join(work, 'dots.tgz')), /unsafe entry "a\/..\/..\/..\/evil-dots": path contains '..'/, [join(work, 'evil-dots')]);
    });
    test('a symlink to /etc, then a file written through it, is refused at the link', async () => {
        const target = join(work, 'victim-dir');
        mkdirSync(target, { recursive: true });
        hostileTar(join(work, 'symetc.tgz'), [['etc', 'sym', target], ['etc/evil', 'file', 'pwned']]);
        await refused(serve('symetc.tgz', join(work, 'symetc.tgz')), new RegExp(`unsafe entry "etc": symlink to the absolute path "${target}"`), [join(target, 'evil')]);
    });
    test('a relative symlink that climbs out is refused, and so is a file through an inside symlink', async () => {
        hostileTar(join(work, 'symup.tgz'), [['up', 'sym', '../../..'], ['up/evil', 'file', 'x']]);
        await refused(serve('symup.tgz', join(work, 'symup.tgz')), /unsafe entry "up": symlink to "..\/..\/.." points outside the destination/, []);
        hostileTar(join(work, 'symin.tgz'), [['sub', 'dir', ''], ['d', 'sym', 'sub'], ['d/x', 'file', 'x']]);
        await refused(serve('symin.tgz', join(work, 'symin.tgz')), /unsafe entry "d\/x": path goes through the symlink "d"/, []);
    });
    test('symlinks that escape only in combination (L -> ., a -> L/..) are refused', async () => {
        hostileTar(join(work, 'combo.tgz'), [['L', 'sym', '.'], ['a', 'sym', 'L/..']]);
        await refused(serve('combo.tgz', join(work, 'combo.tgz')), /unsafe entry "a": symlink to "L\/.." points outside the destination/, []);
    });
    test('a symlink that escapes only beside an earlier artifact\'s symlink is removed after the merge', async () => {
        const f = fixture();
        hostileTar(join(work, 'first.tgz'), [['L', 'sym', '.']]);
        await f.get(serve('first.tgz', join(work, 'first.tgz')));
        hostileTar(join(work, 'second.tgz'), [['a', 'sym', 'L/..']]);
        await assert.rejects(f.get(serve('second.tgz', join(work, 'second.tgz'))), /unsafe entry "a": symlink points outside the destination once merged/);
        assert.deepEqual(readdirSync(f.dirs.localDir), ['L']);
    });
    test('a zip symlink entry to an absolute path is refused', async () => {
        writeZip(join(work, 'sym.zip'), [{ name: 'link', data: '/etc', mode: 0o120777 }, { name: 'link/passwd', data: 'x' }]);
        await refused(serve('sym.zip', join(work, 'sym.zip')), /unsafe entry "link": symlink to the absolute path "\/etc"/, []);
    });
    test('hard links to outside files are refused', async () => {
        hostileTar(join(work, 'hard.tgz'), [['h', 'hard', '/etc/passwd']]);
        await refused(serve('hard.tgz', join(work, 'hard.tgz')), /unsafe entry "h": hard link to "\/etc\/passwd" points outside the destination/, []);
        hostileTar(join(work, 'hard2.tgz'), [['h', 'hard', '../../../etc/passwd']]);
        await refused(serve('hard2.tgz', join(work, 'hard2.tgz')), /unsafe entry "h": hard link to "..\/..\/..\/etc\/passwd" points outside the destination/, []);
        // A hard link to an earlier entry of the archive is fine.
        const f = fixture();
        hostileTar(join(work, 'hard3.tgz'), [['a', 'file', 'same'], ['b', 'hard', 'a']]);
        await f.get(serve('hard3.tgz', join(work, 'hard3.tgz')));
        assert.equal(readFileSync(f.local('b'), 'utf8'), 'same');
    });
    test('device files are refused', async () => {
        hostileTar(join(work, 'dev.tgz'), [['null', 'chr', '']]);
        await refused(serve('dev.tgz', join(work, 'dev.tgz')), /unsafe entry "null": device entries are not allowed/, []);
    });
    test('a destination outside the task and alloc dirs is refused; alloc/ and chroot-style paths resolve', async () => {
        const f = fixture();
        srv.routes.set('/d.txt', { body: 'd' });
        await assert.rejects(f.get(`${srv.base}/d.txt`, { destination: '../../outside' }), /destination "..\/..\/outside" escapes the task and alloc directories/);
        assert.ok(!existsSync(join(f.alloc, '..', 'outside')));
        // Nomad allows the shared alloc dir, and a chroot task's "/local/..." means the task's local dir.
        await f.get(`${srv.base}/d.txt`, { destination: '../alloc/data' });
        assert.equal(readFileSync(join(f.dirs.sharedAllocDir, 'data', 'd.txt'), 'utf8'), 'd');
        await f.get(`${srv.base}/d.txt`, { destination: '${NOMAD_TASK_DIR}/conf' });
        assert.equal(readFileSync(f.local('conf', 'd.txt'), 'utf8'), 'd');
    });
    test('a destination reached through a symlink is refused', async () => {
        const f = fixture();
        const victim = join(work, 'victim-dest');
        mkdirSync(victim, { recursive: true });
        symlinkSync(victim, f.local('sneaky'));
        srv.routes.set('/s.txt', { body: 's' });
        await assert.rejects(f.get(`${srv.base}/s.txt`, { destination: 'local/sneaky/deeper' }), /path goes through the symlink "local\/sneaky"/);
        assert.deepEqual(readdirSync(victim), []);
    });
});
describe('mode', () => {
    test('file: the destination is the file path', async () => {
        const f = fixture();
        srv.routes.set('/bin/tool', { body: 'tool' });
        await f.get(`${srv.base}/bin/tool`, { mode: 'file', destination: 'local/bin/renamed' });
        assert.equal(readFileSync(f.local('bin', 'renamed'), 'utf8'), 'tool');
        assert.ok(lstatSync(f.local('bin')).isDirectory());
    });
    test('file with an archive: the single file inside becomes the destination', async () => {
        const f = fixture();
        writeZip(join(work, 'one.zip'), [{ name: 'only', data: 'one' }]);
        await f.get(serve('one.zip', join(work, 'one.zip')), { mode: 'file', destination: 'local/the-file' });
        assert.equal(readFileSync(f.local('the-file'), 'utf8'), 'one');
        writeZip(join(work, 'two.zip'), [{ name: 'a', data: '1' }, { name: 'b', data: '2' }]);
        await assert.rejects(f.get(serve('two.zip', join(work, 'two.zip')), { mode: 'file', destination: 'local/x' }), /expected a single file/);
    });
    test('dir: an archive unpacks; a plain http file cannot be a directory', async () => {
        const f = fixture();
        writeZip(join(work, 'dir.zip'), [{ name: 'd/f', data: 'dir mode' }]);
        await f.get(serve('dir.zip', join(work, 'dir.zip')), { mode: 'dir', destination: 'local/out' });
        assert.equal(readFileSync(f.local('out', 'd', 'f'), 'utf8'), 'dir mode');
        srv.routes.set('/plain', { body: 'p' });
        await assert.rejects(f.get(`${srv.base}/plain`, { mode: 'dir' }), /directories cannot be downloaded over http/);
    });
    test('any: a URL ending in "/" cannot name a file', async () => {
        const f = fixture();
        srv.routes.set('/', { body: 'index' });
        await assert.rejects(f.get(`${srv.base}/`), /cannot name the downloaded file/);
    });
});
describe('local sources', () => {
    test('file:// and absolute paths inside an allowed root are copied; outside ones are refused', async () => {
        const f = fixture();
        const root = tempDir('drover-local-');
        writeFileSync(join(root, 'conf.txt'), 'local conf');
        await f.get(pathToFileURL(join(root, 'conf.txt')).href, { roots: [root] });
        assert.equal(readFileSync(f.local('conf.txt'), 'utf8'), 'local conf');
        assert.ok(!lstatSync(f.local('conf.txt')).isSymbolicLink(), 'copied, not linked');
        await assert.rejects(f.get('/etc/hostname'), /local source \/etc\/hostname is outside the directories artifacts may be read from/);
        // A symlink inside an allowed root that points out does not get around it.
        symlinkSync('/etc/hostname', join(root, 'link'));
        await assert.rejects(f.get(join(root, 'link'), { roots: [root] }), /is outside the directories/);
        await assert.rejects(f.get('relative/path'), /relative source paths are not supported/);
    });
    test('a local directory is copied with the archive rules', async () => {
        const f = fixture();
        const root = tempDir('drover-localdir-');
        mkdirSync(join(root, 'site', 'css'), { recursive: true });
        writeFileSync(join(root, 'site', 'index.html'), '<h1>');
        writeFileSync(join(root, 'site', 'css', 'a.css'), 'a{}');
        symlinkSync('index.html', join(root, 'site', 'home.html'));
        await f.get(join(root, 'site'), { destination: 'local/www', roots: [root] });
        assert.equal(readFileSync(f.local('www', 'css', 'a.css'), 'utf8'), 'a{}');
        assert.equal(readlinkSync(f.local('www', 'home.html')), 'index.html');
        symlinkSync('/etc', join(root, 'site', 'etc'));
        await assert.rejects(f.get(join(root, 'site'), { destination: 'local/www2', roots: [root] }), /unsafe entry "etc": symlink to the absolute path/);
        assert.ok(!existsSync(f.local('www2')));
    });
});
describe('git', { skip: have('git') ? false : 'git is not installed' }, () => {
    let repo;
    let first;
    before(() => {
        const root = tempDir('drover-git-');
        repo = join(root, 'repo.git');
        const wt = join(root, 'wt');
        const g = (...args) => run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], wt);
        run('git', ['init', '-q', '--bare', '-b', 'main', repo]);
        run('git', ['clone', '-q', repo, wt]);
        writeFileSync(join(wt, 'version'), 'v1\n');
        g('add', '.');
        g('commit', '-qm', 'one');
        g('tag', 'v1');
        first = g('rev-parse', 'HEAD').trim();
        writeFileSync(join(wt, 'version'), 'v2\n');
        g('commit', '-qam', 'two');
        g('push', '-q', 'origin', 'main', '--tags');
    });
    test('git:: clones the default branch shallowly into the destination', async () => {
        const f = fixture();
        await f.get(`git::${repo}`, { destination: 'local/repo', roots: [repo] });
        assert.equal(readFileSync(f.local('repo', 'version'), 'utf8'), 'v2\n');
        assert.equal(run('git', ['rev-list', '--count', 'HEAD'], f.local('repo')).trim(), '1', 'shallow');
    });
    test('ref selects a tag or a commit', async () => {
        const f = fixture();
        await f.get(`git::${pathToFileURL(repo).href}?ref=v1`, { destination: 'local/tag', roots: [repo] });
        assert.equal(readFileSync(f.local('tag', 'version'), 'utf8'), 'v1\n');
        await f.get(`git::${repo}`, { destination: 'local/sha', options: { ref: first }, roots: [repo] });
        assert.equal(readFileSync(f.local('sha', 'version'), 'utf8'), 'v1\n');
    });
    test('a bad ref fails with git\'s reason; a repo outside the allowed roots is refused', async () => {
        const f = fixture();
        await assert.rejects(f.get(`git::${repo}`, { destination: 'local/bad', options: { ref: 'nope' }, roots: [repo] }), /git clone failed \(exit status 128\): .*nope/s);
        assert.ok(!existsSync(f.local('bad')));
        await assert.rejects(f.get(`git::${repo}`, { destination: 'local/r' }), /is outside the directories/);
    });
    test('without git on PATH the error says so', async () => {
        const f = fixture();
        const path = process.env.PATH;
        process.env.PATH = '/nonexistent';
        try {
            await assert.rejects(f.get(`git::${repo}`, { destination: 'local/r', roots: [repo] }), /git sources need the git binary, which is not installed/);
        }
        finally {
            process.env.PATH = path;
        }
    });
});
//# sourceMappingURL=get.test.js.map