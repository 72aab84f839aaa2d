/**
 * `alloc exec` over a WebSocket in Nomad's frame format (see the agent's
 * http/exec.ts). Uses the `ws` package: Node 20 has no WebSocket client
 * without a flag.
 */
import type { ApiExecInput, ApiExecOutput } from '../model/nomad-api/index.js';
import type { ApiClient } from './client.js';

export interface ExecOptions {
  readonly task: string;
  readonly command: readonly string[];
  readonly tty?: boolean;
}

/** A running exec session. */
export interface ExecSession {
  /** Sends stdin bytes. */
  write(data: Uint8Array | string): void;
  /** Closes stdin (EOF for the command). */
  closeStdin(): void;
  /** Tells the command's terminal its new size. */
  resize(height: number, width: number): void;
  /** Output as it arrives. */
  readonly output: AsyncIterable<{ readonly stream: 'stdout' | 'stderr'; readonly data: Uint8Array }>;
  /** The command's exit code; rejects if the agent closed the session with an error. */
  readonly exitCode: Promise<number>;
  /** Ends the session from this side. */
  close(): void;
}

/** Opens an exec session; resolves once the socket is open. */
export async function execSession(c: ApiClient, allocId: string, o: ExecOptions): Promise<ExecSession> {
  // Loaded here, not up front: every other CLI command imports this client and never needs ws.
  const { default: WebSocket } = await import('ws');
  const url = c
    .url(`/v1/client/allocation/${encodeURIComponent(allocId)}/exec`, { task: o.task, command: JSON.stringify(o.command), tty: o.tty ?? false })
    .replace(/^http/, 'ws');
  const ws = new WebSocket(url, { headers: c.headers() });
  const queue: Array<{ stream: 'stdout' | 'stderr'; data: Uint8Array }> = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let resolveExit!: (code: number) => void;
  let rejectExit!: (err: Error) => void;
  const exitCode = new Promise<number>((res, rej) => {
    resolveExit = res;
    rejectExit = rej;
  });
  exitCode.catch(() => undefined);
  let exited = false;
  const send = (frame: ApiExecInput): void => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  };
  ws.on('message', (raw: Buffer | string) => {
    const f = JSON.parse(raw.toString()) as ApiExecOutput;
    if (f.stdout?.data) queue.push({ stream: 'stdout', data: Buffer.from(f.stdout.data, 'base64') });
    if (f.stderr?.data) queue.push({ stream: 'stderr', data: Buffer.from(f.stderr.data, 'base64') });
    if (f.exited && f.result) {
      exited = true;
      resolveExit(f.result.exit_code);
    }
    wake?.();
  });
  ws.on('close', (code: number, reason: Buffer) => {
    ended = true;
    if (!exited) rejectExit(new Error(`exec session closed (${code})${reason.length > 0 ? `: ${reason.toString()}` : ''}`));
    wake?.();
  });
  async function* output(): AsyncGenerator<{ stream: 'stdout' | 'stderr'; data: Uint8Array }> {
    for (;;) {
      const item = queue.shift();
      if (item) {
        yield item;
        continue;
      }
      if (ended) return;
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  }
  // Nomad's client sends a heartbeat every 10 s so proxies keep the socket open.
  const heartbeat = setInterval(() => send({}), 10_000);
  heartbeat.unref();
  ws.on('close', () => clearInterval(heartbeat));
  return new Promise((resolve, reject) => {
    ws.once('error', (err: Error) => reject(err));
    ws.once('unexpected-response', (_req: unknown, res: { statusCode?: number }) => reject(new Error(`exec: unexpected response code ${res.statusCode ?? '?'}`)));
    ws.once('open', () =>
      resolve({
        write: (data) => send({ stdin: { data: Buffer.from(data).toString('base64') } }),
        closeStdin: () => send({ stdin: { close: true } }),
        resize: (height, width) => send({ tty_size: { height, width } }),
        output: output(),
        exitCode,
        close: () => ws.close(1000),
      }),
    );
  });
}
