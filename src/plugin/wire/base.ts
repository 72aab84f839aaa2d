/** BasePlugin messages as @grpc/proto-loader presents them (see proto/load.ts). */
import type { PbSpec } from './hclspec.js';

/** base.proto PluginType values. */
export const PbPluginType = { UNKNOWN: 0, DRIVER: 2, DEVICE: 3 } as const;

export interface PbPluginInfoResponse {
  type: number;
  plugin_api_versions: string[];
  plugin_version: string;
  name: string;
}

export interface PbConfigSchemaResponse {
  spec: PbSpec | null;
}

export interface PbNomadDriverConfig {
  ClientMaxPort: number;
  ClientMinPort: number;
}

export interface PbSetConfigRequest {
  msgpack_config: Buffer;
  nomad_config: { driver: PbNomadDriverConfig | null } | null;
  plugin_api_version: string;
}
