/**
 * An in-memory TemplateSources and a recording DependencyRecorder, for tests
 * of the functions and of what renders through them (the agent's real
 * sources sit on its SQLite store).
 */
import {
  SourcePermissionError, type DependencyRecorder, type ServiceInstance, type ServiceSummary, type TemplateSources,
  type VariableData, type VariableMeta, type Watched,
} from '../sources.js';
import type { FuncContext } from './context.js';

export class MemorySources implements TemplateSources {
  readonly variables: VariableData[] = [];
  readonly instances: ServiceInstance[] = [];
  /** Namespace/path prefixes the reader may not see (SourcePermissionError). */
  readonly denied: string[] = [];

  putVariable(namespace: string, path: string, items: Record<string, string>, index = 1): void {
    const at = 1_700_000_000_000_000_000; // 2023-11-14T22:13:20Z in Unix nanoseconds, exact in a double
    this.variables.push({ namespace, path, items, createIndex: index, modifyIndex: index, createTime: at, modifyTime: at });
  }

  putService(s: Partial<ServiceInstance> & Pick<ServiceInstance, 'id' | 'serviceName'>): void {
    this.instances.push({
      namespace: 'default', nodeId: 'node-1', datacenter: 'dc1', jobId: 'job', allocId: 'alloc-' + s.id, tags: [],
      address: '10.0.0.1', port: 8080, createIndex: 1, modifyIndex: 1, ...s,
    });
  }

  #check(namespace: string, path: string): void {
    if (this.denied.some((d) => `${namespace}/${path}`.startsWith(d))) throw new SourcePermissionError('Permission denied');
  }

  variable(namespace: string, path: string): VariableData | undefined {
    this.#check(namespace, path);
    return this.variables.find((v) => v.namespace === namespace && v.path === path);
  }

  listVariables(namespace: string, prefix: string): VariableMeta[] {
    this.#check(namespace, prefix);
    return this.variables
      .filter((v) => v.namespace === namespace && v.path.startsWith(prefix))
      .sort((a, b) => (a.path < b.path ? -1 : 1))
      .map(({ items: _items, ...meta }) => meta);
  }

  service(namespace: string, name: string): ServiceInstance[] {
    return this.instances.filter((s) => s.namespace === namespace && s.serviceName === name).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  services(namespace: string): ServiceSummary[] {
    const byName = new Map<string, Set<string>>();
    for (const s of this.instances.filter((x) => x.namespace === namespace)) {
      const tags = byName.get(s.serviceName) ?? new Set<string>();
      s.tags.forEach((t) => tags.add(t));
      byName.set(s.serviceName, tags);
    }
    return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([serviceName, tags]) => ({ serviceName, tags: [...tags] }));
  }
}

export class RecordingDeps implements DependencyRecorder {
  readonly usedList: Watched[] = [];
  readonly missingList: string[] = [];
  used(w: Watched): void {
    this.usedList.push(w);
  }
  missing(dep: string): void {
    this.missingList.push(dep);
  }
}

/** A FuncContext over memory sources, at 1970-01-01T00:00:00Z unless told otherwise. */
export function testContext(over: Partial<FuncContext> = {}): FuncContext & { sources: MemorySources; deps: RecordingDeps } {
  return {
    sources: new MemorySources(),
    deps: new RecordingDeps(),
    env: {},
    readFile: (p: string) => {
      throw new Error(`open ${p}: no such file or directory`);
    },
    namespace: 'default',
    region: 'global',
    datacenter: 'dc1',
    now: () => 0,
    ...over,
  } as FuncContext & { sources: MemorySources; deps: RecordingDeps };
}
