/** BasePlugin service for a served drover driver: identity, config schema, SetConfig. */
import type * as grpc from '@grpc/grpc-js';
import type { DriverPlugin, Logger } from '../../drivers/types.js';
import { decodeCty } from '../codec/cty-msgpack.js';
import { impliedType, toHclSpec } from '../codec/hclspec.js';
import { pluginInfoToPb } from '../codec/plugin-info.js';
import type { PbSetConfigRequest } from '../wire/base.js';
import { unary } from './handler.js';

/** Handlers for hashicorp.nomad.plugins.base.proto.BasePlugin. */
export function baseHandlers(driver: DriverPlugin, logger: Logger): grpc.UntypedServiceImplementation {
  return {
    PluginInfo: unary('PluginInfo', logger, async () => pluginInfoToPb(driver.pluginInfo())),
    ConfigSchema: unary('ConfigSchema', logger, async () => ({ spec: toHclSpec(driver.configSchema()) })),
    SetConfig: unary('SetConfig', logger, async (req: PbSetConfigRequest) => {
      const bytes = req.msgpack_config;
      const pluginConfig = bytes.length > 0 ? (decodeCty(bytes, impliedType(driver.configSchema())) as Record<string, unknown>) : {};
      const d = req.nomad_config?.driver;
      logger.debug('plugin config set', { plugin_api_version: req.plugin_api_version });
      await driver.setConfig({
        pluginConfig,
        ...(d ? { agentConfig: { driver: { clientMinPort: d.ClientMinPort, clientMaxPort: d.ClientMaxPort } } } : {}),
      });
      return {};
    }),
  };
}
