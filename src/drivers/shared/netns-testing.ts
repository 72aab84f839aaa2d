/**
 * Test fixture: real named network namespaces, made per test file and
 * removed in its `after`, with the one fact tests compare against: the
 * namespace's identity as `readlink /proc/self/ns/net` prints it inside.
 * Imported by tests only.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetns, destroyNetns, findIp, netnsPath, type NetnsOptions } from './netns.js';

/** One namespace made for a test. */
export interface TestNetns {
  readonly name: string;
  readonly path: string;
  /** "net:[<inode>]": what readlink of /proc/<pid>/ns/net gives for a process inside. */
  readonly link: string;
}

/** Makes namespaces on demand and removes them all at the end. */
export interface NetnsFixture {
  /** Why namespace tests cannot run here (not root, no iproute2), or undefined. */
  readonly skip: string | undefined;
  make(): Promise<TestNetns>;
  /** A name under /var/run/netns that names nothing (for the missing-namespace case). */
  missingPath(): string;
  cleanup(): Promise<void>;
}

/** The link text of the namespace at `path`. */
export function netnsLink(path: string): string {
  return `net:[${statSync(path).ino}]`;
}

/** A fixture whose markers go to a temp dir (not /run/drover/netns), so a leftover never looks like an allocation's. */
export function netnsFixture(): NetnsFixture {
  const skip = process.getuid?.() !== 0 ? 'network namespaces need root' : findIp() === undefined ? 'iproute2 (ip) is not installed' : undefined;
  const markerDir = mkdtempSync(join(tmpdir(), 'drover-netns-fx-'));
  const opts: NetnsOptions = { markerDir };
  const made: string[] = [];
  return {
    skip,
    async make() {
      const name = `drover-test-${randomUUID()}`;
      made.push(name);
      const ns = await createNetns(name, opts);
      return { name, path: ns.path, link: netnsLink(ns.path) };
    },
    missingPath() {
      return netnsPath(`drover-missing-${randomUUID()}`);
    },
    async cleanup() {
      for (const n of made) await destroyNetns(n, opts);
      rmSync(markerDir, { recursive: true, force: true });
    },
  };
}
