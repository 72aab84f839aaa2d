/**
 * The daemon's side of the socket protocol (../protocol.ts): decodes
 * requests, calls the supervisor, answers, and keeps per-connection state
 * (pending waits to cancel, exec sessions to feed) so a vanished client
 * leaves nothing behind: its waits are dropped, its exec sessions killed.
 */
import type { Socket } from 'node:net';
import { DroverError, ErrorCode } from '../../model/errors.js';
import { LineDecoder, encodeLine, errorToWire, fromB64, toB64, PROTOCOL_VERSION, type InputMsg, type ReplyMsg, type RequestMsg } from '../protocol.js';
import type { LaunchSpec, ResourceLimits } from '../types.js';
import type { ExecSession } from './exec-session.js';
import type { Supervisor } from './supervisor.js';

/** The executor API version reported by version() (Nomad's ExecutorVersionLatest). */
export const EXECUTOR_VERSION = '2.0.0';

/** Called when a client asks the idle daemon to exit. */
export type StopHook = () => void;

interface Pending {
  readonly abort?: AbortController;
  session?: ExecSession;
  /** Input that arrived before the session started (the client does not wait for it). */
  early?: InputMsg[];
}

/** Serves one client connection. */
export function serveConnection(sock: Socket, sup: Supervisor, stop: StopHook, log: (m: string) => void): void {
  const pending = new Map<number, Pending>();
  const send = (msg: ReplyMsg): void => {
    if (!sock.destroyed) sock.write(encodeLine(msg));
  };
  const decoder = new LineDecoder(
    (raw) => {
      const msg = raw as Partial<RequestMsg & InputMsg>;
      if (typeof msg.id !== 'number') return;
      if (typeof msg.m === 'string') void handle(msg as RequestMsg);
      else if (typeof msg.in === 'string') input(msg as InputMsg);
    },
    (err) => log(`bad message: ${err.message}`),
  );
  sock.setNoDelay(true);
  sock.on('data', (b) => decoder.push(b));
  sock.on('error', () => undefined);
  sock.on('close', () => {
    for (const p of pending.values()) {
      p.abort?.abort();
      p.session?.kill();
    }
    pending.clear();
  });

  async function handle(req: RequestMsg): Promise<void> {
    const entry: Pending = { abort: new AbortController() };
    pending.set(req.id, entry);
    try {
      const result = await dispatch(req, entry);
      if (pending.has(req.id)) send({ id: req.id, r: result ?? null });
    } catch (err) {
      if (pending.has(req.id)) send({ id: req.id, e: errorToWire(err) });
    } finally {
      pending.delete(req.id);
    }
  }

  function input(msg: InputMsg): void {
    const entry = pending.get(msg.id);
    if (!entry) return;
    if (!entry.session && msg.in !== 'cancel') {
      (entry.early ??= []).push(msg);
      return;
    }
    apply(entry, msg);
  }

  function apply(entry: Pending, msg: InputMsg): void {
    switch (msg.in) {
      case 'cancel':
        pending.delete(msg.id);
        entry.abort?.abort();
        entry.session?.kill();
        break;
      case 'stdin':
        entry.session?.write(fromB64(msg.d));
        break;
      case 'stdin-end':
        entry.session?.endInput();
        break;
      case 'resize': {
        const d = msg.d as { height?: number; width?: number } | undefined;
        entry.session?.resize(Number(d?.height ?? 0), Number(d?.width ?? 0));
        break;
      }
    }
  }

  async function dispatch(req: RequestMsg, entry: Pending): Promise<unknown> {
    const p = (req.p ?? {}) as Record<string, unknown>;
    const id = String(p['taskId'] ?? '');
    switch (req.m) {
      case 'version':
        return { version: EXECUTOR_VERSION, protocol: PROTOCOL_VERSION };
      case 'status':
        return sup.status();
      case 'launch':
        return sup.launch(p['spec'] as LaunchSpec);
      case 'wait':
        return sup.wait(id, entry.abort?.signal);
      case 'shutdown':
        return sup.shutdown(id, String(p['signal'] ?? ''), Number(p['graceMs'] ?? 0));
      case 'updateResources':
        return sup.updateResources(id, p['resources'] as ResourceLimits);
      case 'stats':
        return sup.stats(id);
      case 'signal':
        return sup.signal(id, String(p['signal'] ?? ''));
      case 'exec': {
        const r = await sup.exec(id, Number(p['deadlineMs'] ?? 0), String(p['command'] ?? ''), (p['args'] as string[]) ?? []);
        return { output: toB64(r.output), exitCode: r.exitCode };
      }
      case 'execStreaming': {
        const size = p['size'] as { height: number; width: number } | undefined;
        const session = await sup.execStreaming(id, (p['command'] as string[]) ?? [], p['tty'] === true, size, (stream, data) =>
          send({ id: req.id, ev: stream, d: toB64(data) }),
        );
        entry.session = session;
        if (!pending.has(req.id)) session.kill(); // cancelled while starting
        for (const m of entry.early ?? []) apply(entry, m);
        entry.early = undefined;
        return session.done;
      }
      case 'inspect':
        return sup.inspect(id);
      case 'destroy':
        return sup.destroy(id);
      case 'stopIfIdle': {
        const st = sup.status();
        if (st.running > 0) return { stopped: false, running: st.running };
        setImmediate(stop);
        return { stopped: true, running: 0 };
      }
      default:
        throw new DroverError(ErrorCode.notSupported, `unknown method ${JSON.stringify(req.m)}`);
    }
  }
}
