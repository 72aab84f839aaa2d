/**
 * The daemon's side of the socket protocol (../protocol.ts): decodes
 * requests, calls the supervisor, answers, and keeps per-connection state
 * (pending waits to cancel, exec sessions to feed) so a vanished client
 * leaves nothing behind: its waits are dropped, its exec sessions killed.
 */
import type { Socket } from 'node:net';
import { ABORTED, DroverError, ErrorCode, ValidationError, errorMessage } from '../../model/errors.js';
import {
  LineDecoder,
  classifyClientMessage,
  encodeLine,
  errorToWire,
  fromB64,
  parseInput,
  parseParams,
  toB64,
  PROTOCOL_VERSION,
  type ClientMessage,
  type Input,
  type UncheckedInput,
  type ReplyMsg,
} from '../protocol.js';
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
  early?: Input[];
}

type Request = Extract<ClientMessage, { kind: 'request' }>;

/** Serves one client connection. */
export function serveConnection(sock: Socket, sup: Supervisor, stop: StopHook, log: (m: string) => void): void {
  const pending = new Map<number, Pending>();
  const send = (msg: ReplyMsg): void => {
    if (!sock.destroyed) sock.write(encodeLine(msg));
  };
  // A malformed line is answered with an error (on its id when it has one) and the connection keeps serving.
  const refuse = (id: number | null, err: DroverError): void => {
    log(`bad message${id === null ? '' : ` ${id}`}: ${err.message}`);
    send({ id, e: errorToWire(err) });
  };
  const decoder = new LineDecoder(
    (raw) => {
      const msg = classifyClientMessage(raw);
      switch (msg.kind) {
        case 'request':
          if (pending.has(msg.id)) refuse(msg.id, new ValidationError([{ field: 'id', message: `request ${msg.id} is already in flight on this connection` }]));
          else void handle(msg);
          break;
        case 'input':
          input(msg.msg);
          break;
        case 'bad':
          refuse(msg.id, msg.error);
          break;
      }
    },
    (err) => refuse(null, new ValidationError([{ field: '', message: `a message must be one line of JSON: ${err.message}` }])),
  );
  sock.setNoDelay(true);
  sock.on('data', (b) => decoder.push(b));
  sock.on('error', () => undefined);
  sock.on('close', () => {
    for (const p of pending.values()) {
      p.abort?.abort(ABORTED);
      p.session?.kill();
    }
    pending.clear();
  });

  async function handle(req: Request): Promise<void> {
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

  function input(msg: UncheckedInput): void {
    const entry = pending.get(msg.id);
    if (!entry) return;
    let checked: Input;
    try {
      checked = parseInput(msg);
    } catch (err) {
      // Input has no reply of its own: a malformed one is logged and dropped, its request goes on.
      log(`bad input for request ${msg.id}: ${errorMessage(err)}`);
      return;
    }
    if (!entry.session && checked.in !== 'cancel') {
      (entry.early ??= []).push(checked);
      return;
    }
    apply(entry, checked);
  }

  function apply(entry: Pending, msg: Input): void {
    switch (msg.in) {
      case 'cancel':
        pending.delete(msg.id);
        entry.abort?.abort(ABORTED);
        entry.session?.kill();
        break;
      case 'stdin':
        entry.session?.write(fromB64(msg.d));
        break;
      case 'stdin-end':
        entry.session?.endInput();
        break;
      case 'resize':
        entry.session?.resize(msg.d.height, msg.d.width);
        break;
    }
  }

  /** Checks the request's params against its method's shape before acting on any of them. */
  async function dispatch(req: Request, entry: Pending): Promise<unknown> {
    switch (req.m) {
      case 'version':
        parseParams(req.m, req.p);
        return { version: EXECUTOR_VERSION, protocol: PROTOCOL_VERSION };
      case 'status':
        parseParams(req.m, req.p);
        return sup.status();
      case 'launch':
        return sup.launch(parseParams(req.m, req.p).spec);
      case 'wait':
        return sup.wait(parseParams(req.m, req.p).taskId, entry.abort?.signal);
      case 'shutdown': {
        const p = parseParams(req.m, req.p);
        return sup.shutdown(p.taskId, p.signal, p.graceMs);
      }
      case 'updateResources': {
        const p = parseParams(req.m, req.p);
        return sup.updateResources(p.taskId, p.resources);
      }
      case 'stats':
        return sup.stats(parseParams(req.m, req.p).taskId);
      case 'signal': {
        const p = parseParams(req.m, req.p);
        return sup.signal(p.taskId, p.signal);
      }
      case 'exec': {
        const p = parseParams(req.m, req.p);
        const r = await sup.exec(p.taskId, p.deadlineMs, p.command, p.args);
        return { output: toB64(r.output), exitCode: r.exitCode };
      }
      case 'execStreaming': {
        const p = parseParams(req.m, req.p);
        const session = await sup.execStreaming(p.taskId, p.command, p.tty, p.size, (stream, data) => send({ id: req.id, ev: stream, d: toB64(data) }));
        entry.session = session;
        if (!pending.has(req.id)) session.kill(); // cancelled while starting
        for (const m of entry.early ?? []) apply(entry, m);
        entry.early = undefined;
        return session.done;
      }
      case 'inspect':
        return sup.inspect(parseParams(req.m, req.p).taskId);
      case 'destroy':
        return sup.destroy(parseParams(req.m, req.p).taskId);
      case 'stopIfIdle': {
        parseParams(req.m, req.p);
        const st = sup.status();
        if (st.running > 0) return { stopped: false, running: st.running };
        setImmediate(stop);
        return { stopped: true, running: 0 };
      }
      default: {
        const never: never = req.m;
        throw new DroverError(ErrorCode.notSupported, `unknown method ${JSON.stringify(never)}`);
      }
    }
  }
}
