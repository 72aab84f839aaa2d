/**
 * `alloc exec` over a WebSocket in Nomad's frame format (see the agent's
 * http/exec.ts). Uses the `ws` package: Node 20 has no WebSocket client
 * without a flag.
 */
import WebSocket from 'ws';
/** Opens an exec session; resolves once the socket is open. */
export function execSession(c, allocId, o) {
    const url = c
        .url(`/v1/client/allocation/${encodeURIComponent(allocId)}/exec`, { task: o.task, command: JSON.stringify(o.command), tty: o.tty ?? false })
        .replace(/^http/, 'ws');
    const ws = new WebSocket(url, { headers: c.headers() });
    const queue = [];
    let wake;
    let ended = false;
    let resolveExit;
    let rejectExit;
    const exitCode = new Promise((res, rej) => {
        resolveExit = res;
        rejectExit = rej;
    });
    exitCode.catch(() => undefined);
    let exited = false;
    const send = (frame) => {
        if (ws.readyState === WebSocket.OPEN)
            ws.send(JSON.stringify(frame));
    };
    ws.on('message', (raw) => {
        const f = JSON.parse(raw.toString());
        if (f.stdout?.data)
            queue.push({ stream: 'stdout', data: Buffer.from(f.stdout.data, 'base64') });
        if (f.stderr?.data)
            queue.push({ stream: 'stderr', data: Buffer.from(f.stderr.data, 'base64') });
        if (f.exited && f.result) {
            exited = true;
            resolveExit(f.result.exit_code);
        }
        wake?.();
    });
    ws.on('close', (code, reason) => {
        ended = true;
        if (!exited)
            rejectExit(new Error(`exec session closed (${code})${reason.length > 0 ? `: ${reason.toString()}` : ''}`));
        wake?.();
    });
    async function* output() {
        for (;;) {
            const item = queue.shift();
            if (item) {
                yield item;
                continue;
            }
            if (ended)
                return;
            await new Promise((r) => (wake = r));
            wake = undefined;
        }
    }
    // Nomad's client sends a heartbeat every 10 s so proxies keep the socket open.
    const heartbeat = setInterval(() => send({}), 10_000);
    heartbeat.unref();
    ws.on('close', () => clearInterval(heartbeat));
    return new Promise((resolve, reject) => {
        ws.once('error', (err) => reject(err));
        ws.once('unexpected-response', (_req, res) => reject(new Error(`exec: unexpected response code ${res.statusCode ?? '?'}`)));
        ws.once('open', () => resolve({
            write: (data) => send({ stdin: { data: Buffer.from(data).toString('base64') } }),
            closeStdin: () => send({ stdin: { close: true } }),
            resize: (height, width) => send({ tty_size: { height, width } }),
            output: output(),
            exitCode,
            close: () => ws.close(1000),
        }));
    });
}
//# sourceMappingURL=exec.js.map