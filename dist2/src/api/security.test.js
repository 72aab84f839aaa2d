/** Security tests over real HTTP: fs path traversal, symlink escapes, secrets, and hostile bodies. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mockJob, runHcl, startAgent } from './testing.js';
import { eventually } from '../model/testing/eventually.js';
let agent;
let allocId = '';
let allocDir = '';
before(async () => {
    agent = await startAgent();
    await runHcl(agent.client, mockJob('sec', 'run_for = "60s"\n stdout_string = "x"'));
    const a = await eventually(async () => (await agent.client.jobs.allocations('sec')).find((x) => x.ClientStatus === 'running'), { timeoutMs: 10_000, message: 'running' });
    allocId = a.ID;
    allocDir = join(agent.dataDir, 'alloc', allocId);
    writeFileSync(join(agent.dataDir, 'outside.txt'), 'secret outside');
    symlinkSync('/etc/passwd', join(allocDir, 'alloc', 'data', 'passwd-link'));
    symlinkSync(join(agent.dataDir, 'outside.txt'), join(allocDir, 't', 'local', 'out-link'));
    symlinkSync('../../../', join(allocDir, 't', 'local', 'dir-link'));
    mkdirSync(join(allocDir, 't', 'local', 'ok'), { recursive: true });
    writeFileSync(join(allocDir, 't', 'local', 'ok', 'file.txt'), 'fine');
    symlinkSync('ok/file.txt', join(allocDir, 't', 'local', 'in-link'));
    writeFileSync(join(allocDir, 't', 'secrets', 'token'), 'hunter2');
});
after(async () => {
    await agent.kill('SIGKILL');
});
const get = async (what, path) => {
    const r = await fetch(`${agent.address}/v1/client/fs/${what}/${allocId}?path=${encodeURIComponent(path)}`);
    return { status: r.status, body: await r.text() };
};
test('fs: ".." cannot leave the alloc dir, for every fs endpoint', async () => {
    for (const what of ['ls', 'stat', 'cat', 'readat']) {
        for (const p of ['../', '../../', '/../../etc/passwd', 't/../../..', 'alloc/../../outside.txt']) {
            const r = await get(what === 'readat' ? 'readat' : what, p);
            const status = what === 'readat' ? (await fetch(`${agent.address}/v1/client/fs/readat/${allocId}?offset=0&path=${encodeURIComponent(p)}`)).status : r.status;
            assert.equal(status, 403, `${what} ${p}: ${r.body}`);
            if (what !== 'readat')
                assert.equal(r.body, 'Path escapes the alloc directory');
        }
    }
});
test('fs: absolute paths are relative to the alloc dir, never the host root', async () => {
    const r = await get('cat', '/etc/passwd');
    assert.equal(r.status, 404);
    assert.doesNotMatch(r.body, /root:/);
    assert.equal((await get('ls', '/')).status, 200);
});
test('fs: symlinks pointing outside are refused; inside ones work', async () => {
    for (const p of ['alloc/data/passwd-link', 't/local/out-link', 't/local/dir-link', 't/local/dir-link/etc']) {
        const r = await get('cat', p);
        assert.equal(r.status, 403, `${p}: ${r.body}`);
        assert.doesNotMatch(r.body, /root:|secret outside/);
    }
    assert.equal((await get('ls', 't/local/dir-link')).status, 403);
    const ok = await get('cat', 't/local/in-link');
    assert.equal(ok.status, 200);
    assert.equal(ok.body, 'fine');
});
test('fs: task secrets cannot be read', async () => {
    const r = await get('cat', 't/secrets/token');
    assert.equal(r.status, 403);
    assert.match(r.body, /Reading secret file prohibited/);
    assert.doesNotMatch(r.body, /hunter2/);
});
test('fs: bad parameters are 400s naming them', async () => {
    assert.equal((await get('cat', '')).status, 400);
    const nul = await fetch(`${agent.address}/v1/client/fs/cat/${allocId}?path=a%00b`);
    assert.equal(nul.status, 400);
    const logs = await fetch(`${agent.address}/v1/client/fs/logs/${allocId}?task=t&type=stdin`);
    assert.equal(logs.status, 400);
    assert.equal(await logs.text(), 'must provide log type (stdout/stderr)');
    const origin = await fetch(`${agent.address}/v1/client/fs/logs/${allocId}?task=t&type=stdout&origin=middle`);
    assert.equal(await origin.text(), 'origin must be start or end');
    const task = await fetch(`${agent.address}/v1/client/fs/logs/${allocId}?task=../t&type=stdout`);
    assert.equal(task.status, 404);
    const readat = await fetch(`${agent.address}/v1/client/fs/readat/${allocId}?path=x&offset=abc`);
    assert.equal(readat.status, 400);
    assert.match(await readat.text(), /offset/);
});
test('bodies: malformed, wrong-typed, empty and oversized bodies are refused cleanly', async () => {
    const send = (path, body, method = 'POST') => fetch(`${agent.address}${path}`, { method, ...(body !== undefined ? { body } : {}) });
    for (const [path, body, status, pattern] of [
        ['/v1/jobs', '[1,2]', 400, /must be a JSON object/],
        ['/v1/jobs', '', 400, /empty/],
        ['/v1/jobs', '{"Job":"x"}', 400, /Job: expected an object/],
        ['/v1/jobs', '{"Job":{"ID":"x","TaskGroups":{}}}', 400, /TaskGroups: expected a list/],
        ['/v1/jobs/parse', '{"JobHCL": 5}', 400, /JobHCL: expected a string/],
        ['/v1/jobs/parse', '{"JobHCL": "job \\"x\\" {"}', 400, /input\.hcl:1/],
        [`/v1/client/allocation/${allocId}/signal`, '{"Signal": 9}', 400, /Signal: expected a string/],
        [`/v1/client/allocation/${allocId}/restart`, '{"AllTasks": "yes"}', 400, /AllTasks: expected a boolean/],
        ['/v1/acl/token', '{"Type": 1}', 400, /Type/],
    ]) {
        const r = await send(path, body);
        assert.equal(r.status, status, `${path} ${body}`);
        assert.match(await r.text(), pattern);
    }
    const big = await send('/v1/jobs', JSON.stringify({ Job: { ID: 'x', Meta: { pad: 'y'.repeat(10 * 1024 * 1024) } } }), 'PUT');
    assert.equal(big.status, 413);
    // The agent is still fine afterwards.
    assert.equal((await fetch(`${agent.address}/v1/agent/health`)).status, 200);
});
//# sourceMappingURL=security.test.js.map