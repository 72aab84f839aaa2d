import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { DriverStartError, DroverError, ERROR_CODES, ErrorCode, GrpcCode, NotSupportedError, TaskAlreadyExistsError, TaskNotFoundError, ValidationError } from '../model/errors.js';
import { PluginShutdownError, STATUS_BY_CODE, TASK_NOT_FOUND_MESSAGE, fromServiceError, toServiceError } from './errors.js';
import { RECOVERABLE_ERROR_TYPE_URL, decodeRecoverableStatus, encodeRecoverableStatus } from './status-detail.js';
/** What a client receives for a status the server sent. */
function received(s) {
    return Object.assign(new Error(s.details), { code: s.code, details: s.details, metadata: s.metadata ?? new grpc.Metadata() });
}
test('errors: no task error maps to UNAVAILABLE or CANCELLED (Nomad reads those as a dead plugin)', () => {
    for (const code of Object.values(ErrorCode)) {
        assert.notEqual(STATUS_BY_CODE[code], grpc.status.UNAVAILABLE, code);
        assert.notEqual(STATUS_BY_CODE[code], grpc.status.CANCELLED, code);
    }
});
test('errors: task not found is UNKNOWN "task not found for given id", as Nomad drivers report it', () => {
    const s = toServiceError(new TaskNotFoundError('x'));
    assert.equal(s.code, grpc.status.UNKNOWN);
    assert.equal(s.details, TASK_NOT_FOUND_MESSAGE);
    // From a Go plugin: no drover trailers, only the text.
    const e = fromServiceError(received({ code: grpc.status.UNKNOWN, details: TASK_NOT_FOUND_MESSAGE }), 'a/t/1');
    assert.ok(e instanceof TaskNotFoundError);
    assert.equal(e.taskId, 'a/t/1');
});
test('errors: start failures are FAILED_PRECONDITION with the RecoverableError detail, both ways', () => {
    for (const recoverable of [true, false]) {
        const s = toServiceError(new DriverStartError('no image', { recoverable }));
        assert.equal(s.code, grpc.status.FAILED_PRECONDITION);
        const details = s.metadata?.get('grpc-status-details-bin')[0];
        assert.ok(details.includes(Buffer.from(RECOVERABLE_ERROR_TYPE_URL)));
        assert.deepEqual(decodeRecoverableStatus(details), { recoverable });
        // As from a Go plugin: only the status detail.
        const md = new grpc.Metadata();
        md.set('grpc-status-details-bin', encodeRecoverableStatus(grpc.status.FAILED_PRECONDITION, 'no image', recoverable));
        const e = fromServiceError(received({ code: grpc.status.FAILED_PRECONDITION, details: 'no image', metadata: md }));
        assert.ok(e instanceof DriverStartError);
        assert.equal(e.recoverable, recoverable);
    }
});
test('errors: drover to drover keeps code, recoverability and validation problems', () => {
    const cases = [
        [new ValidationError([{ field: 'config.x', message: 'bad', line: 3 }]), (e) => assert.deepEqual(e.problems, [{ field: 'config.x', message: 'bad', line: 3 }])],
        [new TaskAlreadyExistsError('t'), (e) => assert.ok(e instanceof TaskAlreadyExistsError)],
        [new NotSupportedError('no exec'), (e) => assert.ok(e instanceof NotSupportedError)],
        [new DroverError(ErrorCode.pluginConfig, 'cfg', { recoverable: true }), (e) => assert.ok(e instanceof DroverError && e.code === 'plugin_config' && e.recoverable)],
        [new DroverError(ErrorCode.internal, 'cannot destroy running task'), (e) => assert.ok(e instanceof DroverError && e.code === 'internal' && e.message === 'cannot destroy running task')],
    ];
    for (const [err, check] of cases)
        check(fromServiceError(received(toServiceError(err)), 't'));
    assert.equal(toServiceError(new Error('plain')).code, grpc.status.UNKNOWN);
    const abort = toServiceError(new DOMException('aborted', 'AbortError'));
    assert.equal(abort.code, grpc.status.CANCELLED);
});
test('errors: UNAVAILABLE and CANCELLED from a plugin mean it shut down (Nomad ErrPluginShutdown)', () => {
    for (const code of [grpc.status.UNAVAILABLE, grpc.status.CANCELLED]) {
        const e = fromServiceError(received({ code, details: 'connection reset' }));
        assert.ok(e instanceof PluginShutdownError);
        assert.equal(e.message, 'plugin is shut down');
    }
    assert.equal(decodeRecoverableStatus(Buffer.from([0x08, 0x09])), undefined);
});
test('errors: the table in model uses grpc-js status numbers, and the plugin layer sends them', () => {
    for (const name of Object.keys(GrpcCode))
        assert.equal(grpc.status[name], GrpcCode[name], name);
    for (const code of Object.values(ErrorCode))
        assert.equal(STATUS_BY_CODE[code], ERROR_CODES[code].grpc, code);
    assert.equal(toServiceError(new DroverError(ErrorCode.notFound, 'no such job')).code, grpc.status.NOT_FOUND);
    assert.equal(toServiceError(new DroverError(ErrorCode.permissionDenied, 'Permission denied')).code, grpc.status.PERMISSION_DENIED);
});
test('errors: a plugin-shut-down error is unavailable and recoverable, and survives a drover hop', () => {
    const e = new PluginShutdownError();
    assert.equal(e.code, ErrorCode.unavailable);
    assert.ok(e.recoverable);
    assert.ok(fromServiceError(received(toServiceError(e))) instanceof PluginShutdownError);
    const back = fromServiceError(received(toServiceError(new DroverError(ErrorCode.notRunning, 'Task not running'))));
    assert.ok(back instanceof DroverError && back.code === ErrorCode.notRunning && back.message === 'Task not running');
});
//# sourceMappingURL=errors.test.js.map