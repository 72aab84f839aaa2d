/**
 * Test helpers for artifacts: a real HTTP server on 127.0.0.1 with scripted
 * responses and a request log, and archive builders. Hostile archives (no
 * well-behaved tool writes `..` entries, absolute paths or devices) are
 * written byte by byte here: a ustar header is 512 bytes of fixed fields and a
 * zip is local headers, a central directory and an end record, so no tool has
 * to be installed to build them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
/** Starts a server on a random loopback port. */
export async function startServer() {
    const routes = new Map();
    const requests = [];
    const count = (path) => requests.filter((r) => r.path === path).length;
    const server = createServer((req, res) => {
        const path = (req.url ?? '/').replace(/\?.*$/, '');
        requests.push({ path, url: req.url ?? '/', headers: req.headers });
        const route = routes.get(path);
        const reply = typeof route === 'function' ? route(count(path)) : route;
        if (reply?.hang)
            return;
        res.writeHead(reply?.status ?? (reply ? 200 : 404), reply?.headers ?? {});
        res.end(reply?.body ?? (reply ? '' : 'not found'));
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address();
    return {
        base: `http://127.0.0.1:${port}`,
        routes,
        requests,
        count,
        close: () => new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
        }),
    };
}
/** A fresh temp directory. */
export function tempDir(prefix = 'drover-artifact-') {
    return mkdtempSync(join(tmpdir(), prefix));
}
const TAR_TYPE = { file: '0', hard: '1', sym: '2', chr: '3', dir: '5' };
/**
 * Writes a gzipped ustar archive of `rows` exactly as given (names are not
 * cleaned, links not checked); returns `out`. Devices are 1:3 (/dev/null's).
 */
export function writeTarGz(out, rows) {
    const blocks = [];
    for (const [name, kind, arg] of rows) {
        const data = kind === 'file' ? Buffer.from(arg) : Buffer.alloc(0);
        blocks.push(ustarHeader({ name, type: TAR_TYPE[kind], size: data.length, linkname: kind === 'sym' || kind === 'hard' ? arg : '', mode: kind === 'file' ? 0o644 : 0o755 }));
        blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
    }
    blocks.push(Buffer.alloc(1024)); // two zero blocks end the archive
    writeFileSync(out, gzipSync(Buffer.concat(blocks)));
    return out;
}
function ustarHeader(h) {
    const b = Buffer.alloc(512);
    const str = (off, len, v) => {
        const bytes = Buffer.from(v);
        if (bytes.length > len)
            throw new Error(`tar field too long: ${v}`);
        bytes.copy(b, off);
    };
    const octal = (off, len, v) => str(off, len, `${v.toString(8).padStart(len - 1, '0')}\0`);
    str(0, 100, h.name);
    octal(100, 8, h.mode);
    octal(108, 8, 0); // uid
    octal(116, 8, 0); // gid
    octal(124, 12, h.size);
    octal(136, 12, Math.floor(Date.now() / 1000));
    str(156, 1, h.type);
    str(157, 100, h.linkname);
    str(257, 6, 'ustar\0');
    str(263, 2, '00');
    octal(329, 8, h.type === TAR_TYPE.chr ? 1 : 0); // devmajor
    octal(337, 8, h.type === TAR_TYPE.chr ? 3 : 0); // devminor
    // The checksum is the byte sum with its own field read as spaces.
    b.fill(' ', 148, 156);
    let sum = 0;
    for (const x of b)
        sum += x;
    str(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    return b;
}
/** Writes a zip of `rows` exactly as named ("made by Unix"), stored or deflated; returns `out`. */
export function writeZip(out, rows, opts = {}) {
    const locals = [];
    const central = [];
    let offset = 0;
    for (const row of rows) {
        const name = Buffer.from(row.name);
        const raw = Buffer.from(row.data);
        const body = opts.deflate ? deflateRawSync(raw) : raw;
        const method = opts.deflate ? 8 : 0;
        const crc = crc32(raw);
        const local = Buffer.alloc(30);
        local.writeUInt32LE(0x04034b50, 0);
        local.writeUInt16LE(20, 4); // version needed
        local.writeUInt16LE(0x800, 6); // flags: UTF-8 names
        local.writeUInt16LE(method, 8);
        local.writeUInt16LE(0, 10); // DOS time 00:00
        local.writeUInt16LE(0x21, 12); // DOS date 1980-01-01
        local.writeUInt32LE(crc, 14);
        local.writeUInt32LE(body.length, 18);
        local.writeUInt32LE(raw.length, 22);
        local.writeUInt16LE(name.length, 26);
        local.writeUInt16LE(0, 28); // extra length
        const entry = Buffer.alloc(46);
        entry.writeUInt32LE(0x02014b50, 0);
        entry.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, spec 2.0
        local.copy(entry, 6, 4, 30); // version needed … name length, as in the local header
        // extra, comment, disk number and internal attributes stay 0
        entry.writeUInt32LE(((row.mode ?? 0o100644) << 16) >>> 0, 38);
        entry.writeUInt32LE(offset, 42);
        locals.push(local, name, body);
        central.push(entry, name);
        offset += local.length + name.length + body.length;
    }
    const cd = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(rows.length, 8);
    end.writeUInt16LE(rows.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(offset, 16);
    writeFileSync(out, Buffer.concat([...locals, cd, end]));
    return out;
}
/** Runs a command, throwing with its stderr on failure. */
export function run(cmd, args, cwd) {
    const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
    if (r.error)
        throw r.error;
    if (r.status !== 0)
        throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
}
/** Whether a binary is on PATH. */
export function have(bin) {
    return spawnSync(bin, ['--version'], { stdio: 'ignore' }).error === undefined;
}
//# sourceMappingURL=testing.js.map