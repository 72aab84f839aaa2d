/**
 * Where a served plugin listens, as go-plugin decides: a fresh unix socket
 * (in PLUGIN_UNIX_SOCKET_DIR, group-writable for PLUGIN_UNIX_SOCKET_GROUP)
 * everywhere but Windows, where it is TCP on 127.0.0.1 within
 * PLUGIN_MIN_PORT..PLUGIN_MAX_PORT.
 */
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { portRange, unixSocketPath } from '../handshake.js';
/** Binds `server` on a unix socket. */
export async function listenUnix(server, env) {
    const path = unixSocketPath(env);
    await bind(server, `unix://${path}`);
    const group = env['PLUGIN_UNIX_SOCKET_GROUP'];
    if (group)
        setGroupWritable(path, group);
    return { network: 'unix', address: path, close: () => fs.rmSync(path, { force: true }) };
}
/** Binds `server` on the first free 127.0.0.1 port in the env's range (0..0: any port). */
export async function listenTcp(server, env) {
    const { min, max } = portRange(env);
    for (let port = min; port <= max; port++) {
        try {
            const bound = await bind(server, `127.0.0.1:${port}`);
            return { network: 'tcp', address: `127.0.0.1:${bound}`, close() { } };
        }
        catch {
            // taken: try the next port, as go-plugin does
        }
    }
    throw new Error("couldn't bind plugin TCP listener");
}
function bind(server, address) {
    return new Promise((resolve, reject) => server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))));
}
/** chgrp + chmod 0660, the group given by name or number. */
function setGroupWritable(path, group) {
    let gid = Number(group);
    if (!Number.isInteger(gid)) {
        const line = fs.readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.split(':')[0] === group);
        gid = Number(line?.split(':')[2]);
        if (!Number.isInteger(gid))
            throw new Error(`failed to find gid from ${JSON.stringify(group)}`);
    }
    fs.chownSync(path, -1, gid);
    fs.chmodSync(path, 0o660);
}
//# sourceMappingURL=listen.js.map