import { decodeCty } from '../codec/cty-msgpack.js';
import { impliedType, toHclSpec } from '../codec/hclspec.js';
import { pluginInfoToPb } from '../codec/plugin-info.js';
import { BasePluginService } from '../wire/base.js';
import { unary } from './handler.js';
const M = BasePluginService;
/** Handlers for hashicorp.nomad.plugins.base.proto.BasePlugin. */
export function baseHandlers(driver, logger) {
    return {
        pluginInfo: unary(M.pluginInfo, logger, async () => pluginInfoToPb(driver.pluginInfo())),
        configSchema: unary(M.configSchema, logger, async () => ({ spec: toHclSpec(driver.configSchema()) })),
        setConfig: unary(M.setConfig, logger, async (req) => {
            const bytes = req.msgpack_config;
            const pluginConfig = bytes.length > 0 ? decodeCty(bytes, impliedType(driver.configSchema())) : {};
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
//# sourceMappingURL=base-service.js.map