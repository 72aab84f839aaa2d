/**
 * The agent's public surface: what the CLI may use (eslint holds it to this
 * file). Everything else under src/agent is internal.
 *
 * - `drover agent`: config files → runAgent, with the stderr logger.
 * - `drover run`: the same Agent core embedded (no HTTP), its data-dir lock,
 *   and the task log follower for -logs.
 * - `drover run`: the built-in drivers, created from the catalog with raw_exec enabled.
 */
export { runAgent, type RunningAgent } from './run-agent.js';
export { Agent, type AgentOptions, type AllocView } from './core/agent.js';
export { allocDirOf } from './core/alloc-supervisor.js';
export { lockDataDir } from './pid-lock.js';
export { followLogs, type FollowOptions } from './logs/follower.js';
export { startHttpServer, type HttpServer } from './http/server.js';
export { mergeConfigs, type AgentConfig, type PartialAgentConfig } from './config/agent-config.js';
export { loadAgentConfigFile, type ParsedAgentConfig } from './config/parse-config.js';
export { isLogLevel, stderrLogger, type LogLevel } from './logger.js';
// The built-in drivers (drivers/catalog.ts) created and configured from plugin blocks, as `drover run` needs them.
export { builtinDrivers, shutdownDrivers, type PluginConfigs } from './drivers.js';
// Placement failures as the API shows them (drover run prints them as job run does).
export { toApiAllocMetric } from './wire/eval-to-api.js';
