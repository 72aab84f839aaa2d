/**
 * Nomad's native service provider, agent side: the registrations the alloc
 * and task runners make (ServiceRegistrationHandler) kept in state.db, so
 * they outlive an agent restart as Nomad's live in the servers' raft state.
 * Every change takes a new modify index (CreateIndex kept on update, as
 * Nomad's upsertServiceRegistrationTxn) and publishes a "Service" event.
 *
 * The runners deregister what they registered; as Nomad's state store drops
 * the registrations of an allocation once it is client-terminal, the agent
 * also calls removeAlloc when an alloc ends or is purged (a safety net), and
 * sweep() at start for anything a crash left behind.
 */
import { createHash } from 'node:crypto';
import { DroverError, ErrorCode } from '../../model/errors.js';
import type { Logger } from '../../model/logger.js';
import type { ServiceRegistration, ServiceRegistrationHandler } from '../../taskrunner/services/types.js';
import type { SourceChange } from '../../template/sources.js';
import type { StateDB } from '../state/state-db.js';
import type { ServiceRecord, ServiceStore } from '../state/service-store.js';
import type { EventBroker } from './event-broker.js';
import { NotFoundError } from './errors.js';
import { serviceEvent, type ServiceEventType } from './publish.js';

/** Nomad's namespace wildcard (structs.AllNamespacesSentinel). */
export const ALL_NAMESPACES = '*';

export class ServiceRegistry implements ServiceRegistrationHandler {
  /** In-process listeners (templates re-render on service changes). */
  private readonly watchers = new Set<(change: SourceChange) => void>();

  constructor(
    private readonly db: StateDB,
    private readonly store: ServiceStore,
    private readonly events: EventBroker,
    private readonly logger: Logger,
  ) {}

  /**
   * Makes the workload's registrations exactly `registrations`: new ones are
   * added, changed ones updated, unchanged ones left at their index, and
   * those no longer listed removed. Registrations for an allocation that is
   * gone or terminal are dropped (logged): the runner is late, and nothing
   * would ever remove them.
   */
  registerWorkload(allocId: string, workload: string, registrations: readonly ServiceRegistration[]): void {
    for (const r of registrations) {
      // Nomad's ServiceRegistration.Validate: an "any" address is not somewhere a client can connect to.
      if (isAnyAddress(r.address)) throw new DroverError(ErrorCode.validation, `service ${JSON.stringify(r.serviceName)}: invalid service registration address ${JSON.stringify(r.address)}`);
      if (r.allocId !== allocId) throw new DroverError(ErrorCode.internal, `service registration ${r.id} names alloc ${r.allocId}, registered for alloc ${allocId}`);
    }
    const changes: Array<[ServiceEventType, ServiceRecord]> = [];
    let dropped = false;
    this.db.durable(() => {
      const alloc = this.db.alloc(allocId);
      if (!alloc || alloc.terminal) {
        dropped = true;
        return;
      }
      let index: number | undefined;
      const next = (): number => (index ??= this.db.nextIndex());
      const listed = new Set<string>();
      for (const r of registrations) {
        listed.add(key(r.namespace, r.id));
        const prev = this.store.get(r.namespace, r.id);
        if (prev && prev.workload === workload && sameRegistration(prev, r)) continue;
        const rec: ServiceRecord = { ...registrationFields(r), workload, createIndex: prev?.createIndex ?? next(), modifyIndex: next() };
        this.store.put(rec);
        changes.push(['ServiceRegistration', rec]);
      }
      for (const prev of this.store.byWorkload(allocId, workload)) {
        if (listed.has(key(prev.namespace, prev.id))) continue;
        this.store.delete(prev.namespace, prev.id);
        next();
        changes.push(['ServiceDeregistration', prev]);
      }
    });
    if (dropped) {
      this.logger.warn('dropped service registrations of an allocation that is no longer running', { alloc_id: allocId, workload, services: registrations.length });
      return;
    }
    this.publish(changes);
  }

  removeWorkload(allocId: string, workload: string): void {
    this.removeAll(() => this.store.byWorkload(allocId, workload));
  }

  /** Removes every registration of an allocation (it ended or was purged). */
  removeAlloc(allocId: string): void {
    this.removeAll(() => this.store.byAlloc(allocId));
  }

  /** Removes registrations whose allocation is gone or terminal (after a crash between the alloc's end and the cleanup). */
  sweep(): void {
    for (const allocId of this.store.allocIds()) {
      const a = this.db.alloc(allocId);
      if (!a || a.terminal) this.removeAlloc(allocId);
    }
  }

  /** Nomad's DeleteByID: the registration `id` in `namespace`; 404 when there is none. Returns the write's index. */
  deleteById(namespace: string, id: string): number {
    let gone: ServiceRecord | undefined;
    const index = this.db.durable(() => {
      gone = this.store.get(namespace, id);
      if (!gone) return 0;
      this.store.delete(namespace, id);
      return this.db.nextIndex();
    });
    if (!gone) throw new NotFoundError(`service registration not found: no registration ${JSON.stringify(id)} in namespace ${JSON.stringify(namespace)}`);
    this.publish([['ServiceDeregistration', gone]]);
    return index;
  }

