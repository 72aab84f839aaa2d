export class StatsHook {
    intervalMs;
    sink;
    logger;
    name = 'stats_hook';
    sampling;
    constructor(intervalMs, sink, logger) {
        this.intervalMs = intervalMs;
        this.sink = sink;
        this.logger = logger;
    }
    async poststart(req) {
        this.stopSampling();
        const ctrl = new AbortController();
        this.sampling = ctrl;
        const signal = AbortSignal.any([ctrl.signal, req.signal]);
        // Runs in the background; the runner does not wait for it.
        void (async () => {
            try {
                for await (const usage of req.running.driver.taskStats(req.running.taskId, this.intervalMs, { signal })) {
                    this.sink.update(usage);
                }
            }
            catch (err) {
                if (!signal.aborted)
                    this.logger.debug('stats stream ended', { error: String(err) });
            }
        })();
    }
    async exited() {
        this.stopSampling();
    }
    async stop() {
        this.stopSampling();
    }
    stopSampling() {
        this.sampling?.abort();
        this.sampling = undefined;
    }
}
//# sourceMappingURL=stats-hook.js.map