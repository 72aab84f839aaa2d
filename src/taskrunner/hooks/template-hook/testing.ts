/**
 * Test helpers for the template hook: an in-memory WatchableSources (what
 * the agent implements over its variable store) and TemplateSpec builders.
 */
import type { TemplateSpec } from '../../../model/template.js';
import type { SourceChange, VariableData, WatchableSources } from '../../../template/sources.js';

/** Variables in memory; `put` and `remove` notify watchers as the agent's store does after a commit. */
export class MemorySources implements WatchableSources {
  private readonly vars = new Map<string, VariableData>();
  private readonly listeners = new Set<(c: SourceChange) => void>();
  private index = 0;

  put(path: string, items: Record<string, string>, namespace = 'default'): void {
    const prev = this.vars.get(`${namespace}\0${path}`);
    const i = ++this.index;
    this.vars.set(`${namespace}\0${path}`, { namespace, path, items, createIndex: prev?.createIndex ?? i, modifyIndex: i, createTime: 0, modifyTime: 0 });
    for (const l of this.listeners) l({ kind: 'variable', namespace, path });
  }

  remove(path: string, namespace = 'default'): void {
    this.vars.delete(`${namespace}\0${path}`);
    for (const l of this.listeners) l({ kind: 'variable', namespace, path });
  }

  /** How many watchers are subscribed (a stopped manager must leave none). */
  get watchers(): number {
    return this.listeners.size;
  }

  variable(namespace: string, path: string): VariableData | undefined {
    return this.vars.get(`${namespace}\0${path}`);
  }
  listVariables(namespace: string, prefix: string) {
    return [...this.vars.values()].filter((v) => v.namespace === namespace && v.path.startsWith(prefix)).sort((a, b) => (a.path < b.path ? -1 : 1));
  }
  service() {
    return [];
  }
  services() {
    return [];
  }
  watch(listener: (c: SourceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** A template with Nomad's defaults, no splay and no quiescence (tests wait on conditions, not timers). */
export function tmpl(over: Partial<TemplateSpec>): TemplateSpec {
  return {
    sourcePath: '',
    destPath: 'local/out.txt',
    embeddedTmpl: '',
    changeMode: 'restart',
    changeSignal: '',
    splayMs: 0,
    perms: '0644',
    leftDelim: '{{',
    rightDelim: '}}',
    envvars: false,
    wait: { minMs: 0, maxMs: 0 },
    errMissingKey: false,
    once: false,
    ...over,
  };
}
