/**
 * The node's fingerprint (what Nomad's client reports to servers): host
 * facts as node attributes, and every driver's fingerprint stream, kept
 * current in the background for /v1/node and task interpolation.
 */
import { existsSync, statfsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
/** cgroup hierarchy of this host: "v2" (unified), "v1" (legacy or hybrid), or "" without cgroups. */
export function cgroupVersion(root = '/sys/fs/cgroup') {
    if (existsSync(`${root}/cgroup.controllers`))
        return 'v2';
    if (existsSync(`${root}/memory`) || existsSync(`${root}/cpu`))
        return 'v1';
    return '';
}
/** Host facts as Nomad node attributes (cpu, memory, cgroups, storage). */
export function hostAttributes(dataDir) {
    const cores = cpus();
    const mhz = cores[0]?.speed ?? 0;
    const attrs = {
        'cpu.numcores': String(cores.length),
        'cpu.frequency': String(mhz),
        'cpu.totalcompute': String(mhz * cores.length),
        'cpu.modelname': cores[0]?.model ?? '',
        'memory.totalbytes': String(totalmem()),
        'os.cgroups.version': cgroupVersion().replace('v', ''),
        'unique.cgroup.version': cgroupVersion(),
        'unique.cgroup.mountpoint': '/sys/fs/cgroup',
        'unique.storage.volume': dataDir,
    };
    try {
        const fs = statfsSync(dataDir);
        attrs['unique.storage.bytestotal'] = String(fs.blocks * fs.bsize);
        attrs['unique.storage.bytesfree'] = String(fs.bavail * fs.bsize);
    }
    catch {
        // No storage facts on a filesystem statfs cannot read.
    }
    return attrs;
}
/** Follows every driver's fingerprint stream until stopped. */
export class DriverFingerprints {
    now;
    latest = new Map();
    ctrl = new AbortController();
    constructor(drivers, now, logger) {
        this.now = now;
        for (const [name, driver] of drivers) {
            void (async () => {
                try {
                    for await (const fp of driver.fingerprint({ signal: this.ctrl.signal }))
                        this.latest.set(name, { fingerprint: fp, updatedAt: this.now() });
                }
                catch (err) {
                    if (!this.ctrl.signal.aborted) {
                        logger.warn('driver fingerprint failed', { driver: name, error: String(err) });
                        this.latest.set(name, { fingerprint: { attributes: {}, health: 'undetected', healthDescription: `fingerprint failed: ${String(err)}` }, updatedAt: this.now() });
                    }
                }
            })();
        }
    }
    /** Resolves once every driver has reported (or after `timeoutMs`): they emit at once, so this is quick. */
    async ready(names, timeoutMs) {
        const end = Date.now() + timeoutMs;
        while (names.some((n) => !this.latest.has(n)) && Date.now() < end)
            await new Promise((r) => setTimeout(r, 5));
    }
    /** Latest status by driver name (drivers that have not reported yet are absent). */
    all() {
        return this.latest;
    }
    /** Driver attributes as node attributes ("driver.raw_exec" = "1"). */
    attributes() {
        const out = {};
        for (const s of this.latest.values()) {
            for (const [k, v] of Object.entries(s.fingerprint.attributes))
                out[k] = v === true ? '1' : v === false ? '0' : String(v);
        }
        return out;
    }
    stop() {
        this.ctrl.abort();
    }
}
//# sourceMappingURL=fingerprint.js.map