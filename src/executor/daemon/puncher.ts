/**
 * Releases copied spool bytes. A spool's pages stay charged to the memory
 * cgroup of the task that wrote them until punched out (or, as page cache of
 * a disk file, written back and reclaimed): punched soon after their copy,
 * they rarely reach the disk. The native addon punches with one fallocate(2)
 * (~µs), every MiB; without it, util-linux `fallocate --punch-hole` costs a
 * process per punch, so it runs every 32 MiB.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import type { HolePuncher } from '../logs/spool.js';
import { isErrno } from '../../model/errors.js';
import { nativeAddon } from './native.js';

const MiB = 1024 * 1024;

/** The daemon's puncher: native when the addon is built, else the util-linux tool. */
export function spoolPuncher(log: (msg: string) => void): HolePuncher {
  const addon = nativeAddon;
  if (!addon) return fallocatePuncher(log);
  let disabled = false;
  return {
    every: MiB,
    punch(file, length, done) {
      if (disabled || length <= 0) return done();
      try {
        const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW);
        try {
          addon.punchHole(fd, length);
        } finally {
          fs.closeSync(fd);
        }
      } catch (err) {
        // A spool removed meanwhile (task destroyed) is fine; a filesystem that cannot punch is not.
        if (!isErrno(err, 'ENOENT') && !disabled) {
          disabled = true;
          log(`spool hole punching disabled (spools grow until their task is destroyed): ${(err as Error).message}`);
        }
      }
      done();
    },
  };
}

/** A puncher that turns itself off (logging once) when the tool or the filesystem cannot punch holes. */
export function fallocatePuncher(log: (msg: string) => void): HolePuncher {
  let disabled = false;
  return {
    every: 32 * MiB,
    punch(file, length, done) {
      if (disabled || length <= 0) return done();
      execFile('fallocate', ['--punch-hole', '--offset', '0', '--length', String(length), file], (err, _stdout, stderr) => {
        // A spool removed meanwhile (task destroyed) is fine; a missing tool or filesystem support is not.
        const unsupported = err !== null && ((err as NodeJS.ErrnoException).code === 'ENOENT' || /not supported/i.test(String(stderr)));
        if (unsupported && !disabled) {
          disabled = true;
          log(`spool hole punching disabled (spools grow until their task is destroyed): ${err.message.trim()}`);
        }
        done();
      });
    },
  };
}
