import { silentLogger } from '../../model/logger.js';
async function main() {
    const [moduleUrl, className, json] = process.argv.slice(2);
    if (!moduleUrl || !className || !json)
        throw new Error('usage: testing-child <module> <class> <request>');
    const req = JSON.parse(json);
    const mod = (await import(moduleUrl));
    const Driver = mod[className];
    if (!Driver)
        throw new Error(`${className} not exported by ${moduleUrl}`);
    const driver = new Driver({ logger: silentLogger, now: Date.now }, { dataDir: req.executorDataDir });
    await driver.setConfig({ pluginConfig: req.pluginConfig });
    const { handle } = await driver.startTask(req.task);
    process.stdout.write(`${JSON.stringify({ ...handle, driverState: Buffer.from(handle.driverState).toString('base64') })}\n`);
    setInterval(() => { }, 1 << 30); // stay alive until killed
}
main().catch((err) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
});
//# sourceMappingURL=testing-child.js.map