import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MockDriver } from '../../drivers/mock/driver.js';
import { silentLogger } from '../../model/logger.js';
import { displayMessage } from '../../model/task-event.js';
import { startServer, tempDir } from '../artifacts/testing.js';
import { allocHarness, makeJob, makeTask } from '../testing.js';
import { ArtifactHook, artifactId } from './artifact-hook.js';
import { HookError } from './types.js';
const node = { attributes: {}, datacenter: 'dc1' };
const artifact = (source, over = {}) => ({ source, destination: 'local/', mode: 'any', options: {}, headers: {}, ...over });
let srv;
before(async () => {
    srv = await startServer();
});
after(() => srv.close());
function setup() {
    const alloc = tempDir();
    const taskDir = {
        dir: join(alloc, 't'),
        sharedAllocDir: join(alloc, 'alloc'),
        logDir: join(alloc, 'alloc', 'logs'),
        localDir: join(alloc, 't', 'local'),
        secretsDir: join(alloc, 't', 'secrets'),
        tmpDir: join(alloc, 't', 'tmp'),
    };
    mkdirSync(taskDir.localDir, { recursive: true });
    const events = [];
    const hook = new ArtifactHook({ events: { emit: (e) => events.push(e) }, now: Date.now, node });
    const prestart = (artifacts, previousState, env = {}) => hook.prestart({ task: makeTask('t', {}, { artifacts }), taskDir, env, previousState, signal: AbortSignal.timeout(10_000) });
    return { taskDir, events, prestart };
}
test('ArtifactHook: no artifacts is a silent no-op that is done', async () => {
    const s = setup();
    assert.deepEqual(await s.prestart([]), { done: true });
    assert.deepEqual(s.events, []);
});
test('ArtifactHook: emits Downloading Artifacts, fetches in order with interpolation, records each as done', async () => {
    const s = setup();
    srv.routes.set('/h1.txt', { body: 'one' });
    srv.routes.set('/h2.txt', { body: 'two' });
    const arts = [
        artifact(`${srv.base}/h1.txt`, { headers: { 'X-Job': '${NOMAD_JOB_ID}' } }),
        artifact(`${srv.base}/\${FILE}`, { destination: '${NOMAD_TASK_DIR}/conf' }),
    ];
    const resp = await s.prestart(arts, undefined, { NOMAD_JOB_ID: 'web', FILE: 'h2.txt', NOMAD_TASK_DIR: '/local' });
    assert.deepEqual(s.events.map((e) => e.type), ['Downloading Artifacts']);
    assert.equal(displayMessage(s.events[0]), 'Client is downloading artifacts');
    assert.equal(readFileSync(join(s.taskDir.localDir, 'h1.txt'), 'utf8'), 'one');
    assert.equal(readFileSync(join(s.taskDir.localDir, 'conf', 'h2.txt'), 'utf8'), 'two');
    assert.equal(srv.requests.findLast((r) => r.path === '/h1.txt')?.headers['x-job'], 'web');
    assert.deepEqual(resp, { done: true, state: { [artifactId(arts[0])]: '1', [artifactId(arts[1])]: '1' } });
    // A later run with that state (e.g. after an agent restart) fetches nothing.
    const before = srv.requests.length;
    const again = setup();
    await again.prestart(arts, resp.state, { NOMAD_JOB_ID: 'web', FILE: 'h2.txt' });
    assert.equal(srv.requests.length, before);
});
test('ArtifactHook: a checksum mismatch is a recoverable HookError carrying a Failed Artifact Download event', async () => {
    const s = setup();
    srv.routes.set('/bad.bin', { body: 'real' });
    const wrong = createHash('sha256').update('other').digest('hex');
    const got = createHash('sha256').update('real').digest('hex');
    const source = `${srv.base}/bad.bin`;
    const err = await s.prestart([artifact(source, { options: { checksum: `sha256:${wrong}` } })]).then(() => assert.fail('expected a failure'), (e) => e);
    assert.ok(err instanceof HookError);
    assert.equal(err.recoverable, true);
    const msg = `failed to download artifact "${source}": checksum mismatch: expected sha256:${wrong} got sha256:${got}`;
    assert.equal(err.message, msg);
    assert.equal(err.event.type, 'Failed Artifact Download');
    assert.equal(displayMessage(err.event), msg);
    // Nothing left behind: no file, no staging directory.
    assert.deepEqual(readdirSync(s.taskDir.dir).sort(), ['local']);
    assert.deepEqual(readdirSync(s.taskDir.localDir), []);
});
test('ArtifactHook: a destination escaping the alloc dir fails the same way', async () => {
    const s = setup();
    srv.routes.set('/e.txt', { body: 'e' });
    await assert.rejects(s.prestart([artifact(`${srv.base}/e.txt`, { destination: '../../outside' })]), (e) => {
        assert.ok(e instanceof HookError && e.event.type === 'Failed Artifact Download' && e.recoverable);
        assert.match(e.message, /destination "..\/..\/outside" escapes the task and alloc directories/);
        return true;
    });
    assert.ok(!existsSync(join(s.taskDir.dir, '..', '..', 'outside')));
});
test('TaskRunner: a failed artifact download restarts the task per policy, and completed artifacts are not fetched again', async () => {
    srv.routes.set('/retry/ok.txt', { body: 'ok' });
    srv.routes.set('/retry/flaky.txt', (n) => (n === 1 ? { status: 500 } : { body: 'second time lucky' }));
    const task = makeTask('web', { run_for: '10ms' }, {
        artifacts: [artifact(`${srv.base}/retry/ok.txt`), artifact(`${srv.base}/retry/flaky.txt`)],
        restart: { attempts: 2, intervalMs: 60_000, delayMs: 20, mode: 'fail' },
    });
    const driver = new MockDriver({ logger: silentLogger, now: Date.now });
    await driver.setConfig({ pluginConfig: {} });
    const h = allocHarness(makeJob([task], { type: 'batch' }), driver);
    await h.runner.run();
    assert.deepEqual(h.types('web'), [
        'Received',
        'Task Setup',
        'Downloading Artifacts',
        'Failed Artifact Download',
        'Restarting',
        'Downloading Artifacts',
        'Started',
        'Terminated',
    ]);
    const failed = h.first('web', 'Failed Artifact Download');
    assert.equal(displayMessage(failed.event), `failed to download artifact "${srv.base}/retry/flaky.txt": bad response code: 500`);
    assert.equal(srv.count('/retry/ok.txt'), 1, 'the completed artifact is not fetched again');
    assert.equal(srv.count('/retry/flaky.txt'), 2);
    assert.equal(readFileSync(join(h.dir, 'web', 'local', 'flaky.txt'), 'utf8'), 'second time lucky');
    assert.equal(h.runner.clientStatus(), 'complete');
});
//# sourceMappingURL=artifact-hook.test.js.map