/**
 * Fetches one artifact the way go-getter does for Nomad: download (checksum
 * verified on the way), unpack archives, and honour mode file|dir|any. All
 * work happens in a staging directory beside the destination, removed at the
 * end, so a failure leaves nothing behind and nothing is ever written
 * outside the sandbox.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactMode } from '../../model/job.js';
import { newHash, verifyChecksum } from './checksum.js';
import { allowedLocalPath, copyLocalDir, copyLocalFile, isLocalDir } from './file.js';
import { gitClone, localRepoPath } from './git.js';
import { httpGet } from './http.js';
import { mergeTree, placeFile } from './place.js';
import { entryParts, escapingSymlinks, UnsafeEntryError } from './safe-path.js';
import { parseSource, type ArchiveType, type Source } from './source.js';
import { TreeWriter } from './tree-writer.js';

/** Client-side getter settings (Nomad's client `artifact {}` block). */
export interface GetterConfig {
  /** Nomad's http_read_timeout: the whole download must finish within it. */
  readonly httpTimeoutMs: number;
  /** Nomad's http_max_size. */
  readonly httpMaxBytes: number;
  readonly gitTimeoutMs: number;
  /** Nomad's decompression_file_count_limit; 0 = none. */
  readonly decompressionFileCountLimit: number;
  /** Nomad's decompression_size_limit; 0 = none. */
  readonly decompressionSizeLimitBytes: number;
}

/** Nomad's defaults. */
export const DEFAULT_GETTER_CONFIG: GetterConfig = {
  httpTimeoutMs: 30 * 60_000,
  httpMaxBytes: 100e9,
  gitTimeoutMs: 30 * 60_000,
  decompressionFileCountLimit: 4096,
  decompressionSizeLimitBytes: 100e9,
};

/** One fetch, with everything already interpolated and resolved. */
export interface GetRequest {
  readonly source: string;
  readonly options: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly mode: ArtifactMode;
  /** Absolute; inside `sandbox`. */
  readonly destination: string;
  /** The directory nothing may be written outside of (the task dir or the shared alloc dir). */
  readonly sandbox: string;
  /** Where the staging directory goes: must be on the same filesystem as the destination. */
  readonly stagingDir: string;
  /** Directories local sources (file://, paths, local git repos) may be read from. */
  readonly localRoots: readonly string[];
  readonly config: GetterConfig;
  readonly signal: AbortSignal;
}

