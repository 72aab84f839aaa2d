/**
 * A drover driver served over a real gRPC connection inside the test
 * process (Nomad's DriverHarness): the Driver, BasePlugin and health
 * services on a unix socket, and drover's own plugin client on the other
 * end. Every call crosses the wire codecs both ways, without a plugin
 * process, so a test can hand in any DriverPlugin (one with optional
 * interfaces the catalog's drivers lack, or one that records its calls).
 */
import * as grpc from '@grpc/grpc-js';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DriverPlugin } from '../../drivers/types.js';
import { silentLogger } from '../../model/logger.js';
import { RemoteDriver } from '../client/driver-client.js';
import { PluginConnection } from '../client/connection.js';
import { healthHandlers } from '../health.js';
import { baseHandlers } from '../server/base-service.js';
import { driverHandlers } from '../server/driver-service.js';
import { listenUnix } from '../server/listen.js';
import { BasePluginService } from '../wire/base.js';
import { DriverService } from '../wire/driver.js';
import { HealthService } from '../wire/health.js';

/** The client end of an in-process pair, and how to take it down. */
export interface InProcessPair {
  readonly client: RemoteDriver;
  close(): Promise<void>;
}

/** Serves `driver` and opens drover's client on it. */
export async function servedInProcess(driver: DriverPlugin): Promise<InProcessPair> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dpi-'));
  const server = new grpc.Server();
  server.addService(HealthService, healthHandlers());
  server.addService(BasePluginService, baseHandlers(driver, silentLogger));
  server.addService(DriverService, driverHandlers(driver, silentLogger));
  const listener = await listenUnix(server, { PLUGIN_UNIX_SOCKET_DIR: dir });
  const conn = await PluginConnection.open(listener, silentLogger);
  const client = await RemoteDriver.open(conn);
  return {
    client,
    async close() {
      conn.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      listener.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
