import { test } from 'node:test';
import assert from 'node:assert/strict';
import { camelCased, decodeSpec, pickSpec, spec } from './config-spec.js';
const schema = spec.object({
    command: spec.attr('string', { required: true }),
    args: spec.attr('list(string)'),
    run_for: spec.attr('duration', { default: '0s' }),
    count: spec.attr('number', { min: 0 }),
    enabled: spec.attr('bool', { default: false }),
    mode: spec.attr('string', { oneOf: ['none', 'chroot'] }),
    labels: spec.attr('map(string)'),
    inner: spec.block(spec.object({ x: spec.attr('number', { default: 1 }) })),
    items: spec.blockList(spec.object({ name: spec.attr('string', { required: true }) }), { max: 2 }),
});
test('decodeSpec: decodes types, parses durations once, fills defaults', () => {
    const { value, problems } = decodeSpec(schema, {
        command: 'sleep',
        args: ['1', 2],
        run_for: '1m30s',
        count: 3,
        labels: [{ a: 'b', n: 1 }],
        items: [{ name: 'one' }],
    }, 'config');
    assert.deepEqual(problems, []);
    assert.deepEqual(value, {
        command: 'sleep',
        args: ['1', '2'],
        run_for: 90_000,
        count: 3,
        enabled: false,
        labels: { a: 'b', n: '1' },
        inner: { x: 1 },
        items: [{ name: 'one' }],
    });
});
test('decodeSpec: reports every problem with its field path', () => {
    const { problems } = decodeSpec(schema, {
        comand: 'x',
        run_for: '10',
        count: -1,
        enabled: 'yes',
        mode: 'image',
        items: [{}, { name: 'b' }, { name: 'c' }],
    }, 'job.t.config');
    const byField = Object.fromEntries(problems.map((p) => [p.field, p.message]));
    assert.match(byField['job.t.config.comand'] ?? '', /unknown attribute or block "comand" \(did you mean "command"\?\)/);
    assert.match(byField['job.t.config.command'] ?? '', /missing required attribute/);
    assert.match(byField['job.t.config.run_for'] ?? '', /missing unit/);
    assert.match(byField['job.t.config.count'] ?? '', /at least 0/);
    assert.match(byField['job.t.config.enabled'] ?? '', /expected a bool/);
    assert.match(byField['job.t.config.mode'] ?? '', /must be one of "none", "chroot"/);
    assert.match(byField['job.t.config.items'] ?? '', /at most 2/);
    assert.match(byField['job.t.config.items[0].name'] ?? '', /missing required/);
});
test('decodeSpec: runtime interpolation is left for task start when allowed', () => {
    const raw = { command: '${NOMAD_TASK_DIR}/run', run_for: '${NOMAD_META_wait}', count: '${NOMAD_META_n}' };
    assert.deepEqual(decodeSpec(schema, raw, 'c', { allowInterpolation: true }).problems, []);
    assert.equal(decodeSpec(schema, raw, 'c').problems.length, 2);
});
function assertType() { }
test('SpecValue: the schema gives the decoded type (required/defaulted set, others optional, durations ms)', () => {
    assertType();
    assertType();
    // Typed schemas stay usable where any schema is taken (hclspec, jobspec).
    const untyped = schema;
    const { value } = decodeSpec(schema, { command: 'x', inner: [{ x: 2 }] }, 'c');
    const n = value.inner.x;
    assert.equal(n + value.run_for, 2);
    assert.equal(untyped.fields['command']?.kind, 'attr');
});
test('camelCased: snake_case keys become camelCase or the given names, in type and value', () => {
    const v = { cgroup_v2_override: 'a', run_for: 5, args: ['x'] };
    const c = camelCased(v, { run_for: 'runForMs' });
    assertType();
    assert.deepEqual(c, { cgroupV2Override: 'a', runForMs: 5, args: ['x'] });
    const whole = { command: 'x', other: 1 };
    const picked = pickSpec(spec.object({ command: spec.attr('string', { required: true }) }), whole);
    assert.deepEqual(picked, { command: 'x' });
});
//# sourceMappingURL=config-spec.test.js.map