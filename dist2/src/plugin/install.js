/**
 * `drover plugin install DIR`: one small executable per servable driver in a
 * Nomad plugin_dir. Nomad names a plugin after its file (the `plugin
 * "drover-driver-mock_driver"` config block) and a driver after PluginInfo
 * (jobs keep `driver = "mock_driver"`). Each shim execs this drover build
 * with absolute paths, since a Nomad agent's PATH rarely has node on it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DRIVER_CATALOG } from '../drivers/catalog.js';
/** File name prefix of the shims. */
export const SHIM_PREFIX = 'drover-driver-';
/** Writes the shims into `dir` (created if missing); returns their paths. Throws on an unknown driver. */
export function installPluginShims(dir, o = {}) {
    const servable = DRIVER_CATALOG.map((d) => d.name);
    const drivers = o.drivers && o.drivers.length > 0 ? o.drivers : servable;
    for (const d of drivers)
        if (!servable.includes(d))
            throw new Error(`unknown driver ${JSON.stringify(d)} (servable: ${servable.join(', ')})`);
    const node = o.node ?? process.execPath;
    const entry = o.entry ?? fileURLToPath(new URL('../main.js', import.meta.url));
    fs.mkdirSync(dir, { recursive: true });
    return drivers.map((d) => {
        const file = path.join(dir, `${SHIM_PREFIX}${d}`);
        fs.writeFileSync(file, shimScript(node, entry, d), { mode: 0o755 });
        fs.chmodSync(file, 0o755);
        return file;
    });
}
/** The shim: exec drover's plugin server for one driver, passing the plugin block's args (e.g. -data-dir DIR). */
export function shimScript(node, entry, driver) {
    return [
        '#!/bin/sh',
        `# Nomad task driver plugin: drover's ${driver}. Written by \`drover plugin install\`.`,
        `exec ${shq(node)} ${shq(entry)} plugin serve ${shq(driver)} "$@"`,
        '',
    ].join('\n');
}
/** The Nomad client config that loads the shims from `dir`. */
export function nomadConfigSnippet(dir, drivers) {
    const blocks = drivers.map((d) => `plugin "${SHIM_PREFIX}${d}" {\n  config {}\n}`);
    return [`plugin_dir = "${dir}"`, '', ...blocks].join('\n');
}
function shq(s) {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}
//# sourceMappingURL=install.js.map