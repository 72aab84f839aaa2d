/**
 * Supervises one allocation for the agent: builds its AllocRunner from the
 * stored record and job version, runs it, and keeps the alloc's client
 * status in the state database as its tasks change. When the runner ends
 * for good (not an agent shutdown) the alloc is marked terminal, so a later
 * agent start leaves it alone.
 */
import { join } from 'node:path';
import { DroverError, errorMessage } from '../../model/errors.js';
import { AllocRunner } from '../../taskrunner/alloc-runner.js';
/** Nomad's ClientDescription for each client status. */
const CLIENT_DESCRIPTIONS = {
    pending: 'No tasks have started',
    running: 'Tasks are running',
    complete: 'All tasks have completed',
    failed: 'Failed tasks',
};
/** The alloc dir of an allocation under the agent's data dir (Nomad's data_dir/alloc/ID). */
export function allocDirOf(dataDir, allocId) {
    return join(dataDir, 'alloc', allocId);
}
export class AllocSupervisor {
    record;
    job;
    runner;
    deps;
    shuttingDown = false;
    running;
    constructor(deps, record, job) {
        this.deps = deps;
        this.record = record;
        this.job = job;
        const group = job.groups.find((g) => g.name === record.group);
        if (!group)
            throw new DroverError('internal', `job ${job.id} version has no group "${record.group}"`);
        this.runner = new AllocRunner({
            alloc: { id: record.id, index: record.index, dir: allocDirOf(deps.dataDir, record.id), job, group },
            driver: (name) => deps.drivers.get(name),
            store: deps.store,
            node: deps.node,
            validate: deps.validate,
            hostEnv: deps.hostEnv,
            statsIntervalMs: deps.statsIntervalMs,
            now: deps.now,
            random: deps.random,
            logger: deps.logger,
            onTaskUpdate: (_id, task, state, event) => {
                // Runners emit "Received" while the AllocRunner is still being built.
                if (this.runner)
                    this.refreshStatus();
                deps.onChange(this.record, task, event, state);
            },
        });
    }
    /** The task group this alloc runs. */
    get group() {
        return this.job.groups.find((g) => g.name === this.record.group);
    }
    /** Starts (or, after an agent restart, resumes) the runner; resolves when it ends. */
    start() {
        this.running ??= this.runner.run().then(() => this.finished(), (err) => {
            this.deps.logger.error('alloc runner failed', { alloc_id: this.record.id, error: errorMessage(err) });
            this.finished();
        });
        return this.running;
    }
    /** Kills every task (desired status is already stored as "stop"). */
    kill() {
        return this.runner.kill();
    }
    /** Moves the running alloc to a new job version without restarting tasks (Update hooks run). */
    async updateInPlace(job) {
        const group = job.groups.find((g) => g.name === this.record.group);
        if (!group)
            return;
        this.job = job;
        await Promise.all(group.tasks.map(async (t) => this.runner.task(t.name)?.update(t)));
    }
    /** Replaces the record after the agent wrote a new one (desired status, version). */
    setRecord(record) {
        this.record = record;
    }
    /** Agent shutdown: stop supervising, leave tasks running. */
    async shutdown() {
        this.shuttingDown = true;
        await this.runner.shutdown();
        await this.running;
    }
    /** Writes the client status when it changed (not fsynced: the task states it derives from are not either). */
    refreshStatus() {
        const status = this.runner.clientStatus();
        if (status === this.record.clientStatus || this.shuttingDown)
            return;
        this.write({ clientStatus: status, clientDescription: CLIENT_DESCRIPTIONS[status] });
    }
    finished() {
        if (this.shuttingDown)
            return;
        const status = this.runner.clientStatus();
        this.write({ clientStatus: status, clientDescription: CLIENT_DESCRIPTIONS[status], terminal: true });
        this.deps.onTerminal(this.record);
    }
    write(change) {
        const db = this.deps.db;
        // The alloc may have been purged meanwhile: never resurrect its row.
        const current = db.alloc(this.record.id);
        if (!current)
            return;
        this.record = { ...current, ...change, modifyTime: this.deps.now(), modifyIndex: db.nextIndex() };
        db.putAlloc(this.record);
        this.deps.onChange(this.record);
    }
}
//# sourceMappingURL=alloc-supervisor.js.map