/**
 * What templates read from the node, as the template functions see it. The
 * agent implements it over its variable store and service registry; the
 * template hook hands it to the functions with a recorder, so a render knows
 * what it read (to re-render when that changes) and what was missing (to
 * block the task's start, as consul-template's "Missing: ..." does).
 *
 * Everything here is synchronous: the agent's state is a local SQLite file,
 * so a render never waits on the network.
 */

/** A Nomad Variable's metadata (Nomad's VariableMetadata). */
export interface VariableMeta {
  readonly namespace: string;
  readonly path: string;
  readonly createIndex: number;
  readonly modifyIndex: number;
  /** Unix nanoseconds, as Nomad's CreateTime/ModifyTime. */
  readonly createTime: number;
  readonly modifyTime: number;
}

/** A Nomad Variable with its decrypted items. */
export interface VariableData extends VariableMeta {
  readonly items: Readonly<Record<string, string>>;
}

/** A Nomad service registration (Nomad's ServiceRegistration). */
export interface ServiceInstance {
  readonly id: string;
  readonly serviceName: string;
  readonly namespace: string;
  readonly nodeId: string;
  readonly datacenter: string;
  readonly jobId: string;
  readonly allocId: string;
  readonly tags: readonly string[];
  readonly address: string;
  readonly port: number;
  readonly createIndex: number;
  readonly modifyIndex: number;
}

/** A service name and the union of its instances' tags (Nomad's ServiceRegistrationListStub entry). */
export interface ServiceSummary {
  readonly serviceName: string;
  readonly tags: readonly string[];
}

/** Thrown by a source when the task's identity may not read what it asked for. */
export class SourcePermissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourcePermissionError';
  }
}

export interface TemplateSources {
  /** The variable at `path` in `namespace`, or undefined when there is none. May throw SourcePermissionError. */
  variable(namespace: string, path: string): VariableData | undefined;
  /** Metadata of the variables whose path starts with `prefix`, sorted by path. May throw SourcePermissionError. */
  listVariables(namespace: string, prefix: string): VariableMeta[];
  /** Registrations of the service `name` in `namespace`, sorted by id. */
  service(namespace: string, name: string): ServiceInstance[];
  /** Every service in `namespace`, sorted by name. */
  services(namespace: string): ServiceSummary[];
}

/** Which change to the node's state can change a render (see TemplateSources). */
export type SourceChange =
  | { readonly kind: 'variable'; readonly namespace: string; readonly path: string }
  | { readonly kind: 'service'; readonly namespace: string; readonly name: string };

/** TemplateSources that also say when something changed (the agent's implementation). */
export interface WatchableSources extends TemplateSources {
  /** Calls `listener` after every committed change; returns the unsubscribe function. */
  watch(listener: (change: SourceChange) => void): () => void;
}

/** Something a render read, so that a change to it re-renders. */
export type Watched =
  | { readonly kind: 'variable'; readonly namespace: string; readonly path: string }
  | { readonly kind: 'variable-prefix'; readonly namespace: string; readonly prefix: string }
  | { readonly kind: 'service'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'service-list'; readonly namespace: string };

/** Whether `change` can alter what `w` read. */
export function affects(change: SourceChange, w: Watched): boolean {
  if (change.namespace !== w.namespace) return false;
  switch (w.kind) {
    case 'variable':
      return change.kind === 'variable' && change.path === w.path;
    case 'variable-prefix':
      return change.kind === 'variable' && change.path.startsWith(w.prefix);
    case 'service':
      return change.kind === 'service' && change.name === w.name;
    case 'service-list':
      return change.kind === 'service';
  }
}

/** What one render read, filled in by the template functions as they run. */
export interface DependencyRecorder {
  /** The render read this (present or not): re-render when it changes. */
  used(w: Watched): void;
  /**
   * The render needs this and it is not there: the output must not be
   * written. `dep` is named as consul-template names it in its "Missing: ..."
   * event, e.g. `nomad.var.block(nomad/jobs/app@default.global)`.
   */
  missing(dep: string): void;
}
