/**
 * Keeps everything in memory (foreground runs and tests). Task states are
 * kept by reference (the runner owns them) and copied only when read back.
 */
export class MemoryStateStore {
    states = new Map();
    locals = new Map();
    putTaskState(allocId, taskName, state) {
        this.states.set(`${allocId}/${taskName}`, state);
    }
    putLocalState(allocId, taskName, local) {
        this.locals.set(`${allocId}/${taskName}`, local);
    }
    getTaskState(allocId, taskName) {
        const s = this.states.get(`${allocId}/${taskName}`);
        return s && structuredClone(s);
    }
    getLocalState(allocId, taskName) {
        return this.locals.get(`${allocId}/${taskName}`);
    }
}
//# sourceMappingURL=state-store.js.map