/**
 * A driver in its own process, for recovery tests: starts one task, prints
 * the TaskHandle as a JSON line, then idles until killed (the test sends
 * SIGKILL, as a crashing agent would get). Run as
 * `node testing-child.js <driver module URL> <class name> <JSON request>`.
 */
import type { DriverPlugin, TaskConfig } from '../types.js';
import { silentLogger } from '../../model/logger.js';

interface Request {
  readonly executorDataDir: string;
  readonly pluginConfig: Record<string, unknown>;
  readonly task: TaskConfig;
}

type DriverClass = new (ctx: { logger: typeof silentLogger; now: () => number }, opts: { dataDir: string }) => DriverPlugin;

async function main(): Promise<void> {
  const [moduleUrl, className, json] = process.argv.slice(2);
  if (!moduleUrl || !className || !json) throw new Error('usage: testing-child <module> <class> <request>');
  const req = JSON.parse(json) as Request;
  const mod = (await import(moduleUrl)) as Record<string, DriverClass>;
  const Driver = mod[className];
  if (!Driver) throw new Error(`${className} not exported by ${moduleUrl}`);
  const driver = new Driver({ logger: silentLogger, now: Date.now }, { dataDir: req.executorDataDir });
  await driver.setConfig({ pluginConfig: req.pluginConfig });
  const { handle } = await driver.startTask(req.task);
  process.stdout.write(`${JSON.stringify({ ...handle, driverState: Buffer.from(handle.driverState).toString('base64') })}\n`);
  setInterval(() => {}, 1 << 30); // stay alive until killed
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