  /** Every registration in `namespace` ("*": all), by namespace, service name and id. */
  list(namespace: string): ServiceRecord[] {
    return namespace === ALL_NAMESPACES ? this.store.all() : this.store.byNamespace(namespace);
  }

  /** The registrations of one service name, by id ("*": every namespace). */
  byName(namespace: string, name: string): ServiceRecord[] {
    return this.store.byName(namespace, name);
  }

  /** The registrations of one allocation. */
  byAlloc(allocId: string): ServiceRecord[] {
    return this.store.byAlloc(allocId);
  }

  private removeAll(select: () => ServiceRecord[]): void {
    const removed = this.db.durable(() => {
      const rows = select();
      for (const r of rows) this.store.delete(r.namespace, r.id);
      if (rows.length > 0) this.db.nextIndex();
      return rows;
    });
    this.publish(removed.map((r) => ['ServiceDeregistration', r] as [ServiceEventType, ServiceRecord]));
  }

  /** Calls `listener` after each committed change, once per changed service name; returns the unsubscribe function. */
  watch(listener: (change: SourceChange) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  private publish(changes: ReadonlyArray<readonly [ServiceEventType, ServiceRecord]>): void {
    if (changes.length === 0) return;
    this.events.publish(changes.map(([type, rec]) => serviceEvent(type, rec)));
    const names = new Map<string, SourceChange>();
    for (const [, r] of changes) names.set(key(r.namespace, r.serviceName), { kind: 'service', namespace: r.namespace, name: r.serviceName });
    for (const change of names.values()) {
      for (const w of this.watchers) {
        try {
          w(change);
        } catch (err) {
          this.logger.error('service watcher failed', { error: String(err) });
        }
      }
    }
  }
}

/**
 * Nomad's `choose=<n>|<key>` (ServiceRegistration.choose): a stable pick of
 * n instances for a key, by the SHA-256 of each instance's fields and the
 * key (ServiceRegistration.HashWith), lowest first. Returns an error message
 * for a malformed parameter.
 */
export function chooseServices(services: readonly ServiceRecord[], parameter: string): ServiceRecord[] | string {
  const malformed = "Parameter for choose must be in form '<number>|<key>'";
  const bar = parameter.indexOf('|');
  if (bar < 0) return malformed;
  const count = parameter.slice(0, bar);
  const hashKey = parameter.slice(bar + 1);
  // strconv.Atoi's syntax; a negative count is refused (Nomad would fail making a negative-length slice).
  if (!/^[+-]?\d+$/.test(count) || hashKey === '') return malformed;
  const n = Number(count);
  if (n < 0 || !Number.isSafeInteger(n)) return malformed;
  return services
    .map((s) => ({ s, hash: hashWith(s, hashKey) }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
    .slice(0, n)
    .map((p) => p.s);
}

/** Nomad's ServiceRegistration.HashWith: the port as 8 big-endian bytes, then the fields and the key, hex SHA-256. */
function hashWith(s: ServiceRegistration, hashKey: string): string {
  const port = Buffer.alloc(8);
  port.writeBigUInt64BE(BigInt.asUintN(64, BigInt(s.port)));
  const h = createHash('sha256').update(port);
  for (const part of [s.allocId, s.id, s.namespace, s.address, s.serviceName, ...s.tags, hashKey]) h.update(part, 'utf8');
  return h.digest('hex');
}

/** Nomad's ServiceRegistration.Equal: every field, tags compared as sets. */
function sameRegistration(a: ServiceRegistration, b: ServiceRegistration): boolean {
  return (
    a.id === b.id &&
    a.serviceName === b.serviceName &&
    a.namespace === b.namespace &&
    a.nodeId === b.nodeId &&
    a.datacenter === b.datacenter &&
    a.jobId === b.jobId &&
    a.allocId === b.allocId &&
    a.address === b.address &&
    a.port === b.port &&
    sameSet(a.tags, b.tags)
  );
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((t) => y.has(t));
}

/** Only the ServiceRegistration fields (a caller's object may carry more). */
export function registrationFields(r: ServiceRegistration): ServiceRegistration {
  return {
    id: r.id,
    serviceName: r.serviceName,
    namespace: r.namespace,
    nodeId: r.nodeId,
    datacenter: r.datacenter,
    jobId: r.jobId,
    allocId: r.allocId,
    tags: [...r.tags],
    address: r.address,
    port: r.port,
  };
}

/** Nomad's ipaddr.IsAny: the IPv4 or IPv6 unspecified address. */
function isAnyAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '[::]';
}

function key(namespace: string, id: string): string {
  return `${namespace}\u0000${id}`;
}
