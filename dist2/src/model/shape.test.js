import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from './errors.js';
import { parseShape, shape } from './shape.js';
const launch = shape.object({
    pid: shape.integer(),
    taskId: shape.string(),
    cgroup: shape.optional(shape.string()),
    tty: shape.boolean(),
    mode: shape.literal('private', 'host'),
    env: shape.record(shape.string()),
    args: shape.array(shape.string()),
    resources: shape.object({ memoryMb: shape.number() }),
    output: shape.variant('kind', {
        rotate: shape.object({ dir: shape.string() }),
        paths: shape.object({ stdoutPath: shape.string() }),
    }),
});
const good = {
    pid: 7,
    taskId: 't',
    tty: false,
    mode: 'host',
    env: { A: 'b' },
    args: ['x'],
    resources: { memoryMb: 1.5 },
    output: { kind: 'paths', stdoutPath: '/dev/null' },
};
test('parseShape: a valid value comes back typed, undeclared keys dropped', () => {
    const v = parseShape(launch, { ...good, extra: 1, output: { ...good.output, more: true } }, 'launch');
    assert.deepEqual(v, good);
    assert.equal(v.cgroup, undefined);
    assert.equal(parseShape(launch, { ...good, cgroup: '/sys/x' }, 'launch').cgroup, '/sys/x');
});
test('parseShape: every problem is named by its field path', () => {
    const problems = (value) => {
        try {
            parseShape(launch, value, 'launch');
        }
        catch (err) {
            assert.ok(err instanceof ValidationError);
            return err.problems.map((p) => `${p.field}: ${p.message}`);
        }
        assert.fail('expected a ValidationError');
    };
    assert.deepEqual(problems({ ...good, resources: { memoryMb: 'x' } }), ['launch.resources.memoryMb: expected a number, got string "x"']);
    assert.deepEqual(problems({ ...good, pid: 1.5, taskId: undefined, cgroup: 3 }), [
        'launch.pid: expected an integer, got number 1.5',
        'launch.taskId: missing required field',
        'launch.cgroup: expected a string, got number 3',
    ]);
    assert.deepEqual(problems({ ...good, mode: 'shared', env: { A: 1 }, args: 'x' }), [
        'launch.mode: expected one of "private", "host", got string "shared"',
        'launch.env.A: expected a string, got number 1',
        'launch.args: expected a list, got string "x"',
    ]);
    assert.deepEqual(problems({ ...good, output: { kind: 'syslog' } }), ['launch.output.kind: expected one of "rotate", "paths", got string "syslog"']);
    assert.deepEqual(problems({ ...good, output: { kind: 'rotate' } }), ['launch.output.dir: missing required field']);
    assert.deepEqual(problems([good]), ['launch: expected an object, got a list']);
    assert.deepEqual(problems({ ...good, taskId: 5, args: [1, 'a', null] }), [
        'launch.taskId: expected a string, got number 5',
        'launch.args[0]: expected a string, got number 1',
        'launch.args[2]: expected a string, got null',
    ]);
});
test('parseShape: the error message is the one a log line or a wire error shows', () => {
    assert.throws(() => parseShape(launch, { ...good, resources: { memoryMb: 'x' } }, 'launch'), {
        name: 'ValidationError',
        message: 'launch.resources.memoryMb: expected a number, got string "x"',
    });
    const long = 'z'.repeat(200);
    assert.throws(() => parseShape(shape.integer(), long, 'n'), { message: `n: expected an integer, got string "${'z'.repeat(64)}…"` });
});
//# sourceMappingURL=shape.test.js.map