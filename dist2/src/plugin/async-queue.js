/** A push-driven AsyncIterable: gRPC stream events in, `for await` out. */
export class AsyncQueue {
    items = [];
    waiting;
    failWaiting;
    done = false;
    /** Set by fail(): the iteration ends with it. */
    failure;
    /** Adds an item (ignored once ended). */
    push(item) {
        if (this.done)
            return;
        const w = this.waiting;
        if (w) {
            this.waiting = this.failWaiting = undefined;
            w({ value: item, done: false });
        }
        else
            this.items.push(item);
    }
    /** Ends the iteration after the queued items. */
    end() {
        if (this.done)
            return;
        this.done = true;
        const w = this.waiting;
        this.waiting = this.failWaiting = undefined;
        w?.({ value: undefined, done: true });
    }
    /** Ends the iteration with an error after the queued items. */
    fail(err) {
        if (this.done)
            return;
        this.failure = { error: err };
        this.done = true;
        const f = this.failWaiting;
        this.waiting = this.failWaiting = undefined;
        f?.(err);
    }
    [Symbol.asyncIterator]() {
        return {
            next: () => {
                const item = this.items.shift();
                if (item !== undefined || this.items.length > 0)
                    return Promise.resolve({ value: item, done: false });
                if (this.done)
                    return this.failure ? Promise.reject(this.failure.error) : Promise.resolve({ value: undefined, done: true });
                return new Promise((resolve, reject) => {
                    this.waiting = resolve;
                    this.failWaiting = reject;
                });
            },
            return: () => {
                this.end();
                return Promise.resolve({ value: undefined, done: true });
            },
        };
    }
}
//# sourceMappingURL=async-queue.js.map