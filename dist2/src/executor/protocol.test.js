import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DroverError, TaskNotFoundError, ValidationError } from '../model/errors.js';
import { LineDecoder, encodeLine, errorFromWire, errorToWire, fromB64, toB64 } from './protocol.js';
test('LineDecoder: messages split across chunks, several per chunk, bad lines reported', () => {
    const got = [];
    const bad = [];
    const d = new LineDecoder((m) => got.push(m), (e) => bad.push(e));
    const line = encodeLine({ id: 1, m: 'status' });
    d.push(line.slice(0, 5));
    d.push(line.slice(5) + encodeLine({ id: 2, r: { ok: true } }) + '{nope\n');
    assert.deepEqual(got, [{ id: 1, m: 'status' }, { id: 2, r: { ok: true } }]);
    assert.equal(bad.length, 1);
});
test('errors keep code and recoverability across the wire; task-not-found comes back as its class', () => {
    const wire = errorToWire(new DroverError('driver_start', 'boom', { recoverable: true }));
    assert.deepEqual(wire, { code: 'driver_start', message: 'boom', recoverable: true });
    const back = errorFromWire(wire);
    assert.ok(back instanceof DroverError && back.code === 'driver_start' && back.recoverable);
    assert.ok(errorFromWire(errorToWire(new TaskNotFoundError('t')), 't') instanceof TaskNotFoundError);
    assert.equal(errorFromWire(errorToWire(new ValidationError([{ field: 'x', message: 'bad' }]))).code, 'validation');
    assert.equal(errorFromWire({ code: 'weird', message: 'm', recoverable: false }).message, 'm');
    assert.equal(fromB64(toB64(new Uint8Array([0, 255, 7]))).toString('hex'), '00ff07');
});
//# sourceMappingURL=protocol.test.js.map