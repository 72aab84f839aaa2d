/**
 * Safe access to files under an allocation directory for the fs API. Paths
 * are relative to the alloc dir ("/" is its root, as in Nomad); a path that
 * leaves it, by `..` or through a symlink, is refused after resolving every
 * link (realpath), and task secrets/ dirs cannot be read.
 *
 * Tasks own the alloc dir and may swap any file or directory in it for a
 * symlink at any moment, so a path checked by realpath may point elsewhere
 * by the time it is opened. What is served is therefore always read from a
 * file descriptor: opened without following a final link (O_PATH|O_NOFOLLOW),
 * checked again by where the descriptor really is (/proc/self/fd), reopened
 * through that descriptor to read, and directories are listed through it,
 * their entries lstat'ed.
 */
import { open, readdir, readlink, realpath, lstat, type FileHandle } from 'node:fs/promises';
import { constants, type Stats } from 'node:fs';
import { dirname, join, relative, sep, isAbsolute } from 'node:path';
import type { ApiAllocFileInfo } from '../../model/nomad-api/index.js';
import { DroverError, isErrno } from '../../model/errors.js';
import { NotFoundError, PermissionDeniedError } from './errors.js';

/** Why a path was refused. */
export class PathEscapeError extends PermissionDeniedError {
  constructor() {
    super('Path escapes the alloc directory');
  }
}

/** Resolves `userPath` inside `allocDir` to a real path; throws PathEscapeError, NotFoundError or a 400. */
export async function resolveInAlloc(allocDir: string, userPath: string, opts: { forRead?: boolean } = {}): Promise<string> {
  if (userPath.includes('\0')) throw new DroverError('validation', 'path: contains a NUL byte');
  const joined = join(allocDir, userPath);
  if (escapes(allocDir, joined)) throw new PathEscapeError();
  let rootReal: string;
  let real: string;
  try {
    rootReal = await realpath(allocDir);
  } catch (err) {
    if (!isErrno(err, 'ENOENT', 'ENOTDIR')) throw err;
    throw new NotFoundError('alloc directory does not exist');
  }
  try {
    real = await realpath(joined);
  } catch (err) {
    // A link loop (a -> b -> a) resolves nowhere: refused as a link that leads out.
    if (isErrno(err, 'ELOOP')) throw new PathEscapeError();
    if (!isErrno(err, 'ENOENT', 'ENOTDIR')) throw err;
    // Missing: still an escape if the nearest existing ancestor (links resolved) is outside,
    // or if the path itself is a dangling link.
    if (await lstat(joined).then(() => true, () => false)) throw new PathEscapeError();
    if (escapes(rootReal, await nearestReal(joined))) throw new PathEscapeError();
    throw new NotFoundError(`stat ${userPath}: no such file or directory`);
  }
  checkInside(rootReal, real, userPath, opts);
  return real;
}

function checkInside(rootReal: string, real: string, userPath: string, opts: { forRead?: boolean }): void {
  if (escapes(rootReal, real)) throw new PathEscapeError();
  if (opts.forRead && relative(rootReal, real).split(sep)[1] === 'secrets') {
    throw new PermissionDeniedError(`Reading secret file prohibited: ${userPath}`);
  }
}

/** A file or directory of an alloc dir, open and verified: serve from `fh`, never by path. */
export interface AllocFile {
  /** An O_PATH descriptor: fstat and {@link reopenForRead} only. */
  readonly fh: FileHandle;
  readonly st: Stats;
  /** Where the descriptor is (inside the alloc dir). */
  readonly real: string;
}

/**
 * Linux's O_PATH (not in Node's fs.constants): a descriptor that names a file without opening
 * it, so a socket, FIFO or device the task planted is never opened for real (no ENXIO, no hang,
 * no side effect) while it is checked.
 */
const O_PATH = 0o10000000;

/**
 * Opens `userPath` inside `allocDir` as {@link resolveInAlloc} resolves it, then checks what
 * was opened: a final component swapped for a link since the check is the link itself
 * (O_NOFOLLOW) and refused, a parent swapped for a link shows in the descriptor's real path.
 * The caller closes `fh`.
 */
