/** TaskConfigs for driver tests: real directories under a fresh temp alloc dir. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { taskDirOf } from '../codec/task-config.js';
/** A TaskConfig whose directories exist, laid out as Nomad lays them out. */
export function testTaskConfig(driverConfig, o = {}) {
    const allocDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drover-conf-'));
    const name = o.name ?? 'web';
    const taskDir = taskDirOf(allocDir, name);
    for (const d of [taskDir.logDir, taskDir.localDir, taskDir.secretsDir, taskDir.tmpDir])
        fs.mkdirSync(d, { recursive: true });
    const allocId = crypto.randomUUID();
    const stdoutPath = path.join(taskDir.logDir, o.fifo ? `.${name}.stdout.fifo` : `${name}.stdout.0`);
    const stderrPath = path.join(taskDir.logDir, o.fifo ? `.${name}.stderr.fifo` : `${name}.stderr.0`);
    if (o.fifo)
        execFileSync('mkfifo', [stdoutPath, stderrPath]);
    return {
        id: `${allocId}/${name}/${crypto.randomBytes(4).toString('hex')}`,
        jobName: 'conformance',
        jobId: 'conformance',
        taskGroupName: 'group',
        name,
        namespace: 'default',
        nodeName: os.hostname(),
        nodeId: 'node-1',
        allocId,
        env: { NOMAD_TASK_NAME: name },
        resources: { cpuShares: 100, cores: 0, memoryMb: 64, memoryMaxMb: 0 },
        user: '',
        allocDir,
        taskDir,
        stdoutPath,
        stderrPath,
        mounts: [],
        devices: [],
        driverConfig,
    };
}
//# sourceMappingURL=task-config.js.map