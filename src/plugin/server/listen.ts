/**
 * Where a served plugin listens, as go-plugin decides: a fresh unix socket
 * (in PLUGIN_UNIX_SOCKET_DIR, group-writable for PLUGIN_UNIX_SOCKET_GROUP)
 * everywhere but Windows, where it is TCP on 127.0.0.1 within
 * PLUGIN_MIN_PORT..PLUGIN_MAX_PORT.
 *
 * The socket sits in a fresh 0700 directory of its own: a socket file takes
 * its mode from the umask when it is bound, so with a loose umask (go-plugin
 * relies on 022) another user could connect before a chmod, and go-plugin's
 * is in a shared dir such as /tmp. The directory closes that window.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { portRange } from '../handshake.js';

/** A bound listener: what the handshake line announces, and how to clean up. */
export interface Listener {
  readonly network: 'unix' | 'tcp';
  readonly address: string;
  close(): void;
}

/** Binds `server` on a unix socket in a private directory. */
export async function listenUnix(server: grpc.Server, env: NodeJS.ProcessEnv): Promise<Listener> {
  const dir = fs.mkdtempSync(path.join(env['PLUGIN_UNIX_SOCKET_DIR'] || os.tmpdir(), 'plugin'));
  const sock = path.join(dir, 'plugin.sock');
  try {
    await bind(server, `unix://${sock}`);
    const group = env['PLUGIN_UNIX_SOCKET_GROUP'];
    if (group) setGroupWritable(dir, sock, group);
    else fs.chmodSync(sock, 0o600);
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return { network: 'unix', address: sock, close: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Binds `server` on the first free 127.0.0.1 port in the env's range (0..0: any port). */
export async function listenTcp(server: grpc.Server, env: NodeJS.ProcessEnv): Promise<Listener> {
  const { min, max } = portRange(env);
  for (let port = min; port <= max; port++) {
    try {
      const bound = await bind(server, `127.0.0.1:${port}`);
      return { network: 'tcp', address: `127.0.0.1:${bound}`, close() {} };
    } catch {
      // taken: try the next port, as go-plugin does
    }
  }
  throw new Error("couldn't bind plugin TCP listener");
}

function bind(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
  );
}

/** chgrp of the socket and its dir; the group may enter the dir (0750) and use the socket (0660). */
function setGroupWritable(dir: string, sock: string, group: string): void {
  let gid = Number(group);
  if (!Number.isInteger(gid)) {
    const line = fs.readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[0] === group);
    gid = Number(line?.split(':')[2]);
    if (!Number.isInteger(gid)) throw new Error(`failed to find gid from ${JSON.stringify(group)}`);
  }
  fs.chownSync(dir, -1, gid);
  fs.chmodSync(dir, 0o750);
  fs.chownSync(sock, -1, gid);
  fs.chmodSync(sock, 0o660);
}
