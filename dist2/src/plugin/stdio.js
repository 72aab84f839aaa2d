/**
 * go-plugin's GRPCStdio: after the handshake, what the plugin writes to its
 * stdout and stderr is streamed to the host (go-plugin swaps os.Stdout and
 * os.Stderr for pipes). Here process.stdout/stderr.write are redirected into
 * a bounded buffer that the host's StreamStdio call drains; the plugin's
 * logger keeps the real stderr, which the host reads as hclog lines.
 */
import { StdioData_Channel } from './wire/go-plugin.js';
/** Output held for the host; oldest chunks go first past the limit (go-plugin would block the writer). */
export class StdioCapture {
    limitBytes;
    chunks = [];
    size = 0;
    listener;
    restore;
    constructor(limitBytes = 1 << 20) {
        this.limitBytes = limitBytes;
    }
    /** Redirects process.stdout and process.stderr writes into this capture. */
    install() {
        const out = process.stdout.write.bind(process.stdout);
        const err = process.stderr.write.bind(process.stderr);
        const capture = (channel) => ((chunk, encoding, cb) => {
            const done = typeof encoding === 'function' ? encoding : cb;
            this.push(channel, typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(chunk));
            if (done)
                setImmediate(done);
            return true;
        });
        process.stdout.write = capture(StdioData_Channel.STDOUT);
        process.stderr.write = capture(StdioData_Channel.STDERR);
        this.restore = () => {
            process.stdout.write = out;
            process.stderr.write = err;
        };
    }
    /** Undoes install(). */
    uninstall() {
        this.restore?.();
        this.restore = undefined;
    }
    /** Queues one chunk, or hands it straight to the connected host. */
    push(channel, data) {
        if (data.length === 0)
            return;
        const c = { channel, data };
        if (this.listener)
            return this.listener(c);
        this.chunks.push(c);
        this.size += data.length;
        while (this.size > this.limitBytes && this.chunks.length > 1)
            this.size -= this.chunks.shift().data.length;
    }
    /** Handlers for plugin.GRPCStdio: the latest StreamStdio call receives everything from now on. */
    handlers() {
        return {
            streamStdio: (call) => {
                const send = (c) => void call.write({ channel: c.channel, data: c.data });
                for (const c of this.chunks)
                    send(c);
                this.chunks = [];
                this.size = 0;
                this.listener = send;
                call.on('cancelled', () => {
                    if (this.listener === send)
                        this.listener = undefined;
                    call.end();
                });
            },
        };
    }
}
//# sourceMappingURL=stdio.js.map