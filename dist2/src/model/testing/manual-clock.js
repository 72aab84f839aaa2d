/**
 * A clock that moves only when the test says so, for code that takes its
 * `now()` and one-shot timers injected (mock_driver's command runs): delays
 * are asserted to the millisecond and nothing waits in real time. Imported by
 * tests only.
 */
export class ManualClock {
    nowMs;
    seq = 0;
    timers = [];
    constructor(startMs = 0) {
        this.nowMs = startMs;
    }
    /** The current manual time in ms. */
    now = () => this.nowMs;
    /** Runs `fn` once the clock reaches now + ms (ms ≤ 0: at the next advance, even by 0); returns a cancel. */
    after = (ms, fn) => {
        const t = { at: this.nowMs + Math.max(0, ms), seq: this.seq++, fn };
        this.timers.push(t);
        return () => {
            const i = this.timers.indexOf(t);
            if (i >= 0)
                this.timers.splice(i, 1);
        };
    };
    /** Timers armed and not yet fired or cancelled. */
    pending() {
        return this.timers.length;
    }
    /** Moves time forward by `ms`, firing each due timer at its own due time, in order (also ones armed meanwhile). */
    advance(ms) {
        this.run(this.nowMs + ms, false);
    }
    /**
     * Moves time forward by `ms` in one step and only then fires what is due, as
     * a busy event loop does: every callback sees the late time.
     */
    jump(ms) {
        this.run(this.nowMs + ms, true);
    }
    run(target, late) {
        if (late)
            this.nowMs = target;
        for (;;) {
            const next = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
            if (!next)
                break;
            this.timers.splice(this.timers.indexOf(next), 1);
            if (!late)
                this.nowMs = Math.max(this.nowMs, next.at);
            next.fn();
        }
        this.nowMs = target;
    }
}
//# sourceMappingURL=manual-clock.js.map