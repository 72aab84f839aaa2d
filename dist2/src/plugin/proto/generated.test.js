import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
// From dist/src/plugin/proto/ back to the repository root.
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = path.join(ROOT, 'node_modules', '.bin');
const WIRE = path.join(ROOT, 'src', 'plugin', 'wire');
const TEMPLATE = path.join(ROOT, 'src', 'plugin', 'proto', 'buf.gen.yaml');
/** Relative path → contents of every file under `dir`. */
function tree(dir) {
    const out = new Map();
    for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (e.isFile()) {
            const full = path.join(e.parentPath, e.name);
            out.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
        }
    }
    return out;
}
test('wire: src/plugin/wire is what `npm run gen:proto` makes of the .proto files', async (t) => {
    if (!fs.existsSync(path.join(BIN, 'buf')) || !fs.existsSync(path.join(BIN, 'protoc-gen-ts_proto'))) {
        t.skip('buf or ts-proto is not installed (npm ci installs both)');
        return;
    }
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'drover-wire-'));
    const template = path.join(out, 'buf.gen.yaml');
    const yaml = fs.readFileSync(TEMPLATE, 'utf8');
    assert.match(yaml, /out: src\/plugin\/wire\n/);
    fs.writeFileSync(template, yaml.replace(/out: src\/plugin\/wire\n/, `out: ${JSON.stringify(path.join(out, 'wire'))}\n`));
    await promisify(execFile)(path.join(BIN, 'buf'), ['generate', 'src/plugin/proto', '--template', template], {
        cwd: ROOT,
        env: { ...process.env, PATH: `${BIN}${path.delimiter}${process.env['PATH'] ?? ''}` },
    });
    const want = tree(path.join(out, 'wire'));
    const got = tree(WIRE);
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), 'run `npm run gen:proto` and commit src/plugin/wire');
    for (const [file, text] of want)
        assert.ok(got.get(file) === text, `${file} is stale: run \`npm run gen:proto\` and commit src/plugin/wire`);
    fs.rmSync(out, { recursive: true, force: true });
});
//# sourceMappingURL=generated.test.js.map