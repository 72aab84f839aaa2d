/**
 * Test helpers for artifacts: a real HTTP server on 127.0.0.1 with scripted
 * responses and a request log, and archive builders (the tar binary, Python's
 * tarfile/zipfile for hostile archives no well-behaved tool would write).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One scripted reply; a function may vary by call count. */
export interface Reply {
  readonly status?: number;
  readonly body?: Buffer | string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Never answer (to test timeouts). */
  readonly hang?: boolean;
}

/** A running server, its routes and what it received. */
export interface TestServer {
  readonly base: string;
  /** path → reply, or a function of the 1-based call count for that path. */
  readonly routes: Map<string, Reply | ((n: number) => Reply)>;
  /** Every request: path without query, the full URL, headers. */
  readonly requests: { path: string; url: string; headers: IncomingHttpHeaders }[];
  count(path: string): number;
  close(): Promise<void>;
}

/** Starts a server on a random loopback port. */
export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Reply | ((n: number) => Reply)>();
  const requests: { path: string; url: string; headers: IncomingHttpHeaders }[] = [];
  const count = (path: string) => requests.filter((r) => r.path === path).length;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').replace(/\?.*$/, '');
    requests.push({ path, url: req.url ?? '/', headers: req.headers });
    const route = routes.get(path);
    const reply = typeof route === 'function' ? route(count(path)) : route;
    if (reply?.hang) return;
    res.writeHead(reply?.status ?? (reply ? 200 : 404), reply?.headers ?? {});
    res.end(reply?.body ?? (reply ? '' : 'not found'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    routes,
    requests,
    count,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A fresh temp directory. */
export function tempDir(prefix = 'drover-artifact-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs a Python snippet with `sys.argv[1]` = out path; returns the path. */
export function python(code: string, out: string): string {
  const r = spawnSync('python3', ['-c', code, out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return out;
}

/** Runs a command, throwing with its stderr on failure. */
export function run(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Whether a binary is on PATH. */
export function have(bin: string): boolean {
  return spawnSync(bin, ['--version'], { stdio: 'ignore' }).error === undefined;
}
