/**
 * /v1/client/fs/{ls,stat,cat,readat,stream,logs}/:alloc (Nomad's fs_endpoint.go).
 * Logs and streams are base64 StreamFrame JSON objects by default (with `{}`
 * heartbeats while following), raw bytes with plain=true.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream, existsSync } from 'node:fs';
import { NotFoundError } from '../core/errors.js';
import { assertOpenedInAlloc, fileInfo, listDir, openInAlloc, reopenForRead, resolveInAlloc, type AllocFile } from '../core/alloc-fs.js';
import { streamLogs, type LogChunk } from '../logs/log-stream.js';
import { badRequest } from './errors.js';
import { param, query, queryBool, queryInt } from './request.js';
import type { HttpContext, RouteDef } from './routes.js';
import { clientGone, pipeStream } from './stream.js';

export function clientFsRoutes(ctx: HttpContext): RouteDef[] {
  const { agent } = ctx;
  /** The alloc dir of the `:alloc` parameter (404 for unknown allocs). */
  const allocDir = (req: FastifyRequest): { id: string; dir: string } => {
    const id = param(req, 'alloc');
    if (id === '') throw badRequest('must provide a valid alloc id');
    const v = agent.alloc(id);
    if (!v) throw new NotFoundError('Unknown allocation');
    const dir = agent.allocDir(v.record.id);
    // The client GC removed a finished alloc's dir (its record stays): Nomad's client no longer knows it.
    if (v.record.terminal && !existsSync(dir)) throw new NotFoundError(`Unknown allocation "${v.record.id}"`);
    return { id: v.record.id, dir };
  };
  const pathParam = (req: FastifyRequest, required: boolean): string => {
    const p = query(req, 'path');
    if (p === undefined || p === '') {
      if (required) throw badRequest('must provide a file name');
      return '/';
    }
    return p;
  };

  return [
    { method: 'GET', url: '/v1/client/fs/ls/:alloc', acl: 'read', handler: async (req) => withFile(await openInAlloc(allocDir(req).dir, pathParam(req, false)), listDir) },
    {
      method: 'GET',
      url: '/v1/client/fs/stat/:alloc',
      acl: 'read',
      handler: async (req) => {
        const p = pathParam(req, true);
        return withFile(await openInAlloc(allocDir(req).dir, p), (f) => fileInfo(f, p.split('/').filter(Boolean).pop() ?? '/'));
      },
    },
    { method: 'GET', url: '/v1/client/fs/cat/:alloc', acl: 'read', handler: (req, reply) => sendFile(ctx, req, reply, allocDir(req).dir, pathParam(req, true), 0, 0) },
    {
      method: 'GET',
      url: '/v1/client/fs/readat/:alloc',
      acl: 'read',
      handler: (req, reply) => {
        const offset = queryInt(req, 'offset', NaN);
        if (Number.isNaN(offset)) throw badRequest('error parsing offset: offset is required');
        const limit = queryInt(req, 'limit', 0);
        if (offset < 0 || limit < 0) throw badRequest('offset and limit must not be negative');
        return sendFile(ctx, req, reply, allocDir(req).dir, pathParam(req, true), offset, limit);
      },
    },
    {
      method: 'GET',
      url: '/v1/client/fs/logs/:alloc',
      acl: 'read',
      handler: async (req, reply) => {
        const { id, dir } = allocDir(req);
        const task = query(req, 'task') ?? '';
        if (task === '') throw badRequest('must provide task name');
        const type = query(req, 'type') ?? '';
        if (type !== 'stdout' && type !== 'stderr') throw badRequest('must provide log type (stdout/stderr)');
        const origin = query(req, 'origin') || 'start';
        if (origin !== 'start' && origin !== 'end') throw badRequest('origin must be start or end');
        const offset = queryInt(req, 'offset', 0);
        if (offset < 0) throw badRequest('offset must not be negative');
        const follow = queryBool(req, 'follow', false);
        const plain = queryBool(req, 'plain', false);
        const view = agent.alloc(id);
        const group = view?.job.groups.find((g) => g.name === view.record.group);
        if (!group?.tasks.some((t) => t.name === task)) throw new NotFoundError(`unknown task name ${JSON.stringify(task)}`);
        // The task may have made alloc/logs, or a log file, a link: resolved and each file checked once open.
        const logDir = await resolveInAlloc(dir, 'alloc/logs').catch((err: unknown) => {
          if (err instanceof NotFoundError) return undefined;
          throw err;
        });
        const ctrl = clientGone(req, ctx.closing);
        const chunks = logDir === undefined ? noChunks() : streamLogs({ logDir, task, type, origin, offset, follow, signal: ctrl.signal, verify: (fh) => assertOpenedInAlloc(dir, fh) });
        const body = plain ? plainChunks(chunks) : frames(chunks, ctx.logHeartbeatMs);
        await pipeStream(reply, { 'Content-Type': plain ? 'text/plain; charset=utf-8' : 'application/json' }, body, ctrl);
        return undefined;
      },
    },
  ];
}

/** Runs `fn` on an open alloc file and closes it. */
async function withFile<T>(f: AllocFile, fn: (f: AllocFile) => Promise<T>): Promise<T> {
  try {
    return await fn(f);
  } finally {
    await f.fh.close();
  }
}

async function* noChunks(): AsyncGenerator<LogChunk | null> {
  // No alloc/logs dir (yet): nothing to send.
}

async function sendFile(ctx: HttpContext, req: FastifyRequest, reply: FastifyReply, dir: string, path: string, offset: number, limit: number): Promise<undefined> {
  const data = await withFile(await openInAlloc(dir, path, { forRead: true }), async (f) => {
    if (f.st.isDirectory()) throw badRequest(`file ${JSON.stringify(path)} is a directory`);
    // A FIFO or socket the task planted would block the read: only regular files have contents to serve.
    if (!f.st.isFile()) throw badRequest(`file ${JSON.stringify(path)} is not a regular file`);
    // Read from the verified descriptor, never the path: the task may have swapped it for a link since.
    return reopenForRead(f);
  });
  const end = limit > 0 ? offset + limit - 1 : undefined;
  const ctrl = clientGone(req, ctx.closing);
  const stream = createReadStream('', { fd: data, autoClose: true, start: offset, ...(end !== undefined ? { end } : {}) });
  // Nomad serves file contents as untrusted: plain text, never sniffed as HTML.
  await pipeStream(reply, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, stream, ctrl);
  if (!stream.destroyed) stream.destroy();
  return undefined;
}

async function* plainChunks(chunks: AsyncIterable<LogChunk | null>): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) if (c) yield c.data;
}

/** StreamFrame JSON lines; `{}` heartbeats every `heartbeatMs` while idle. */
async function* frames(chunks: AsyncIterable<LogChunk | null>, heartbeatMs: number): AsyncGenerator<string> {
  let lastSent = Date.now();
  for await (const c of chunks) {
    if (c === null) {
      if (Date.now() - lastSent >= heartbeatMs) {
        lastSent = Date.now();
        yield '{}\n';
      }
      continue;
    }
    lastSent = Date.now();
    yield `${JSON.stringify({ Offset: c.offset, Data: Buffer.from(c.data).toString('base64'), File: `alloc/logs/${c.file}` })}\n`;
  }
}
