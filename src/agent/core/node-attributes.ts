/** The node as the API shows it and as constraints see it: fingerprinted attributes (drivers' included), meta, class, pool. */
import type { ConstraintNode } from '../../model/constraint/index.js';
import { DROVER_VERSION } from '../../model/version.js';
import type { Agent } from './agent.js';

/** Node attributes without the `attr.` prefix (Nomad's Node.Attributes). */
export function nodeAttributes(agent: Agent): Record<string, string> {
  const out: Record<string, string> = { 'nomad.version': DROVER_VERSION, 'driver.drover': '1' };
  for (const [k, v] of Object.entries(agent.node.attributes)) if (k.startsWith('attr.')) out[k.slice(5)] = v;
  for (const [k, v] of Object.entries(agent.fingerprints.attributes())) out[k] = v;
  return out;
}

/** What the constraint checker resolves `${attr.*}`, `${meta.*}` and `${node.*}` against. */
export function constraintNode(agent: Agent): ConstraintNode {
  const c = agent.config.client;
  return {
    id: agent.node.id,
    name: agent.node.name,
    datacenter: agent.node.datacenter,
    nodeClass: c.nodeClass,
    nodePool: c.nodePool,
    attributes: nodeAttributes(agent),
    meta: { ...c.meta },
  };
}
