/** drover's native addon (src/executor/native/spawn.c, built by `npm ci` / `make build`), when it is built (Linux only). */
import { createRequire } from 'node:module';

export interface NativeAddon {
  spawn(
    o: {
      file: string;
      argv: string[];
      envp: string[];
      cwd: string;
      fds: [number, number, number];
      setsid: boolean;
      cgroupProcs?: readonly string[];
      oomScoreAdj?: number;
      user?: { uid: number; gid: number; groups: readonly number[] };
      netnsPath?: string;
    },
    onExit: (code: number | null, signal: number | null) => void,
  ): number;
  /** flock(fd, LOCK_EX | LOCK_NB): true when taken, false when another open file holds it. */
  tryLock(fd: number): boolean;
  /** fallocate(fd, PUNCH_HOLE | KEEP_SIZE, 0, length). */
  punchHole(fd: number, length: number): void;
}

function load(): NativeAddon | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return createRequire(import.meta.url)('../../../../build/Release/drover_spawn.node') as NativeAddon;
  } catch {
    return undefined;
  }
}

export const nativeAddon = load();
