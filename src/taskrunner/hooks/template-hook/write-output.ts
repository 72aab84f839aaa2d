/**
 * Writes a render to its destination as consul-template's renderer does:
 * only when the content differs from what is on disk, atomically (a temp
 * file in the same directory, then rename), with the template's mode and,
 * when the agent runs as root, its uid/gid.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, rename, rm, writeFile, chmod } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface OutputFile {
  readonly path: string;
  /** Octal mode as written in the job ("0644"). */
  readonly perms: string;
  readonly uid?: number;
  readonly gid?: number;
}

/** Whether the file already holds `content` (so nothing is written and no change_mode fires). */
export async function sameOnDisk(path: string, content: string): Promise<boolean> {
  try {
    return (await readFile(path, 'utf8')) === content;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Writes `content` unless the file already holds it; true when it wrote. */
export async function writeOutput(file: OutputFile, content: string): Promise<boolean> {
  if (await sameOnDisk(file.path, content)) return false;
  const dir = dirname(file.path);
  // consul-template creates missing parent directories (CreateDestDirs defaults to true).
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file.path)}.${randomBytes(4).toString('hex')}.tmp`);
  const mode = parseInt(file.perms, 8);
  try {
    await writeFile(tmp, content, { mode });
    // writeFile's mode is filtered by the umask; the template's perms are not.
    await chmod(tmp, mode);
    if (process.getuid?.() === 0 && (file.uid !== undefined || file.gid !== undefined)) {
      await chown(tmp, file.uid ?? -1, file.gid ?? -1);
    }
    await rename(tmp, file.path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return true;
}

/** A short content hash, kept in hook state per destination. */
export function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}
