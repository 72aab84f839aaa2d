import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isExecStreamingDriver } from '../drivers/types.js';
import { servedMock } from './testing/mock-target.js';
import { testTaskConfig } from './testing/task-config.js';
test('plugin client: a stdin source that fails ends the exec session with its error', async () => {
    const opened = await servedMock().open();
    try {
        const d = opened.driver;
        assert.ok(isExecStreamingDriver(d));
        // The exec'd command runs for a long while: only the stdin failure can end the session early.
        const cfg = testTaskConfig({ run_for: '60s', exec_command: [{ run_for: '60s' }] });
        await d.startTask(cfg);
        async function* stdin() {
            yield Buffer.from('first');
            throw new Error('stdin source broke');
        }
        await assert.rejects(d.execTaskStreaming(cfg.id, { command: ['cat'], tty: false, stdin: stdin(), stdout: () => { }, stderr: () => { } }), /stdin source broke/);
        await d.destroyTask(cfg.id, true);
    }
    finally {
        await opened.dispose();
    }
});
//# sourceMappingURL=exec-stdin.test.js.map