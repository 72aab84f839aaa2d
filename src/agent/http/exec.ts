/**
 * /v1/client/allocation/:id/exec as a WebSocket with Nomad's frames
 * (api/allocations_exec.go): the client sends `{"stdin":{"data":b64}}`,
 * `{"stdin":{"close":true}}`, `{"tty_size":{"height":h,"width":w}}` or `{}`
 * heartbeats; the agent sends `{"stdout":{"data":b64}}`, `{"stderr":…}`,
 * `{"stdout":{"close":true}}` and finally `{"exited":true,"result":{"exit_code":N}}`.
 * Errors close the socket with Nomad's codes: 1008 for bad requests, 1011 otherwise.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiExecInput, ApiExecOutput } from '../../model/nomad-api/index.js';
import type { TerminalSize } from '../../model/task-result.js';
import { errorMessage } from '../../model/errors.js';
import { isExecStreamingDriver } from '../../drivers/types.js';
import { toHttp } from './errors.js';
import { param, query, queryBool } from './request.js';
import type { HttpContext, RouteDef, WsLike } from './routes.js';
import { NotFoundError } from '../core/errors.js';
import { DroverError } from '../../model/errors.js';

/** A tiny unbounded async queue: what a WebSocket pushes, an AsyncIterable pulls. */
class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private closed = false;

  push(item: T): void {
    if (this.closed) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: item, done: false });
    } else this.items.push(item);
  }

  close(): void {
    this.closed = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}

export function execRoutes(ctx: HttpContext): RouteDef[] {
  return [
    {
      method: 'GET',
      url: '/v1/client/allocation/:id/exec',
      acl: 'write',
      websocket: true,
      handler: async () => undefined,
      wsHandler: (socket, req) => void runExec(ctx, socket, req),
    },
  ];
}

async function runExec(ctx: HttpContext, socket: WsLike, req: FastifyRequest): Promise<void> {
  const send = (frame: ApiExecOutput): void => {
    if (socket.readyState === 1) socket.send(JSON.stringify(frame));
  };
  const stdin = new Channel<Uint8Array>();
  const resize = new Channel<TerminalSize>();
  const ctrl = new AbortController();
  socket.on('close', () => {
    ctrl.abort();
    stdin.close();
    resize.close();
  });
  socket.on('error', () => ctrl.abort());
  // Nomad's clients send the terminal's size right after the socket opens; a command that asks for
  // its size at once (stty size, a full-screen program) must see it, so a tty waits for that frame.
  let firstFrame: () => void = () => undefined;
  const firstFrameSeen = new Promise<void>((resolve) => (firstFrame = resolve));
  let initialSize: TerminalSize | undefined;
  socket.on('message', (data) => {
    firstFrame();
    let msg: ApiExecInput;
    try {
      msg = JSON.parse(data.toString()) as ApiExecInput;
    } catch {
      socket.close(1008, 'malformed frame: expected JSON');
      return;
    }
    if (msg.stdin?.data) stdin.push(Buffer.from(msg.stdin.data, 'base64'));
    if (msg.stdin?.close) stdin.close();
    if (msg.tty_size) {
      const size = { height: msg.tty_size.height ?? 0, width: msg.tty_size.width ?? 0 };
      if (!initialSize && size.height > 0 && size.width > 0) initialSize = size;
      else resize.push(size);
    }
  });
  socket.on('close', firstFrame);
  try {
    const { taskId, driver, command, tty } = target(ctx, req);
    if (tty) await firstFrameOrTimeout(firstFrameSeen, INITIAL_SIZE_WAIT_MS);
    const result = await driver.execTaskStreaming(taskId, {
      command,
      tty,
      stdin,
      resize,
      ...(initialSize ? { size: initialSize } : {}),
      stdout: (c) => send({ stdout: { data: Buffer.from(c).toString('base64') } }),
      stderr: (c) => send({ stderr: { data: Buffer.from(c).toString('base64') } }),
      signal: ctrl.signal,
    });
    send({ stdout: { close: true } });
    send({ stderr: { close: true } });
    send({ exited: true, result: { exit_code: result.exitCode } });
    socket.close(1000, '');
  } catch (err) {
    if (ctrl.signal.aborted) return;
    const { status, message } = toHttp(err);
    socket.close(status >= 500 ? 1011 : 1008, truncate(message || errorMessage(err)));
  } finally {
    stdin.close();
    resize.close();
  }
}

/** How long a tty session waits for the client's first frame before it starts at 80x24. */
const INITIAL_SIZE_WAIT_MS = 1_000;

async function firstFrameOrTimeout(seen: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([seen, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** The driver task to exec in, from the request (errors become close frames). */
function target(ctx: HttpContext, req: FastifyRequest) {
  const alloc = ctx.agent.alloc(param(req, 'id'));
  if (!alloc) throw new NotFoundError('alloc not found');
  const taskName = query(req, 'task') ?? '';
  if (taskName === '') throw new DroverError('validation', 'task is required');
  const rawCmd = query(req, 'command') ?? '';
  let command: unknown;
  try {
    command = JSON.parse(rawCmd);
  } catch {
    throw new DroverError('validation', 'command: failed to parse: expected a JSON list of strings');
  }
  if (!Array.isArray(command) || command.length === 0 || !command.every((c) => typeof c === 'string')) {
    throw new DroverError('validation', 'command is not present or is invalid: expected a non-empty JSON list of strings');
  }
  const tty = queryBool(req, 'tty', false);
  const runner = ctx.agent.supervisor(alloc.record.id)?.runner.task(taskName);
  if (!runner && !alloc.job.groups.some((g) => g.tasks.some((t) => t.name === taskName))) throw new NotFoundError(`unknown task name ${JSON.stringify(taskName)}`);
  const taskId = runner?.taskId;
  if (!runner || !taskId) throw new DroverError('not_running', 'task not running');
  const driver = ctx.agent.drivers.get(runner.task.driver);
  if (!driver || !isExecStreamingDriver(driver)) throw new DroverError('not_supported', `driver ${runner.task.driver} does not support exec`);
  return { taskId, driver, command: command, tty };
}

/** WebSocket close reasons are limited to 123 bytes. */
function truncate(s: string): string {
  return Buffer.byteLength(s) <= 123 ? s : `${Buffer.from(s).subarray(0, 120).toString()}...`;
}
