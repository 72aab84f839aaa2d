import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '../../model/errors.js';
import { builtinPluginSchema } from '../../drivers/catalog.js';
import { loadAgentConfigFile } from './parse-config.js';
const dir = mkdtempSync(join(tmpdir(), 'drover-config-'));
function configFile(name, text) {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
}
const load = (path) => loadAgentConfigFile(path, { pluginSchema: builtinPluginSchema });
async function rejection(path) {
    try {
        await load(path);
    }
    catch (err) {
        assert.ok(err instanceof ValidationError, String(err));
        return err;
    }
    return assert.fail('expected the config to be refused');
}
test('plugin options written directly in the plugin block (Nomad mock driver docs): accepted with a warning', async () => {
    const path = configFile('flat.hcl', `data_dir = "/tmp/x"
plugin "mock_driver" {
  fs_isolation               = "none"
  shutdown_periodic_after    = false
  shutdown_periodic_duration = 0
}
`);
    const { config, warnings } = await load(path);
    assert.deepEqual(config.plugins?.['mock_driver'], { fs_isolation: 'none', shutdown_periodic_after: false, shutdown_periodic_duration: 0 });
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]?.field, 'plugin.mock_driver');
    assert.equal(warnings[0]?.line, 2);
    assert.equal(warnings[0]?.file, path);
    assert.match(warnings[0]?.message ?? '', /Nomad itself reads them only inside config \{ \}/);
});
test('flat plugin options are checked against the driver schema, with field and line', async () => {
    const path = configFile('flat-bad.hcl', `plugin "mock_driver" {\n  shutdown_periodic_after = false\n  fs_isolation = "bogus"\n}\n`);
    const err = await rejection(path);
    assert.equal(err.problems.length, 1);
    assert.equal(err.field, 'plugin.mock_driver.fs_isolation');
    assert.equal(err.line, 3);
    const unknown = await rejection(configFile('flat-unknown.hcl', `plugin "raw_exec" {\n  enabled = true\n  no_cgroupz = true\n}\n`));
    assert.equal(unknown.field, 'plugin.raw_exec.no_cgroupz');
    assert.equal(unknown.line, 3);
});
test('options both directly in the plugin block and in config {} are an error naming the line', async () => {
    const path = configFile('both.hcl', `plugin "raw_exec" {
  config {
    enabled = true
  }
  no_cgroups = true
}
`);
    const err = await rejection(path);
    assert.equal(err.problems.length, 1);
    assert.equal(err.field, 'plugin.raw_exec.no_cgroups');
    assert.equal(err.line, 5);
    assert.match(err.message, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5: plugin\\.raw_exec\\.no_cgroups: plugin "raw_exec" sets options both directly \\(no_cgroups\\) and in config \\{\\} \\(line 2\\)`));
});
test('external plugins take flat options unchecked, like their config {}; args stay apart', async () => {
    const { config, warnings } = await load(configFile('external.hcl', `plugin "my-driver" {\n  args = ["-v"]\n  level = 3\n}\n`));
    assert.deepEqual(config.plugins?.['my-driver'], { level: 3 });
    assert.deepEqual(config.pluginArgs?.['my-driver'], ['-v']);
    assert.equal(warnings.length, 1);
    const plain = await load(configFile('plain.hcl', `plugin "my-driver" {\n  args = ["-v"]\n  config {\n    level = 3\n  }\n}\n`));
    assert.deepEqual(plain.config.plugins?.['my-driver'], { level: 3 });
    assert.deepEqual(plain.warnings, []);
});
//# sourceMappingURL=parse-config.test.js.map