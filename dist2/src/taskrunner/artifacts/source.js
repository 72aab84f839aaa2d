/**
 * Turns an artifact's source and options into what to fetch, following
 * go-getter: options become URL query parameters, the magic ones (archive,
 * checksum, filename; ref and depth for git) are taken out, a `git::` prefix
 * forces git, `git@host:path` and `github.com/owner/repo` mean git, and plain
 * absolute paths mean local files.
 */
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseChecksum } from './checksum.js';
/** Archive types drover unpacks (go-getter's names). */
export const ARCHIVE_TYPES = ['tar', 'tar.gz', 'tgz', 'tar.bz2', 'tbz2', 'tar.xz', 'txz', 'zip'];
/** go-getter decompressors drover does not offer: named so `archive=` with them fails clearly. */
const UNSUPPORTED_ARCHIVES = ['gz', 'bz2', 'xz', 'zst', 'tar.zst', 'tzst'];
/** Parses a source (already interpolated) with its options; throws a readable error. */
export function parseSource(source, options) {
    const forced = /^([A-Za-z0-9+.-]+)::(.*)$/s.exec(source);
    const force = forced?.[1]?.toLowerCase();
    const rest = forced ? forced[2] : source;
    if (force !== undefined && !['git', 'http', 'https', 'file'].includes(force))
        throw new Error(`download not supported for scheme '${force}'`);
    const { base, query } = splitQuery(rest);
    for (const [k, v] of Object.entries(options))
        query.set(k, v);
    const take = (k) => {
        const v = query.get(k) ?? undefined;
        query.delete(k);
        return v;
    };
    const archiveOpt = take('archive');
    const checksumOpt = take('checksum');
    const filename = take('filename');
    const checksum = checksumOpt === undefined || checksumOpt === '' ? undefined : parseChecksum(checksumOpt);
    const common = (path) => ({ path, archive: archiveFor(path, archiveOpt), checksum, filename });
    const scpLike = /^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+:(?!\/\/)/.test(base);
    const github = /^github\.com\/[^/]+\/[^/]+$/.test(base);
    if (force === 'git' || scpLike || github) {
        const ref = take('ref');
        const depthOpt = take('depth');
        if (take('sshkey') !== undefined)
            throw new Error('the sshkey option is not supported; use the agent user\'s ssh configuration');
        const depth = depthOpt === undefined ? undefined : Number(depthOpt);
        if (depth !== undefined && !(Number.isInteger(depth) && depth >= 0))
            throw new Error(`invalid git depth ${JSON.stringify(depthOpt)}`);
        let repo = github ? `https://${base.endsWith('.git') ? base : `${base}.git`}` : base;
        if (/^https?:\/\//.test(repo) && [...query].length > 0)
            repo = `${repo}?${query.toString()}`;
        const path = repo.replace(/^[^:]*:\/*[^/]*/, '').replace(/\?.*$/, '');
        return { kind: 'git', repo, ref: ref || undefined, depth, common: common(path) };
    }
    if (/^https?:\/\//i.test(base)) {
        const url = new URL(base);
        url.search = query.toString();
        return { kind: 'http', url, common: common(safeDecode(url.pathname)) };
    }
    if (/^file:/i.test(base)) {
        const path = fileURLToPath(base);
        return { kind: 'file', path, common: common(path) };
    }
    if (isAbsolute(base))
        return { kind: 'file', path: base, common: common(base) };
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(base))
        throw new Error(`download not supported for scheme '${base.slice(0, base.indexOf(':'))}'`);
    throw new Error(`relative source paths are not supported: ${JSON.stringify(base)}`);
}
function safeDecode(p) {
    try {
        return decodeURIComponent(p);
    }
    catch {
        return p;
    }
}
/** Separates "base?query" without treating scp-like or path sources as URLs. */
function splitQuery(s) {
    const i = s.indexOf('?');
    return i < 0 ? { base: s, query: new URLSearchParams() } : { base: s.slice(0, i), query: new URLSearchParams(s.slice(i + 1)) };
}
/** The forced archive type, or the longest known extension of the path (go-getter's rule). */
function archiveFor(path, opt) {
    if (opt !== undefined && opt !== '') {
        if (['false', '0', 'f', 'F', 'FALSE', 'False'].includes(opt))
            return undefined;
        if (ARCHIVE_TYPES.includes(opt))
            return opt;
        if (UNSUPPORTED_ARCHIVES.includes(opt))
            throw new Error(`archive type "${opt}" is not supported`);
        // go-getter ignores names it has no decompressor for.
        return undefined;
    }
    let best;
    for (const t of ARCHIVE_TYPES)
        if (path.endsWith(`.${t}`) && t.length > (best?.length ?? 0))
            best = t;
    return best;
}
//# sourceMappingURL=source.js.map