/** Fetches the artifact into its destination. */
export async function getArtifact(req: GetRequest): Promise<void> {
  const src = parseSource(req.source, req.options);
  await mkdir(req.stagingDir, { recursive: true });
  const stage = await mkdtemp(join(req.stagingDir, '.artifact-'));
  try {
    const { archive } = src.common;
    if (archive !== undefined) {
      const download = await fetchFile(src, join(stage, 'download'), req);
      const tree = await unpack(archive, download, join(stage, 'tree'), req.config);
      if (req.mode === 'file') await placeFile(req.sandbox, await singleFile(tree), req.destination);
      else await mergeTree(req.sandbox, tree, req.destination);
      return;
    }
    const mode = req.mode === 'any' ? await guessMode(src, req) : req.mode;
    if (mode === 'file') {
      const staged = await fetchFile(src, join(stage, 'download'), req);
      await placeFile(req.sandbox, staged, req.mode === 'file' ? req.destination : join(req.destination, ...fileName(src)));
      return;
    }
    if (src.common.checksum) throw new Error('checksum cannot be specified for directory download');
    await mergeTree(req.sandbox, await fetchDir(src, join(stage, 'tree'), req), req.destination);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** go-getter's ClientMode for "any": http is a file, git a directory, a local path whichever it is. */
async function guessMode(src: Source, req: GetRequest): Promise<'file' | 'dir'> {
  switch (src.kind) {
    case 'http':
      return 'file';
    case 'git':
      return 'dir';
    case 'file':
      return (await isLocalDir(await allowedLocalPath(src.path, req.localRoots))) ? 'dir' : 'file';
  }
}

/** The file's name under the destination in "any" mode: the `filename` option or the URL's last segment. */
function fileName(src: Source): string[] {
  const name = src.common.filename ?? src.common.path.split('/').pop() ?? '';
  if (name === '') throw new Error('cannot name the downloaded file: the source path ends in "/"; set the filename option or mode = "file"');
  try {
    return entryParts(name);
  } catch (err) {
    throw new Error(`filename ${JSON.stringify(name)} is not allowed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Downloads a single file to `path` and verifies its checksum; returns `path`. */
async function fetchFile(src: Source, path: string, req: GetRequest): Promise<string> {
  const { checksum } = src.common;
  const hash = checksum ? newHash(checksum) : undefined;
  const opts = { maxBytes: req.config.httpMaxBytes, hash, signal: req.signal };
  let written;
  switch (src.kind) {
    case 'http':
      written = await httpGet(src.url, path, { ...opts, headers: req.headers, timeoutMs: req.config.httpTimeoutMs });
      break;
    case 'file':
      written = await copyLocalFile(await allowedLocalPath(src.path, req.localRoots), path, opts);
      break;
    case 'git':
      throw new Error('git sources are repositories: use mode "any" or "dir"');
  }
  if (checksum) verifyChecksum(checksum, written.digest ?? '');
  return path;
}

/** Fetches a directory source into `tree` (which must not exist yet); returns `tree`. */
async function fetchDir(src: Source, tree: string, req: GetRequest): Promise<string> {
  switch (src.kind) {
    case 'http':
      throw new Error('directories cannot be downloaded over http; download an archive instead');
    case 'git': {
      const local = localRepoPath(src.repo);
      if (local !== undefined) await allowedLocalPath(local, req.localRoots);
      await gitClone(src.repo, tree, { ref: src.ref, depth: src.depth, timeoutMs: req.config.gitTimeoutMs, signal: req.signal });
      // A repository may hold symlinks; the same rule as for archives applies.
      const escaping = await escapingSymlinks(tree);
      if (escaping[0] !== undefined) throw new UnsafeEntryError(escaping[0], 'symlink points outside the destination');
      return tree;
    }
    case 'file': {
      const real = await allowedLocalPath(src.path, req.localRoots);
      if (!(await isLocalDir(real))) throw new Error(`source path must be a directory: ${src.path}`);
      await mkdir(tree);
      const writer = new TreeWriter(tree, limits(req.config));
      await copyLocalDir(real, writer);
      await writer.finish();
      return tree;
    }
  }
}

/** Unpacks the verified archive into a new `tree` directory; returns it. */
async function unpack(type: ArchiveType, file: string, tree: string, config: GetterConfig): Promise<string> {
  await mkdir(tree);
  const writer = new TreeWriter(tree, limits(config));
  // The archive libraries (tar, yauzl) load on a first archive: an agent that never unpacks one does not carry them.
  if (type === 'zip') await (await import('./unpack-zip.js')).unpackZip(file, writer);
  else await (await import('./unpack-tar.js')).unpackTar(file, writer, type === 'tar.bz2' || type === 'tbz2' ? 'bzip2' : type === 'tar.xz' || type === 'txz' ? 'xz' : 'none');
  await writer.finish();
  return tree;
}

/** For mode "file" with an archive: the archive must hold exactly one regular file (go-getter's rule). */
async function singleFile(tree: string): Promise<string> {
  const entries = await readdir(tree, { withFileTypes: true, recursive: true });
  const files = entries.filter((e) => e.isFile());
  if (files.length !== 1 || entries.some((e) => !e.isFile() && !e.isDirectory())) throw new Error('expected a single file in the archive for mode "file"');
  const f = files[0] as (typeof files)[number];
  return join(f.parentPath, f.name);
}

function limits(c: GetterConfig): { maxFiles: number; maxBytes: number } {
  return { maxFiles: c.decompressionFileCountLimit, maxBytes: c.decompressionSizeLimitBytes };
}
