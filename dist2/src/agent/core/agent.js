/**
 * The agent (Nomad's client half, on one node): owns the state database,
 * the drivers, the node fingerprint and one AllocSupervisor per live
 * allocation. Job registrations are planned (reconcile.ts), committed in
 * one durable transaction, and only then acted on, so whatever the API
 * acknowledged is on disk before any task starts; a restart replays the
 * database: live allocations are resumed (tasks re-attached through the
 * drivers' recoverTask), stopped ones finish stopping, purges complete.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { newTaskState } from '../../model/task-state.js';
import { DroverError, errorMessage } from '../../model/errors.js';
import { isDriverShutdowner } from '../../drivers/types.js';
import { builtinDrivers } from '../drivers.js';
import { filterHostEnv } from '../../taskrunner/task-env.js';
import { fingerprintNode } from '../node.js';
import { openDatabase, StateDB } from '../state/state-db.js';
import { SqliteTaskStateStore } from '../state/task-store.js';
import { AllocSupervisor, allocDirOf } from './alloc-supervisor.js';
import { EventBroker } from './event-broker.js';
import { DriverFingerprints, hostAttributes } from './fingerprint.js';
import { deepEqual } from './task-diff.js';
import { planRegistration, STOP_REASONS } from './reconcile.js';
import { allocEvent, jobEvent } from './publish.js';
import { NotFoundError } from './errors.js';
export class Agent {
    config;
    db;
    store;
    events;
    drivers;
    node;
    fingerprints;
    logger;
    now;
    /** Unix ms when this agent started. */
    startedAt;
    sups = new Map();
    purges = new Map();
    deps;
    /** The drivers whose fingerprints are followed. */
    fingerprinted;
    closed = false;
    /** Plugins launched from plugin_dir; stopped with the agent (their tasks' fate is the plugin's, as in Nomad). */
    external = [];
    constructor(o, drivers, db) {
        this.config = o.config;
        this.logger = o.logger;
        this.now = o.now ?? Date.now;
        this.startedAt = this.now();
        this.db = db;
        this.store = new SqliteTaskStateStore(db.db);
        this.events = new EventBroker(db.lastIndex);
        this.drivers = drivers;
        let nodeId = db.meta('node_id');
        if (!nodeId) {
            nodeId = randomUUID();
            db.durable(() => db.setMeta('node_id', nodeId));
        }
        const identity = fingerprintNode({ id: nodeId, datacenter: o.config.datacenter, meta: o.config.client.meta });
        this.node = { ...identity, name: o.config.name || identity.name, attributes: { ...identity.attributes } };
        this.fingerprinted = drivers.names().filter((n) => !o.fingerprintDrivers || o.fingerprintDrivers.includes(n));
        this.fingerprints = new DriverFingerprints(this.fingerprinted.map((n) => [n, drivers.get(n)]), this.now, o.logger);
        const c = o.config.client;
        this.deps = {
            db,
            store: this.store,
            drivers,
            node: this.node,
            dataDir: o.config.dataDir,
            // Nomad's defaults: root may not run tasks of the isolating drivers.
            validate: {
                userDenylist: c.userDenylist.length > 0 ? c.userDenylist : ['root'],
                checkedDrivers: c.userCheckedDrivers.length > 0 ? c.userCheckedDrivers : ['exec', 'qemu', 'java'],
            },
            hostEnv: filterHostEnv(process.env),
            statsIntervalMs: o.config.statsIntervalMs,
            logger: o.logger,
            now: this.now,
            random: o.random ?? Math.random,
            onChange: (record, task, event, state) => {
                if (task !== undefined && event && state)
                    o.onTaskEvent?.(record, task, event, state);
                if (!this.closed)
                    this.events.publish([allocEvent(this, record, 'AllocationUpdated', task)]);
            },
            onTerminal: (record) => this.allocTerminal(record),
        };
    }
    /** Opens the data dir's state, configures drivers, and resumes every stored allocation. */
    static async start(o) {
        const ctx = { logger: o.logger, now: o.now ?? Date.now };
        const drivers = o.drivers ?? (await builtinDrivers(ctx, o.config.plugins, { dataDir: o.config.dataDir }));
        const db = new StateDB(openDatabase(o.config.dataDir));
        // Loaded only when configured: the go-plugin client (gRPC) is slow to import.
        const external = o.config.pluginDir === '' ? [] : await (await import('./external-plugins.js')).loadExternalPlugins(o.config, drivers, db, o.logger);
        const agent = new Agent(o, drivers, db);
        agent.external = external;
        await agent.fingerprints.ready(agent.fingerprinted, 2_000);
        agent.refreshNodeAttributes();
        agent.recover();
        return agent;
    }
    // ---- jobs --------------------------------------------------------------
    /** The job's current record (purging jobs are already gone for readers). */
    job(id) {
        const j = this.db.job(id);
        return j && !j.purging ? j : undefined;
    }
    jobs() {
        return this.db.jobs().filter((j) => !j.purging);
    }
    /**
     * Registers a job version: a no-op when the spec did not change, else a new
     * version whose plan (place / stop / in-place) is committed before it runs.
     */
    async register(job) {
        this.assertOpen();
        const purge = this.purges.get(job.id);
        if (purge)
            await purge;
        const existing = this.db.job(job.id);
        if (existing && !existing.stop && deepEqual(existing.job, job)) {
            return { evalId: randomUUID(), index: this.db.lastIndex, jobModifyIndex: existing.jobModifyIndex };
        }
        const wanted = this.db.allocsByJob(job.id).filter((a) => a.desiredStatus === 'run');
        const plan = planRegistration(existing && !existing.stop ? existing.job : undefined, job, wanted);
        const now = this.now();
        const version = existing ? existing.version + 1 : 0;
        const placed = [];
        const changed = [];
        const index = this.db.durable(() => {
            const index = this.db.nextIndex();
            this.db.putJobVersion({ id: job.id, version, job, submitTime: now });
            this.db.putJob({
                id: job.id,
                version,
                job,
                stop: false,
                purging: false,
                submitTime: now,
                createIndex: existing?.createIndex ?? index,
                modifyIndex: index,
                jobModifyIndex: index,
            });
            for (const s of plan.stop)
                changed.push(this.writeDesired(s.allocId, 'stop', s.description, index));
            for (const id of plan.inPlace) {
                const a = this.db.alloc(id);
                const next = { ...a, jobVersion: version, modifyTime: now, modifyIndex: index };
                this.db.putAlloc(next);
                changed.push(next);
            }
            for (const p of plan.place) {
                const rec = newAllocRecord(job, p.group, p.index, version, now, index);
                this.db.putAlloc(rec);
                placed.push(rec);
            }
            return index;
        });
        this.events.publish([jobEvent(this, job.id, 'JobRegistered')]);
        this.apply(job, plan, changed, placed);
        return { evalId: randomUUID(), index, jobModifyIndex: index, plan };
    }
    /** Stops a job (Nomad's deregister); with purge, the job and its allocs leave the state once stopped. */
    deregister(id, purge) {
        this.assertOpen();
        const existing = this.db.job(id);
        if (!existing || existing.purging)
            throw new NotFoundError('job not found');
        const changed = [];
        const index = this.db.durable(() => {
            const index = this.db.nextIndex();
            this.db.putJob({ ...existing, stop: true, purging: purge, modifyIndex: index, jobModifyIndex: existing.stop ? existing.jobModifyIndex : index });
            for (const a of this.db.allocsByJob(id)) {
                if (a.desiredStatus === 'run')
                    changed.push(this.writeDesired(a.id, 'stop', STOP_REASONS.jobStopped, index));
            }
            return index;
        });
        this.events.publish([jobEvent(this, id, 'JobDeregistered', purge)]);
        for (const a of changed)
            this.stopSupervisor(a);
        if (purge)
            this.schedulePurge(id);
        return { evalId: randomUUID(), index, jobModifyIndex: index };
    }
    // ---- allocations -------------------------------------------------------
    /** The allocation by full id or unique prefix. */
    alloc(idOrPrefix) {
        const rec = this.db.alloc(idOrPrefix) ?? (idOrPrefix.length >= 1 ? this.db.allocByPrefix(idOrPrefix) : undefined);
        return rec && this.view(rec);
    }
    allocs(jobId) {
        return (jobId === undefined ? this.db.allocs() : this.db.allocsByJob(jobId)).map((a) => this.view(a));
    }
    /** The live supervisor of an alloc, while its runner runs. */
    supervisor(allocId) {
        return this.sups.get(allocId);
    }
    /** The allocation's directory on this host. */
    allocDir(allocId) {
        return allocDirOf(this.config.dataDir, allocId);
    }
    /** Stops one allocation (Nomad's alloc stop): a replacement is placed unless the job is stopped. */
    stopAlloc(allocId) {
        this.assertOpen();
        const a = this.db.alloc(allocId);
        if (!a)
            throw new NotFoundError('alloc not found');
        const job = this.db.job(a.jobId);
        let replacement;
        let changed;
        const index = this.db.durable(() => {
            const index = this.db.nextIndex();
            if (a.desiredStatus === 'run')
                changed = this.writeDesired(a.id, 'stop', STOP_REASONS.userStop, index);
            if (changed && job && !job.stop && !a.terminal) {
                replacement = newAllocRecord(job.job, a.group, a.index, job.version, this.now(), index);
                this.db.putAlloc(replacement);
            }
            return index;
        });
        if (changed)
            this.stopSupervisor(changed);
        if (replacement && job)
            this.startSupervisor(replacement, job.job);
        return { evalId: randomUUID(), index };
    }
    // ---- lifecycle ---------------------------------------------------------
    /** Stops supervising (Nomad's client shutdown): tasks keep running and are re-attached on the next start. */
    async shutdown() {
        if (this.closed)
            return;
        this.closed = true;
        this.fingerprints.stop();
        await Promise.all([...this.sups.values()].map((s) => s.shutdown()));
        // Shutdown goes on past a failing driver or plugin (the database must still close), but says which failed.
        for (const name of this.drivers.names()) {
            const d = this.drivers.get(name);
            if (d && isDriverShutdowner(d)) {
                await d.shutdown({ signal: AbortSignal.timeout(5_000) }).catch((err) => this.logger.warn('driver shutdown failed', { driver: name, error: errorMessage(err) }));
            }
        }
        await Promise.all(this.external.map((e) => e.kill().catch((err) => this.logger.warn('stopping plugin failed', { driver: e.name, pid: e.pid(), error: errorMessage(err) }))));
        this.db.close();
    }
    /** Live supervisors (for metrics). */
    get liveAllocs() {
        return this.sups.size;
    }
    /** Resolves when the allocation's runner has ended for good (at once if it already has). */
    async waitAlloc(allocId) {
        await this.sups.get(allocId)?.start();
    }
    // ---- internals ---------------------------------------------------------
    view(rec) {
        const sup = this.sups.get(rec.id);
        const job = sup?.job ?? this.db.jobVersion(rec.jobId, rec.jobVersion)?.job;
        if (!job)
            return { record: rec, job: placeholderJob(rec.jobId), states: new Map() };
        const group = job.groups.find((g) => g.name === rec.group);
        const states = new Map();
        for (const t of group?.tasks ?? [])
            states.set(t.name, this.store.peekTaskState(rec.id, t.name) ?? newTaskState());
        return { record: rec, job, states };
    }
    writeDesired(allocId, desired, description, index) {
        const a = this.db.alloc(allocId);
        const next = { ...a, desiredStatus: desired, desiredDescription: description, modifyTime: this.now(), modifyIndex: index };
        this.db.putAlloc(next);
        return next;
    }
    apply(job, plan, changed, placed) {
        for (const rec of changed) {
            const sup = this.sups.get(rec.id);
            if (rec.desiredStatus === 'stop')
                this.stopSupervisor(rec);
            else if (sup) {
                sup.setRecord(rec);
                void sup.updateInPlace(job).catch((err) => this.logger.warn('in-place update failed', { alloc_id: rec.id, error: errorMessage(err) }));
            }
        }
        for (const rec of placed)
            this.startSupervisor(rec, job);
        if (Object.keys(plan.destructive).length > 0)
            this.logger.info('destructive update', { job: job.id, groups: plan.destructive });
    }
    startSupervisor(rec, job) {
        if (this.closed)
            return;
        let sup;
        try {
            sup = new AllocSupervisor(this.deps, rec, job);
        }
        catch (err) {
            this.failAlloc(rec, errorMessage(err));
            return;
        }
        this.sups.set(rec.id, sup);
        void sup.start();
        this.events.publish([allocEvent(this, rec, 'AllocationUpdated')]);
    }
    stopSupervisor(rec) {
        const sup = this.sups.get(rec.id);
        this.events.publish([allocEvent(this, rec, 'AllocationUpdateDesiredStatus')]);
        if (!sup)
            return;
        sup.setRecord(rec);
        void sup.kill();
    }
    allocTerminal(rec) {
        this.sups.delete(rec.id);
        const job = this.db.job(rec.jobId);
        if (job?.purging)
            this.schedulePurge(job.id);
    }
    /** An alloc that cannot even be built (unknown driver, lost job version): failed and terminal. */
    failAlloc(rec, why) {
        this.logger.error('cannot run allocation', { alloc_id: rec.id, error: why });
        this.db.putAlloc({ ...rec, clientStatus: 'failed', clientDescription: why, terminal: true, modifyTime: this.now(), modifyIndex: this.db.nextIndex() });
    }
    /** Deletes a purged job once none of its allocs has a live runner; idempotent. */
    schedulePurge(jobId) {
        if (this.purges.has(jobId))
            return;
        const done = (async () => {
            for (;;) {
                const live = this.db.allocsByJob(jobId).map((a) => this.sups.get(a.id)).filter((s) => s !== undefined);
                if (live.length === 0)
                    break;
                await Promise.all(live.map((s) => s.start()));
            }
            if (this.closed)
                return;
            const allocs = this.db.allocsByJob(jobId);
            this.db.durable(() => {
                this.db.nextIndex();
                this.db.deleteJob(jobId);
            });
            for (const a of allocs) {
                const job = this.db.jobVersion(a.jobId, a.jobVersion)?.job;
                this.store.forget(a.id, job?.groups.find((g) => g.name === a.group)?.tasks.map((t) => t.name) ?? []);
                // force: a missing dir is fine; anything else (a busy mount, permissions) leaves files behind the user should hear of.
                await rm(this.allocDir(a.id), { recursive: true, force: true }).catch((err) => this.logger.warn('purge: removing alloc dir failed', { alloc_id: a.id, path: this.allocDir(a.id), error: errorMessage(err) }));
            }
        })()
            .catch((err) => this.logger.error('purging job failed', { job: jobId, error: errorMessage(err) }))
            .finally(() => this.purges.delete(jobId));
        this.purges.set(jobId, done);
    }
    /** Replays the database after a start: resume live allocs, finish stops and purges. */
    recover() {
        for (const rec of this.db.allocs()) {
            if (rec.terminal)
                continue;
            const job = this.db.jobVersion(rec.jobId, rec.jobVersion)?.job;
            if (!job) {
                this.failAlloc(rec, `job ${rec.jobId} version ${rec.jobVersion} is missing from state`);
                continue;
            }
            this.startSupervisor(rec, job);
            if (rec.desiredStatus === 'stop')
                void this.sups.get(rec.id)?.kill();
        }
        for (const j of this.db.jobs())
            if (j.purging)
                this.schedulePurge(j.id);
    }
    refreshNodeAttributes() {
        const attrs = this.node.attributes;
        for (const [k, v] of Object.entries(hostAttributes(this.config.dataDir)))
            attrs[`attr.${k}`] = v;
        for (const [k, v] of Object.entries(this.fingerprints.attributes()))
            attrs[`attr.${k}`] = v;
    }
    assertOpen() {
        if (this.closed)
            throw new DroverError('unavailable', 'agent is shutting down');
    }
}
function newAllocRecord(job, group, index, version, now, modifyIndex) {
    return {
        id: randomUUID(),
        jobId: job.id,
        jobVersion: version,
        group,
        index,
        name: `${job.id}.${group}[${index}]`,
        desiredStatus: 'run',
        desiredDescription: '',
        clientStatus: 'pending',
        clientDescription: '',
        terminal: false,
        createTime: now,
        modifyTime: now,
        createIndex: modifyIndex,
        modifyIndex,
    };
}
/** Stands in for a job whose version vanished from state (never expected; keeps reads total). */
function placeholderJob(id) {
    return { id, name: id, type: 'service', namespace: 'default', region: 'global', datacenters: [], priority: 50, meta: {}, groups: [] };
}
//# sourceMappingURL=agent.js.map