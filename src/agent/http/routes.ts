/**
 * How route files declare their routes: method, Nomad path, what ACL
 * capability they need, and the handler. The server registers them all and
 * checks the ACL before any handler runs, so no route can forget it; the
 * table is also what the ACL tests walk.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Agent } from '../core/agent.js';
import type { AclNeed, AclService } from '../core/acl.js';
import type { Metrics } from './metrics-registry.js';

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

/** What handlers get. */
export interface HttpContext {
  readonly agent: Agent;
  readonly acl: AclService;
  readonly metrics: Metrics;
  /** The address the API listens on ("127.0.0.1:4646"). */
  address(): string;
  /** Event stream and log follow heartbeats (Nomad: 10 s and 1 s). */
  readonly eventHeartbeatMs: number;
  readonly logHeartbeatMs: number;
  /** Aborts when the server closes, ending every stream. */
  readonly closing: AbortSignal;
}

/** A plain route: returns the JSON body (or sends the reply itself and returns undefined). */
export interface RouteDef {
  readonly method: Method | readonly Method[];
  readonly url: string;
  readonly acl: AclNeed;
  /** WebSocket routes get the socket instead of a reply. */
  readonly websocket?: boolean;
  readonly handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  readonly wsHandler?: (socket: WsLike, req: FastifyRequest) => void;
}

/** The parts of a `ws` WebSocket the exec route uses. */
export interface WsLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  on(event: 'message', fn: (data: Buffer | string) => void): void;
  on(event: 'close', fn: () => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
}
