import { PluginConnection } from './connection.js';
import { RemoteDriver } from './driver-client.js';
import { launchPlugin } from './launch.js';
/** Launches a new plugin process and dispenses its driver. */
export async function spawnGeneration(o) {
    const p = await launchPlugin(o);
    let gone = false;
    const exited = p.exited.then((st) => {
        gone = true;
        return st;
    });
    try {
        const conn = await PluginConnection.open(p.handshake, o.logger);
        const driver = await RemoteDriver.open(conn).catch((err) => {
            conn.close();
            throw err;
        });
        return {
            pid: p.pid,
            handshake: p.handshake,
            handshakeMs: p.handshakeMs,
            conn,
            driver,
            exited,
            isExited: () => gone,
            signal: (s) => void p.child.kill(s),
            release: () => conn.close(),
        };
    }
    catch (err) {
        p.child.kill('SIGKILL');
        throw err;
    }
}
/** Connects to a plugin left running by an earlier host (Nomad's reattach); its exit is noticed by polling the pid. */
export async function reattachGeneration(rc, logger, pollMs = 500) {
    if (rc.Protocol !== 'grpc')
        throw new Error(`cannot reattach to a ${rc.Protocol} plugin`);
    const alive = () => {
        try {
            process.kill(rc.Pid, 0);
            return true;
        }
        catch {
            return false;
        }
    };
    if (!alive())
        throw new Error(`plugin process ${rc.Pid} is gone`);
    const handshake = { network: rc.Network, address: rc.Addr };
    const conn = await PluginConnection.open(handshake, logger);
    const driver = await RemoteDriver.open(conn).catch((err) => {
        conn.close();
        throw err;
    });
    let gone = false;
    let poll;
    // Not a child of ours: its exit is noticed by polling (ref'd: a supervised plugin keeps the host up).
    const exited = new Promise((resolve) => {
        poll = setInterval(() => {
            if (alive())
                return;
            clearInterval(poll);
            gone = true;
            resolve({ code: null, signal: null });
        }, pollMs);
    });
    return {
        pid: rc.Pid,
        handshake,
        handshakeMs: 0,
        conn,
        driver,
        exited,
        isExited: () => gone,
        signal: (s) => void process.kill(rc.Pid, s),
        release: () => {
            clearInterval(poll);
            conn.close();
        },
    };
}
//# sourceMappingURL=generation.js.map