import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTaskEnv, filterHostEnv, interpolate, envLookup } from './task-env.js';
import { makeJob, makeTask } from './testing.js';
const node = { datacenter: 'dc1', attributes: { 'attr.kernel.name': 'linux', 'meta.rack': 'r1' } };
function env(over = {}) {
    const task = makeTask('web', {}, { env: { GREETING: 'hi ${NOMAD_TASK_NAME} on ${attr.kernel.name}', PATH: '/opt/bin' }, meta: { Owner: 'ops' } });
    const job = makeJob([task]);
    return buildTaskEnv({
        job,
        group: job.groups[0],
        task,
        allocId: '0123456789abcdef-0000',
        allocIndex: 2,
        dirs: { alloc: '/alloc', local: '/local', secrets: '/secrets' },
        node,
        ...over,
    });
}
test('buildTaskEnv: Nomad variables, meta in both spellings, interpolated task env', () => {
    const e = env();
    assert.equal(e.NOMAD_TASK_DIR, '/local');
    assert.equal(e.NOMAD_ALLOC_NAME, 'test.g[2]');
    assert.equal(e.NOMAD_ALLOC_INDEX, '2');
    assert.equal(e.NOMAD_SHORT_ALLOC_ID, '01234567');
    assert.equal(e.NOMAD_CPU_LIMIT, '100');
    assert.equal(e.NOMAD_MEMORY_LIMIT, '300');
    assert.equal(e.NOMAD_META_OWNER, 'ops');
    assert.equal(e.NOMAD_META_Owner, 'ops');
    assert.equal(e.GREETING, 'hi web on linux');
});
test('buildTaskEnv: host env fills gaps only; the task env and Nomad variables win', () => {
    const e = env({ hostEnv: { PATH: '/usr/bin', HOME: '/root', NOMAD_TASK_DIR: '/evil' } });
    assert.equal(e.HOME, '/root');
    assert.equal(e.PATH, '/opt/bin');
    assert.equal(e.NOMAD_TASK_DIR, '/local');
});
test('filterHostEnv: drops Nomad\'s default deny list (tokens, cloud credentials)', () => {
    const f = filterHostEnv({ PATH: '/bin', VAULT_TOKEN: 's', AWS_SECRET_ACCESS_KEY: 'k', NOMAD_TOKEN: 't', LANG: 'C', EMPTY: undefined });
    assert.deepEqual(f, { PATH: '/bin', LANG: 'C' });
});
test('interpolate: unknown references stay as written; env["X"] and node facts resolve', () => {
    const look = envLookup({ A: '1' }, node);
    assert.equal(interpolate('${A}-${env["A"]}-${meta.rack}-${NOPE}', look), '1-1-r1-${NOPE}');
});
//# sourceMappingURL=task-env.test.js.map