export async function openInAlloc(allocDir: string, userPath: string, opts: { forRead?: boolean } = {}): Promise<AllocFile> {
  const real = await resolveInAlloc(allocDir, userPath, opts);
  const rootReal = await realpath(allocDir);
  const fh = await open(real, O_PATH | constants.O_NOFOLLOW).catch((err: unknown) => {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) throw new NotFoundError(`stat ${userPath}: no such file or directory`);
    throw err;
  });
  try {
    const st = await fh.stat();
    if (st.isSymbolicLink()) throw new PathEscapeError();
    const actual = await openedPath(fh);
    checkInside(rootReal, actual, userPath, opts);
    return { fh, st, real: actual };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/**
 * A readable descriptor of the very file `f` names, reopened through /proc/self/fd (which
 * does not walk the path again). O_NONBLOCK: a FIFO must not hang the open. The caller closes it.
 */
export function reopenForRead(f: AllocFile): Promise<FileHandle> {
  return open(`/proc/self/fd/${f.fh.fd}`, constants.O_RDONLY | constants.O_NONBLOCK);
}

/** Throws PathEscapeError unless the open `fh` is under `allocDir` (for files opened by name, as logs are). */
export async function assertOpenedInAlloc(allocDir: string, fh: FileHandle): Promise<void> {
  checkInside(await realpath(allocDir), await openedPath(fh), '', {});
}

/** Where an open descriptor really is, whatever links led to it. */
async function openedPath(fh: FileHandle): Promise<string> {
  const p = await readlink(`/proc/self/fd/${fh.fd}`);
  // An unlinked file reads "… (deleted)"; still where it was.
  return p.endsWith(' (deleted)') ? p.slice(0, -' (deleted)'.length) : p;
}

/** realpath of the longest existing prefix of `p`. */
async function nearestReal(p: string): Promise<string> {
  for (let cur = dirname(p); ; cur = dirname(cur)) {
    try {
      return await realpath(cur);
    } catch (err) {
      if (!isErrno(err, 'ENOENT', 'ENOTDIR')) throw err;
      if (dirname(cur) === cur) return cur;
    }
  }
}

function escapes(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/** Nomad's AllocFileInfo for an open file (Nomad's FileSystem.Stat). */
export async function fileInfo(f: AllocFile, name: string): Promise<ApiAllocFileInfo> {
  return info(f.st, name, async () => {
    if (!f.st.isFile() || f.st.size === 0) return sniff(undefined, f.st);
    const fh = await reopenForRead(f);
    try {
      return await sniff(fh, f.st);
    } finally {
      await fh.close();
    }
  });
}

function info(st: Stats, name: string, type: () => Promise<string>): Promise<ApiAllocFileInfo> {
  return (async () => ({
    Name: name,
    IsDir: st.isDirectory(),
    Size: st.isDirectory() ? 4096 : st.size,
    FileMode: goFileMode(st),
    ModTime: st.mtime.toISOString(),
    ContentType: st.isDirectory() ? '' : await type(),
  }))();
}

/**
 * Lists an open directory (Nomad's FileSystem.List): through the descriptor, so a directory
 * swapped for a link since it was opened is not followed; entries are lstat'ed (a link shows
 * as one, mode "L…", as Nomad's os.ReadDir shows it), and never opened through a link.
 */
export async function listDir(dir: AllocFile): Promise<ApiAllocFileInfo[]> {
  if (!dir.st.isDirectory()) throw new DroverError('validation', 'path is not a directory');
  const via = `/proc/self/fd/${dir.fh.fd}`;
  const names = (await readdir(via)).sort();
  const out: ApiAllocFileInfo[] = [];
  for (const n of names) {
    try {
      const st = await lstat(join(via, n));
      out.push(await info(st, n, () => sniffPath(join(via, n), st)));
    } catch (err) {
      if (!isErrno(err, 'ENOENT', 'ELOOP')) throw err;
      // Vanished between readdir and stat (a rotated log), or swapped for a link: skip it.
    }
  }
  return out;
}

/** Go's os.FileMode.String(): "drwxr-xr-x", "-rw-r--r--". */
function goFileMode(st: Stats): string {
  const kind = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'L' : st.isFIFO() ? 'p' : st.isSocket() ? 'S' : st.isCharacterDevice() ? 'c' : st.isBlockDevice() ? 'D' : '-';
  const bits = 'rwxrwxrwx';
  let perm = '';
  for (let i = 0; i < 9; i++) perm += st.mode & (1 << (8 - i)) ? bits[i] : '-';
  return kind + perm;
}

/** A small http.DetectContentType: text unless the first 512 bytes hold a NUL. */
async function sniff(fh: FileHandle | undefined, st: Stats): Promise<string> {
  if (!fh || !st.isFile() || st.size === 0) return 'text/plain; charset=utf-8';
  const buf = Buffer.alloc(Math.min(512, st.size));
  const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
  return buf.subarray(0, bytesRead).includes(0) ? 'application/octet-stream' : 'text/plain; charset=utf-8';
}

/** {@link sniff} of a directory entry, opened without following a link it became since its lstat. */
async function sniffPath(path: string, st: Stats): Promise<string> {
  if (!st.isFile() || st.size === 0) return 'text/plain; charset=utf-8';
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    return await sniff(fh, await fh.stat());
  } finally {
    await fh.close();
  }
}
