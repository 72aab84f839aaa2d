/**
 * What a task's templates read (src/template/sources.ts), served from the
 * agent's variables and service registry. As in Nomad, a template reads
 * with the task's own workload identity: with ACLs on, nomadVar sees only
 * what Nomad's implicit workload policy grants (its job's paths under
 * nomad/jobs); services are readable by every workload, as Nomad's are.
 */
import type { ServiceRecord } from '../state/service-store.js';
import { SourcePermissionError, type ServiceInstance, type ServiceSummary, type SourceChange, type VariableData, type VariableMeta, type WatchableSources } from '../../template/sources.js';
import { workloadMayUseVariable, type Workload } from './acl.js';
import { registrationFields, type ServiceRegistry } from './service-registry.js';
import type { Variables } from './variables.js';

export class TemplateSourceProvider {
  constructor(
    private readonly variables: Variables,
    private readonly services: ServiceRegistry,
    private readonly aclEnabled: boolean,
  ) {}

  /** The sources one task's templates render from. */
  forTask(w: Workload): WatchableSources {
    const { variables, services, aclEnabled } = this;
    const may = (path: string, op: 'read' | 'list', namespace: string): boolean => !aclEnabled || workloadMayUseVariable(w, path, op, namespace);
    return {
      variable(namespace: string, path: string): VariableData | undefined {
        // consul-template shows Nomad's 403 as "Permission denied".
        if (!may(path, 'read', namespace)) throw new SourcePermissionError(`Permission denied: the task's workload identity may not read variable ${JSON.stringify(path)}`);
        return variables.variable(namespace, path);
      },
      listVariables(namespace: string, prefix: string): VariableMeta[] {
        const all = variables.listVariables(namespace, prefix);
        if (!aclEnabled) return all;
        return all.filter((v) => may(v.path, 'list', namespace));
      },
      service(namespace: string, name: string): ServiceInstance[] {
        return services.byName(namespace, name).map(instance);
      },
      services(namespace: string): ServiceSummary[] {
        const tags = new Map<string, Set<string>>();
        for (const r of services.list(namespace)) {
          const set = tags.get(r.serviceName) ?? new Set<string>();
          for (const t of r.tags) set.add(t);
          tags.set(r.serviceName, set);
        }
        return [...tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([serviceName, set]) => ({ serviceName, tags: [...set].sort() }));
      },
      watch(listener: (change: SourceChange) => void): () => void {
        const stops = [variables.watch(listener), services.watch(listener)];
        return () => {
          for (const stop of stops) stop();
        };
      },
    };
  }
}

function instance(r: ServiceRecord): ServiceInstance {
  return { ...registrationFields(r), createIndex: r.createIndex, modifyIndex: r.modifyIndex };
}
