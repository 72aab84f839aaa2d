/**
 * Property-based tests (issue 16, hostile input) for the agent config
 * (src/agent/config/parse-config.ts), in HCL and in JSON: random and
 * near-valid configs (known blocks and settings with random values, types and
 * nesting) give a config or a ValidationError, never another error or a hang.
 */
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { report } from './campaign.js';
import { Tally, checkAsync, identFrom, mostly, nastyNumber, nastyString, params, validationError } from './properties-harness.js';
import { parseAgentConfig } from '../agent/config/parse-config.js';

/** What the agent config decodes at each level (parse-config.ts), so random configs reach deep code. */
const LEVELS: Readonly<Record<string, readonly string[]>> = {
  '': ['region', 'datacenter', 'name', 'data_dir', 'plugin_dir', 'bind_addr', 'ports', 'acl', 'client', 'plugin', 'limits', 'server', 'log_level', 'telemetry'],
  ports: ['http', 'rpc'],
  acl: ['enabled', 'token_ttl'],
  limits: ['http_max_body_bytes'],
  client: [
    'enabled', 'meta', 'chroot_env', 'node_class', 'node_pool', 'user', 'stats', 'min_dynamic_port', 'max_dynamic_port', 'reserved', 'cni_path',
    'cni_config_dir', 'bridge_network_name', 'bridge_network_subnet', 'bridge_network_hairpin_mode', 'template', 'host_volume', 'gc_interval',
    'gc_disk_usage_threshold', 'gc_inode_usage_threshold', 'gc_max_allocs', 'cpu_total_compute', 'memory_total_mb', 'disk_free_mb', 'options',
  ],
  server: ['job_gc_interval', 'job_gc_threshold', 'eval_gc_threshold', 'batch_eval_gc_threshold', 'enabled'],
  template: ['function_denylist', 'disable_file_sandbox', 'wait'],
  wait: ['min', 'max'],
  user: ['denylist', 'checked_drivers'],
  reserved: ['reserved_ports', 'cpu', 'memory', 'disk', 'cores'],
  host_volume: ['path', 'read_only'],
  stats: ['collection_interval'],
  plugin: ['config', 'args'],
  config: ['enabled', 'no_cgroups', 'volumes', 'allow_caps', 'image_gc', 'default_pid_mode'],
};
const BLOCKS = ['ports', 'acl', 'limits', 'client', 'server', 'template', 'wait', 'user', 'reserved', 'host_volume', 'stats', 'plugin', 'config', 'meta'];
const ALL = [...new Set(Object.values(LEVELS).flat())];

/** A JSON-like value for a setting. */
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString,
    nastyNumber,
    fc.boolean(),
    fc.constantFrom('10s', '1h', '-5m', '0', '20000-20100', '22,80,443', '10.0.0.0/8', 'raw_exec', '*'),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(identFrom(ALL), tie('v'), { maxKeys: 3 }),
  ),
})).v;

/** A config as a JSON object: known blocks (sometimes labeled, as plugin and host_volume are) with known and random settings. */
const config: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ level: Record<string, unknown> }>((tie) => ({
  level: fc
    .array(
      fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.tuple(identFrom(ALL), value),
        fc.tuple(fc.constantFrom(...BLOCKS), tie('level')),
        fc.tuple(fc.constantFrom('plugin', 'host_volume'), fc.tuple(mostly(fc.constantFrom('raw_exec', 'exec', 'docker', 'data'), nastyString), tie('level')).map(([l, b]) => ({ [l]: b }))),
      ),
      { maxLength: 6 },
    )
    .map((kv) => Object.fromEntries(kv)),
})).level;

/** The same object as HCL: objects under block names become blocks, everything else an attribute. */
function toHcl(o: Record<string, unknown>, indent = ''): string {
  return Object.entries(o)
    .map(([k, v]) => {
      if (BLOCKS.includes(k) && k !== 'meta' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
        if (k === 'plugin' || k === 'host_volume') {
          return Object.entries(v).map(([label, b]) => `${indent}${k} ${JSON.stringify(label)} {\n${isObj(b) ? toHcl(b, `${indent}  `) : ''}\n${indent}}`).join('\n');
        }
        return `${indent}${k} {\n${toHcl(v as Record<string, unknown>, `${indent}  `)}\n${indent}}`;
      }
      return `${indent}${k} = ${hclValue(v)}`;
    })
    .join('\n');
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function hclValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(hclValue).join(', ')}]`;
  if (isObj(v)) return `{ ${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)} = ${hclValue(x)}`).join(', ')} }`;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '0';
  return JSON.stringify(v) ?? 'null';
}

const hcl = new Tally();
const json = new Tally();

// Load hcl2json's WebAssembly first, so its start-up is not charged to the first input's hang guard.
before(() => parseAgentConfig('').catch(() => undefined));

test('agent config (HCL): any config gives a config or a ValidationError', () =>
  hcl.run(async () => {
    const property = (text: string): Promise<void> => checkAsync(hcl, validationError, () => parseAgentConfig(text, { file: 'fuzz.hcl' }));
    await fc.assert(fc.asyncProperty(config.map((c) => toHcl(c)), property), params(40));
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 100 }), property), params(15));
  }));

test('agent config (JSON): any config gives a config or a ValidationError', () =>
  json.run(async () => {
    const property = (text: string): Promise<void> => checkAsync(json, validationError, () => parseAgentConfig(text, { file: 'fuzz.json' }));
    await fc.assert(fc.asyncProperty(config.map((c) => JSON.stringify(c)), property), params(20));
    await fc.assert(fc.asyncProperty(fc.jsonValue().map((v) => JSON.stringify(v)), property), params(10));
  }));

after(() => {
  report({
    scenario: 'fuzz: agent config (HCL)',
    runs: hcl.runs,
    checked: 'random and near-valid HCL agent configs decode to a config or a ValidationError with a message, each within the hang guard',
    result: hcl.result,
    figures: hcl.figures(),
  });
  report({
    scenario: 'fuzz: agent config (JSON)',
    runs: json.runs,
    checked: 'random and near-valid JSON agent configs decode to a config or a ValidationError with a message, each within the hang guard',
    result: json.result,
    figures: json.figures(),
  });
});
