/**
 * consul-template functions drover cannot serve, each failing with what is
 * missing and what to use instead, so a job written for a Nomad cluster
 * with Consul or Vault says why it does not render here.
 */
import type { TemplateFunc } from './types.js';

const consul = ['key', 'keyExists', 'keyOrDefault', 'ls', 'safeLs', 'tree', 'safeTree', 'service', 'services', 'connect',
  'caRoots', 'caLeaf', 'node', 'nodes', 'datacenters', 'partitions', 'peerings', 'exportedServices', 'importedServices'] as const;
const vault = ['secret', 'secrets', 'pkiCert'] as const;

const consulHint: Record<string, string> = {
  key: 'use nomadVar', keyExists: 'use nomadVarExists', keyOrDefault: 'use nomadVarExists and nomadVar', ls: 'use nomadVarList',
  safeLs: 'use nomadVarListSafe', tree: 'use nomadVarList', safeTree: 'use nomadVarListSafe', service: 'use nomadService',
  services: 'use nomadServices', connect: 'use nomadService', node: 'Nomad exposes the node through ${node.*} and NOMAD_* variables',
  nodes: 'Nomad exposes the node through ${node.*} and NOMAD_* variables',
};

export function unsupportedFuncs(): Record<string, TemplateFunc> {
  const out: Record<string, TemplateFunc> = {};
  for (const name of consul) {
    const hint = consulHint[name];
    out[name] = () => {
      throw new Error(`${name}: Consul is not available on drover (no consul block)${hint ? '; ' + hint : ''}`);
    };
  }
  for (const name of vault) {
    out[name] = () => {
      throw new Error(`${name}: Vault is not available on drover (no vault block); keep secrets in Nomad Variables and read them with nomadVar`);
    };
  }
  out['sockaddr'] = () => {
    throw new Error('sockaddr: go-sockaddr templates are not supported on drover; use the NOMAD_IP_* and NOMAD_ADDR_* variables through env');
  };
  out['plugin'] = () => {
    throw new Error('plugin: running plugin commands from templates is not supported on drover');
  };
  out['writeToFile'] = () => {
    throw new Error('writeToFile: writing files from templates is not supported on drover; use another template block');
  };
  out['executeTemplate'] = () => {
    throw new Error('executeTemplate: not supported on drover; use the template action {{ template "name" . }}');
  };
  for (const name of ['spew_dump', 'spew_sdump', 'spew_printf', 'spew_sprintf']) {
    out[name] = () => {
      throw new Error(`${name}: debugging dumps are not supported on drover; use toJSONPretty`);
    };
  }
  return out;
}
