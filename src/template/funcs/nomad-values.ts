/**
 * The values consul-template's Nomad functions hand to templates
 * (dependency/nomad_*.go): field names, methods and printed forms as there,
 * so a template written for Nomad reads the same on drover.
 */
import type { ServiceInstance, ServiceSummary, VariableData, VariableMeta } from '../sources.js';
import { GoTime, formatGoTime, instantFromNanos, timeStringLayout } from './go-time.js';
import { compareGoStrings, goJSON, goScalar } from './go-values.js';

/** Unix nanoseconds (consul-template's nanoTime): an int64 that prints as a date and has Time(). */
export class NanoTime {
  static readonly goType = 'dependency.nanoTime';
  constructor(readonly nanos: number) {}
  Time(): GoTime {
    return new GoTime(instantFromNanos(this.nanos));
  }
  [goScalar](): number {
    return this.nanos;
  }
  toString(): string {
    return formatGoTime(instantFromNanos(this.nanos), timeStringLayout);
  }
}

/** A variable's metadata (NomadVarMeta); prints as its path. */
export class NomadVarMeta {
  static readonly goType = 'dependency.NomadVarMeta';
  readonly Namespace: string;
  readonly Path: string;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
  readonly CreateTime: NanoTime;
  readonly ModifyTime: NanoTime;
  constructor(m: VariableMeta) {
    this.Namespace = m.namespace;
    this.Path = m.path;
    this.CreateIndex = m.createIndex;
    this.ModifyIndex = m.modifyIndex;
    this.CreateTime = new NanoTime(m.createTime);
    this.ModifyTime = new NanoTime(m.modifyTime);
  }
  toString(): string {
    return this.Path;
  }
}

/** A whole variable (NomadVariable): metadata and Items as peers. */
export class NomadVariable {
  static readonly goType = 'dependency.NomadVariable';
  readonly Namespace: string;
  readonly Path: string;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
  readonly CreateTime: NanoTime;
  readonly ModifyTime: NanoTime;
  readonly Items: NomadVarItems;
  readonly #meta: VariableMeta;
  constructor(v: VariableData) {
    this.#meta = v;
    this.Namespace = v.namespace;
    this.Path = v.path;
    this.CreateIndex = v.createIndex;
    this.ModifyIndex = v.modifyIndex;
    this.CreateTime = new NanoTime(v.createTime);
    this.ModifyTime = new NanoTime(v.modifyTime);
    this.Items = new NomadVarItems();
    for (const k of Object.keys(v.items).sort(compareGoStrings)) {
      this.Items.set(k, new NomadVarItem(k, v.items[k] ?? '', this));
    }
  }
  Metadata(): NomadVarMeta {
    return new NomadVarMeta(this.#meta);
  }
}

/** One item of a variable (NomadVarItem): prints as its value; JSON-encodes as its value string. */
export class NomadVarItem {
  static readonly goType = 'dependency.NomadVarItem';
  readonly #parent: NomadVariable;
  constructor(readonly Key: string, readonly Value: string, parent: NomadVariable) {
    this.#parent = parent;
  }
  Metadata(): NomadVarMeta {
    return this.#parent.Metadata();
  }
  Parent(): NomadVariable {
    return this.#parent;
  }
  [goJSON](): string {
    return this.Value;
  }
  toString(): string {
    return this.Value;
  }
}

/** A K,V pair from NomadVarItems.Tuples. */
export class NomadVarTuple {
  static readonly goType = 'struct { K string; V string }';
  constructor(readonly K: string, readonly V: string) {}
}

/**
 * What nomadVar returns (NomadVarItems, a Go map of item name to item):
 * `.name` reads an item; Keys, Values, Tuples, Metadata, Parent, ItemsMap are
 * its methods, which Go's template looks up before map keys.
 */
export class NomadVarItems extends Map<string, NomadVarItem> {
  static readonly goType = 'dependency.NomadVarItems';
  Keys(): string[] {
    return [...this.keys()].sort(compareGoStrings);
  }
  Values(): string[] {
    return this.Keys().map((k) => this.get(k)!.Value);
  }
  Tuples(): NomadVarTuple[] {
    return this.Keys().map((k) => new NomadVarTuple(k, this.get(k)!.Value));
  }
  Metadata(): NomadVarMeta | null {
    const first = this.values().next();
    return first.done ? null : first.value.Metadata();
  }
  Parent(): NomadVariable | null {
    const first = this.values().next();
    return first.done ? null : first.value.Parent();
  }
  /** The items as a plain map of strings (nil when empty), as consul-template's ItemsMap. */
  ItemsMap(): Record<string, string> | null {
    if (this.size === 0) return null;
    return Object.fromEntries(this.Keys().map((k) => [k, this.get(k)!.Value]));
  }
}

/** A service instance (consul-template's NomadService): Node is the node ID; Tags sorted. */
export class NomadService {
  static readonly goType = '*dependency.NomadService';
  readonly ID: string;
  readonly Name: string;
  readonly Node: string;
  readonly Address: string;
  readonly Port: number;
  readonly Datacenter: string;
  readonly Tags: string[];
  readonly JobID: string;
  readonly AllocID: string;
  constructor(s: ServiceInstance) {
    this.ID = s.id;
    this.Name = s.serviceName;
    this.Node = s.nodeId;
    this.Address = s.address;
    this.Port = s.port;
    this.Datacenter = s.datacenter;
    this.Tags = [...s.tags].sort(compareGoStrings);
    this.JobID = s.jobId;
    this.AllocID = s.allocId;
  }
}

/** A service name and its tags (NomadServicesSnippet). */
export class NomadServicesSnippet {
  static readonly goType = '*dependency.NomadServicesSnippet';
  readonly Name: string;
  readonly Tags: string[];
  constructor(s: ServiceSummary) {
    this.Name = s.serviceName;
    this.Tags = [...s.tags].sort(compareGoStrings);
  }
}
