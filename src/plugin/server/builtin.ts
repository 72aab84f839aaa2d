/** The drover drivers `drover plugin serve` can serve, by name. */
import * as os from 'node:os';
import * as path from 'node:path';
import type { DriverContext, DriverPlugin } from '../../drivers/types.js';
import { MOCK_DRIVER_NAME, MockDriver } from '../../drivers/mock/driver.js';
import { RAW_EXEC_DRIVER_NAME, RawExecDriver } from '../../drivers/raw-exec/driver.js';
import { ExecDriver } from '../../drivers/exec/driver.js';
import { QemuDriver } from '../../drivers/qemu/driver.js';
import { VirtDriver } from '../../drivers/virt/driver.js';

/** What a served driver gets from `drover plugin serve` flags. */
export interface ServeOptions {
  /**
   * The executor daemon's data dir (raw_exec, exec, qemu, virt). It must be the same on
   * every launch of the plugin: that is how a restarted plugin finds its tasks.
   */
  readonly dataDir: string;
}

/** Builds a served driver from its host context. */
export type DriverFactory = (ctx: DriverContext, o: ServeOptions) => DriverPlugin;

/** Servable drivers (the plugin name in Nomad is the driver name). */
export const SERVABLE_DRIVERS: Readonly<Record<string, DriverFactory>> = {
  [MOCK_DRIVER_NAME]: (ctx) => new MockDriver(ctx),
  [RAW_EXEC_DRIVER_NAME]: (ctx, o) => new RawExecDriver(ctx, { dataDir: o.dataDir }),
  exec: (ctx, o) => new ExecDriver(ctx, { dataDir: o.dataDir }),
  qemu: (ctx, o) => new QemuDriver(ctx, { dataDir: o.dataDir }),
  virt: (ctx, o) => new VirtDriver(ctx, { dataDir: o.dataDir }),
};

/** The default -data-dir: /var/lib/drover/nomad-plugins as root, ~/.local/state/drover/nomad-plugins otherwise. */
export function defaultServeDataDir(): string {
  if (process.getuid?.() === 0) return '/var/lib/drover/nomad-plugins';
  return path.join(os.homedir(), '.local', 'state', 'drover', 'nomad-plugins');
}
