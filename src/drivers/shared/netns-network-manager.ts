/**
 * DriverNetworkManager on named network namespaces (Nomad's
 * defaultNetworkManager in client/allocrunner/network_manager_linux.go, as
 * a driver-side piece): createNetwork makes /var/run/netns/<allocId>, or
 * adopts it when it is already there (created = false, a restart over a live
 * allocation); destroyNetwork unmounts and removes it. A driver whose
 * capabilities say mustInitiateNetwork delegates its network RPCs here.
 */
import { basename, dirname } from 'node:path';
import { ValidationError } from '../../model/errors.js';
import type { DriverNetworkManager, NetworkCreateRequest, NetworkIsolationSpec } from '../types.js';
import { NETNS_RUN_DIR, createNetns, destroyNetns, type NetnsOptions } from './netns.js';

/** One namespace per allocation, named by its id. */
export class NetnsNetworkManager implements DriverNetworkManager {
  constructor(private readonly opts: NetnsOptions = {}) {}

  /** The allocation's namespace as a group-mode spec, and whether this call made it. */
  async createNetwork(allocId: string, _request: NetworkCreateRequest): Promise<{ spec: NetworkIsolationSpec; created: boolean }> {
    const ns = await createNetns(allocId, this.opts);
    return { spec: { mode: 'group', path: ns.path, labels: {} }, created: ns.created };
  }

  /**
   * Removes the namespace `spec` names; no spec is nothing to do (as Nomad).
   * Only a namespace under /var/run/netns is removed: a spec naming any other
   * file was not made here.
   */
  async destroyNetwork(_allocId: string, spec: NetworkIsolationSpec | undefined): Promise<void> {
    if (!spec || spec.path === '') return;
    if (dirname(spec.path) !== NETNS_RUN_DIR) {
      throw new ValidationError([{ field: 'isolation_spec.path', message: `${spec.path} is not a namespace under ${NETNS_RUN_DIR}` }]);
    }
    await destroyNetns(basename(spec.path), this.opts);
  }
}
