/**
 * The node's fingerprint (what Nomad's client reports to servers): host
 * facts as node attributes, and every driver's fingerprint stream, kept
 * current in the background for /v1/node and task interpolation.
 */
import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { cpus, networkInterfaces, totalmem } from 'node:os';
import type { DriverPlugin, Fingerprint } from '../../drivers/types.js';
import type { Logger } from '../../model/logger.js';

/** The latest fingerprint of one driver (Nomad's DriverInfo). */
export interface DriverStatus {
  readonly fingerprint: Fingerprint;
  /** Unix ms. */
  readonly updatedAt: number;
}

/** cgroup hierarchy of this host: "v2" (unified), "v1" (legacy or hybrid), or "" without cgroups. */
export function cgroupVersion(root = '/sys/fs/cgroup'): 'v1' | 'v2' | '' {
  if (existsSync(`${root}/cgroup.controllers`)) return 'v2';
  if (existsSync(`${root}/memory`) || existsSync(`${root}/cpu`)) return 'v1';
  return '';
}

/**
 * One core's speed in MHz. Node reads cpufreq, which VMs often lack (speed 0);
 * Nomad's fingerprint then reads /proc/cpuinfo's "cpu MHz", and so does this.
 */
export function cpuMhz(cpuinfo = '/proc/cpuinfo'): number {
  const speed = cpus()[0]?.speed ?? 0;
  if (speed > 0) return speed;
  try {
    const m = /^cpu MHz\s*:\s*([\d.]+)/m.exec(readFileSync(cpuinfo, 'utf8'));
    return m ? Math.floor(Number(m[1])) : 0;
  } catch {
    return 0;
  }
}

/** Host facts as Nomad node attributes (cpu, memory, cgroups, storage). */
export function hostAttributes(dataDir: string): Record<string, string> {
  const cores = cpus();
  const mhz = cpuMhz();
  const attrs: Record<string, string> = {
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
  } catch {
    // No storage facts on a filesystem statfs cannot read.
  }
  return attrs;
}

/** Follows every driver's fingerprint stream until stopped. */
export class DriverFingerprints {
  private readonly latest = new Map<string, DriverStatus>();
  private readonly ctrl = new AbortController();

  /** Told when a driver's health changes (the scheduler retries what it could not place). */
  onHealthChange: () => void = () => {};

  constructor(drivers: ReadonlyArray<readonly [string, DriverPlugin]>, private readonly now: () => number, logger: Logger) {
    for (const [name, driver] of drivers) {
      void (async () => {
        try {
          for await (const fp of driver.fingerprint({ signal: this.ctrl.signal })) {
            const before = this.latest.get(name)?.fingerprint.health;
            this.latest.set(name, { fingerprint: fp, updatedAt: this.now() });
            if (before !== fp.health) this.onHealthChange();
          }
        } catch (err) {
          if (!this.ctrl.signal.aborted) {
            logger.warn('driver fingerprint failed', { driver: name, error: String(err) });
            this.latest.set(name, { fingerprint: { attributes: {}, health: 'undetected', healthDescription: `fingerprint failed: ${String(err)}` }, updatedAt: this.now() });
          }
        }
      })();
    }
  }

  /** Resolves once every driver has reported (or after `timeoutMs`): they emit at once, so this is quick. */
  async ready(names: readonly string[], timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (names.some((n) => !this.latest.has(n)) && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  }

  /** Latest status by driver name (drivers that have not reported yet are absent). */
  all(): ReadonlyMap<string, DriverStatus> {
    return this.latest;
  }

  /** Driver attributes as node attributes ("driver.raw_exec" = "1"). */
  attributes(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const s of this.latest.values()) {
      for (const [k, v] of Object.entries(s.fingerprint.attributes)) out[k] = v === true ? '1' : v === false ? '0' : String(v);
    }
    return out;
  }

  stop(): void {
    this.ctrl.abort();
  }
}

/**
 * The node's default address, as Nomad's network fingerprint finds it: the
 * first IPv4 address of the interface holding the default route (read from
 * /proc/net/route), falling back to the first non-internal IPv4 address and
 * then 127.0.0.1. Ports of host-mode allocations are reached on it.
 */
export function defaultHostAddress(routeTable = '/proc/net/route'): string {
  const ifaces = networkInterfaces();
  const ipv4 = (name: string) => ifaces[name]?.find((a) => a.family === 'IPv4')?.address;
  let table = '';
  try {
    table = readFileSync(routeTable, 'utf8');
  } catch {
    // No procfs (not Linux): use the interfaces alone.
  }
  for (const line of table.split('\n').slice(1)) {
    const [iface, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (iface && destination === '00000000' && mask === '00000000') {
      const addr = ipv4(iface);
      if (addr) return addr;
    }
  }
  for (const addrs of Object.values(ifaces)) {
    const a = addrs?.find((x) => x.family === 'IPv4' && !x.internal);
    if (a) return a.address;
  }
  return '127.0.0.1';
}
