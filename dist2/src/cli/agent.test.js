/** `drover agent` and `drover acl bootstrap` as a user runs them: the real binary. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAgent } from '../api/testing.js';
const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const agents = [];
after(async () => {
    await Promise.all(agents.map((a) => a.kill('SIGKILL')));
});
const drover = (args) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 20_000 });
test('drover agent: a bad config file names file, line and field; no data dir is a usage error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drover-agent-cli-'));
    const cfg = join(dir, 'agent.hcl');
    writeFileSync(cfg, 'data_dir = "/tmp/x"\nacl {\n  enable = true\n}\n');
    const r = drover(['agent', '-config', cfg]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /agent\.hcl:3: acl\.enable: unknown attribute "enable" in acl \(did you mean "enabled"\?\)/);
    const none = drover(['agent']);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /Must specify data directory/);
});
test('drover acl bootstrap: prints the management token once, then refuses', async () => {
    const a = await startAgent({ args: ['-acl-enabled'] });
    agents.push(a);
    const r = drover(['acl', 'bootstrap', '-address', a.address]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Accessor ID\s+= [0-9a-f-]{36}$/m);
    assert.match(r.stdout, /^Type\s+= management$/m);
    const secret = /^Secret ID\s+= (\S+)$/m.exec(r.stdout)?.[1];
    assert.ok(secret);
    // The token works; anonymous calls do not.
    assert.equal((await fetch(`${a.address}/v1/jobs`)).status, 403);
    assert.equal((await fetch(`${a.address}/v1/jobs`, { headers: { 'X-Nomad-Token': secret } })).status, 200);
    const again = drover(['acl', 'bootstrap', '-address', a.address]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /ACL bootstrap already done/);
});
//# sourceMappingURL=agent.test.js.map