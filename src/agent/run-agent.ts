/**
 * Runs a long-lived agent: lock the data dir, open state and drivers,
 * resume allocations, serve the HTTP API. `stop()` is Nomad's graceful
 * client shutdown: the API closes and supervision stops, tasks keep running.
 */
import { mkdir } from 'node:fs/promises';
import type { Logger } from '../model/logger.js';
import { errorMessage } from '../model/errors.js';
import type { DriverRegistry } from '../drivers/registry.js';
import type { AgentConfig } from './config/agent-config.js';
import { Agent } from './core/agent.js';
import { startHttpServer, type HttpServer } from './http/server.js';
import { lockDataDir } from './pid-lock.js';

/** A running agent with its API. */
export interface RunningAgent {
  readonly agent: Agent;
  readonly http: HttpServer;
  /** Closes the API and stops supervising; tasks keep running. */
  stop(): Promise<void>;
}

export async function runAgent(config: AgentConfig, logger: Logger, opts: { drivers?: DriverRegistry } = {}): Promise<RunningAgent> {
  await mkdir(config.dataDir, { recursive: true });
  const unlock = lockDataDir(config.dataDir);
  let agent: Agent | undefined;
  try {
    agent = await Agent.start({ config, logger, ...(opts.drivers ? { drivers: opts.drivers } : {}) });
    const http = await startHttpServer(agent, { host: config.bindAddr, port: config.httpPort, maxBodyBytes: config.httpMaxBodyBytes });
    const a = agent;
    let stopping: Promise<void> | undefined;
    return {
      agent: a,
      http,
      stop: () =>
        (stopping ??= (async () => {
          await http.close();
          await a.shutdown();
          unlock();
        })()),
    };
  } catch (err) {
    // The start failure is what the caller hears about; a failed cleanup after it is logged.
    await agent?.shutdown().catch((e: unknown) => logger.warn('shutdown after a failed start failed', { error: errorMessage(e) }));
    unlock();
    throw err;
  }
}
