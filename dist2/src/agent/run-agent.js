/**
 * Runs a long-lived agent: lock the data dir, open state and drivers,
 * resume allocations, serve the HTTP API. `stop()` is Nomad's graceful
 * client shutdown: the API closes and supervision stops, tasks keep running.
 */
import { mkdir } from 'node:fs/promises';
import { errorMessage } from '../model/errors.js';
import { Agent } from './core/agent.js';
import { startHttpServer } from './http/server.js';
import { lockDataDir } from './pid-lock.js';
export async function runAgent(config, logger, opts = {}) {
    await mkdir(config.dataDir, { recursive: true });
    const unlock = lockDataDir(config.dataDir);
    let agent;
    try {
        agent = await Agent.start({ config, logger, ...(opts.drivers ? { drivers: opts.drivers } : {}) });
        const http = await startHttpServer(agent, { host: config.bindAddr, port: config.httpPort, maxBodyBytes: config.httpMaxBodyBytes });
        const a = agent;
        let stopping;
        return {
            agent: a,
            http,
            stop: () => (stopping ??= (async () => {
                await http.close();
                await a.shutdown();
                unlock();
            })()),
        };
    }
    catch (err) {
        // The start failure is what the caller hears about; a failed cleanup after it is logged.
        await agent?.shutdown().catch((e) => logger.warn('shutdown after a failed start failed', { error: errorMessage(e) }));
        unlock();
        throw err;
    }
}
//# sourceMappingURL=run-agent.js.map