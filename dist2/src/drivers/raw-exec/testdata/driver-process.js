/**
 * A driver-side process for the recovery test: starts raw_exec tasks on the
 * given executor data dir, prints their handles as one JSON line, then idles
 * until killed (the test kills it with SIGKILL, as an agent crash would).
 *
 *   node driver-process.js DATA_DIR '[{"command":"/bin/sh","args":[...]}]'
 */
import { rawExecHarness } from '../testing.js';
const [dataDir, tasksJson] = process.argv.slice(2);
const h = await rawExecHarness({ enabled: true }, dataDir);
const handles = [];
for (const driverConfig of JSON.parse(tasksJson ?? '[]')) {
    const { handle } = await h.driver.startTask(h.taskConfig(driverConfig));
    handles.push({ ...handle, driverState: Buffer.from(handle.driverState).toString('base64') });
}
process.stdout.write(`${JSON.stringify(handles)}\n`);
setInterval(() => undefined, 1_000);
//# sourceMappingURL=driver-process.js.map