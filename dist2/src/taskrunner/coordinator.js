/** Which stage gates a task. */
export function stageOf(task) {
    const lc = task.lifecycle;
    if (!lc)
        return 'main';
    if (lc.hook === 'poststop')
        return 'poststop';
    if (lc.hook === 'prestart')
        return lc.sidecar ? 'prestart-sidecar' : 'prestart';
    return lc.sidecar ? 'poststart-sidecar' : 'poststart';
}
/** What each phase lets run. */
const OPEN = {
    init: [],
    prestart: ['prestart', 'prestart-sidecar'],
    main: ['prestart-sidecar', 'main'],
    poststart: ['prestart-sidecar', 'main', 'poststart', 'poststart-sidecar'],
    'wait-alloc': ['prestart-sidecar', 'main', 'poststart-sidecar'],
    poststop: ['poststop'],
};
class Gate {
    open = false;
    waiters = [];
    set(open) {
        this.open = open;
        if (open) {
            for (const w of this.waiters.splice(0))
                w();
        }
    }
    wait(signal) {
        if (this.open || signal.aborted)
            return Promise.resolve();
        return new Promise((resolve) => {
            const done = () => {
                signal.removeEventListener('abort', done);
                resolve();
            };
            this.waiters.push(done);
            signal.addEventListener('abort', done, { once: true });
        });
    }
}
export class Coordinator {
    phase = 'init';
    gates = new Map();
    byStage = new Map();
    constructor(tasks) {
        for (const t of tasks) {
            const stage = stageOf(t);
            this.byStage.set(stage, [...(this.byStage.get(stage) ?? []), t.name]);
        }
        for (const s of ['prestart', 'prestart-sidecar', 'main', 'poststart', 'poststart-sidecar', 'poststop'])
            this.gates.set(s, new Gate());
    }
    /** Resolves when `task` may (re)start. */
    startCondition(task) {
        const gate = this.gates.get(stageOf(task));
        return (signal) => gate.wait(signal);
    }
    /**
     * Sets the phase for an alloc restored after an agent restart (Nomad's
     * Coordinator.Restore): skips "init", which waits for every task to be
     * pending and would hold tasks that were already running forever.
     */
    restore(states) {
        this.enter('prestart');
        this.update(states);
    }
    /** Advances through as many phases as the task states allow. */
    update(states) {
        for (;;) {
            const next = this.next(states);
            if (next === this.phase)
                return;
            this.enter(next);
        }
    }
    enter(phase) {
        for (const [stage, gate] of this.gates)
            gate.set(OPEN[phase].includes(stage));
        this.phase = phase;
    }
    next(states) {
        const of = (stage) => (this.byStage.get(stage) ?? []).map((n) => states.get(n)).filter((s) => s !== undefined);
        const allocDone = [...this.byStage.entries()].every(([stage, names]) => stage === 'poststop' || names.every((n) => states.get(n)?.state === 'dead'));
        if (allocDone)
            return 'poststop';
        switch (this.phase) {
            case 'init':
                return [...states.values()].every((s) => s.state === 'pending') ? 'prestart' : 'init';
            case 'prestart': {
                const ephemeralDone = of('prestart').every((s) => s.state === 'dead' && !s.failed);
                const sidecarsUp = of('prestart-sidecar').every((s) => s.state === 'running');
                return ephemeralDone && sidecarsUp ? 'main' : 'prestart';
            }
            case 'main':
                return of('main').every((s) => s.state !== 'pending') ? 'poststart' : 'main';
            case 'poststart':
                return of('poststart').every((s) => s.state === 'dead') ? 'wait-alloc' : 'poststart';
            case 'wait-alloc':
            case 'poststop':
                return this.phase;
            default: {
                const never = this.phase;
                return never;
            }
        }
    }
}
//# sourceMappingURL=coordinator.js.map