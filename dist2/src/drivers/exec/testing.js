/** Test helpers for the exec driver: task configs over real temp dirs. */
import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
let seq = 0;
/** A TaskConfig whose dirs exist under `allocDir` (a new temp dir by default; the caller removes it) (as the task runner's task_dir hook makes them). */
export function execTaskConfig(driverConfig, opts = {}) {
    const allocDir = opts.allocDir ?? mkdtempSync(join(tmpdir(), 'drover-exec-'));
    mkdirSync(allocDir, { recursive: true });
    chmodSync(allocDir, 0o755);
    const name = opts.name ?? 'web';
    const dir = join(allocDir, name);
    const shared = join(allocDir, 'alloc');
    const logDir = join(shared, 'logs');
    for (const d of [logDir, join(shared, 'data'), join(shared, 'tmp'), join(dir, 'local'), join(dir, 'tmp')])
        mkdirSync(d, { recursive: true });
    mkdirSync(join(dir, 'secrets'), { recursive: true, mode: 0o700 });
    const id = `alloc-${++seq}/${name}/${Math.random().toString(36).slice(2, 10)}`;
    return {
        id,
        jobName: 'job',
        jobId: 'job',
        taskGroupName: 'group',
        name,
        namespace: 'default',
        nodeName: 'node',
        nodeId: 'node-1',
        allocId: `alloc-${seq}`,
        env: { PATH: '/usr/local/bin:/usr/bin:/bin', NOMAD_TASK_DIR: '/local', NOMAD_ALLOC_DIR: '/alloc', NOMAD_SECRETS_DIR: '/secrets' },
        resources: { cpuShares: 100, cores: 0, memoryMb: opts.memoryMb ?? 128, memoryMaxMb: opts.memoryMaxMb ?? 0 },
        mounts: [],
        devices: [],
        user: opts.user ?? '',
        allocDir,
        taskDir: { dir, sharedAllocDir: shared, logDir, localDir: join(dir, 'local'), secretsDir: join(dir, 'secrets'), tmpDir: join(dir, 'tmp') },
        stdoutPath: join(logDir, `${name}.stdout.0`),
        stderrPath: join(logDir, `${name}.stderr.0`),
        logRotation: { maxFiles: 2, maxFileSizeBytes: 1024 * 1024 },
        driverConfig,
    };
}
//# sourceMappingURL=testing.js.map