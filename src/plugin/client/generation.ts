/**
 * One incarnation of an external plugin: its process (spawned, or found
 * again through a reattach config), connection and RemoteDriver.
 */
import type { Logger } from '../../model/logger.js';
import type { Handshake } from '../handshake.js';
import { PluginConnection } from './connection.js';
import { RemoteDriver } from './driver-client.js';
import { launchPlugin, type LaunchOptions } from './launch.js';

/** go-plugin's ReattachConfig as Nomad stores it (plugins/shared/structs.ReattachConfig). */
export interface ReattachConfig {
  readonly Protocol: string;
  readonly Network: 'unix' | 'tcp';
  readonly Addr: string;
  readonly Pid: number;
}

/** How a plugin process ended. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: string | null;
}

/** A live plugin process and its driver stub. */
export interface Generation {
  readonly pid: number;
  readonly handshake: Pick<Handshake, 'network' | 'address'>;
  readonly handshakeMs: number;
  readonly conn: PluginConnection;
  readonly driver: RemoteDriver;
  /** Resolves once the process is gone, with how it ended (unknown for a reattached process). */
  readonly exited: Promise<ExitStatus>;
  /** Whether exited has resolved. */
  isExited(): boolean;
  signal(sig: NodeJS.Signals): void;
  /** Closes the connection and stops watching the process. */
  release(): void;
}

/** Launches a new plugin process and dispenses its driver. */
export async function spawnGeneration(o: LaunchOptions): Promise<Generation> {
  const p = await launchPlugin(o);
  let gone = false;
  const exited = p.exited.then((st) => {
    gone = true;
    return st;
  });
  try {
    const conn = await PluginConnection.open(p.handshake, o.logger);
    const driver = await RemoteDriver.open(conn).catch((err: unknown) => {
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
  } catch (err) {
    p.child.kill('SIGKILL');
    throw err;
  }
}

/** Connects to a plugin left running by an earlier host (Nomad's reattach); its exit is noticed by polling the pid. */
export async function reattachGeneration(rc: ReattachConfig, logger: Logger, pollMs = 500): Promise<Generation> {
  if (rc.Protocol !== 'grpc') throw new Error(`cannot reattach to a ${rc.Protocol} plugin`);
  const alive = (): boolean => {
    try {
      process.kill(rc.Pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) throw new Error(`plugin process ${rc.Pid} is gone`);
  const handshake = { network: rc.Network, address: rc.Addr };
  const conn = await PluginConnection.open(handshake, logger);
  const driver = await RemoteDriver.open(conn).catch((err: unknown) => {
    conn.close();
    throw err;
  });
  let gone = false;
  let poll: NodeJS.Timeout | undefined;
  // Not a child of ours: its exit is noticed by polling (ref'd: a supervised plugin keeps the host up).
  const exited = new Promise<ExitStatus>((resolve) => {
    poll = setInterval(() => {
      if (alive()) return;
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
