import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DroverError, ErrorCode, TaskAlreadyExistsError, TaskNotFoundError, ValidationError } from '../../model/errors.js';
import { TaskNotRunningError } from '../../taskrunner/task-runner.js';
import { NotFoundError, PermissionDeniedError } from '../core/errors.js';
import { badRequest, toHttp } from './errors.js';
test('toHttp: the status comes from the error code, not the class', () => {
    const cases = [
        [new NotFoundError('job not found'), 404],
        [new PermissionDeniedError(), 403],
        [new ValidationError([{ field: 'Job.ID', message: 'missing' }]), 400],
        [badRequest('Job.TaskGroups: expected a list'), 400],
        [new TaskNotRunningError(), 400],
        [new TaskNotFoundError('x'), 404],
        [new TaskAlreadyExistsError('x'), 409],
        [new DroverError(ErrorCode.conflict, 'held'), 409],
        [new DroverError(ErrorCode.unavailable, 'plugin is shut down'), 503],
        [new DroverError(ErrorCode.internal, 'boom'), 500],
        [new Error('plain'), 500],
    ];
    for (const [err, status] of cases)
        assert.equal(toHttp(err).status, status, String(err));
    assert.deepEqual(toHttp(new NotFoundError('job not found')), { status: 404, message: 'job not found' });
});
test('toHttp: Fastify errors keep their own status', () => {
    const tooBig = Object.assign(new Error('x'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    assert.deepEqual(toHttp(tooBig), { status: 413, message: 'Request body is too large' });
});
//# sourceMappingURL=errors.test.js.map