/**
 * Property-based tests (issue 16, hostile input) for the two job decoders:
 * HCL job files (src/jobspec parseJob) and the API's JSON jobs
 * (src/agent/wire fromApiJob). Any input, from byte garbage to near-valid
 * jobs with random stanzas, attribute names, values, durations and nesting,
 * gives a job or a ValidationError, never another error or a hang.
 */
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { report } from './campaign.js';
import { Tally, check, checkAsync, identFrom, jsonLike, mostly, nastyNumber, nastyString, params, validationError } from './properties-harness.js';
import { parseJob } from '../jobspec/index.js';
import { testSchemas } from '../jobspec/testdata/schemas.js';
import { fromApiJob } from '../agent/wire/api-to-job.js';

/** Stanza and attribute names the job decoders know, so random jobs reach deep code. */
const HCL_NAMES = [
  'access_mode', 'advertise', 'affinity', 'args', 'artifact', 'attachment_mode', 'attempts', 'aud', 'auto_promote', 'auto_revert', 'canary',
  'change_mode', 'change_signal', 'check', 'check_restart', 'chown', 'cidr', 'cluster', 'cni', 'command', 'config', 'constraint', 'cores', 'count',
  'cpu', 'cron', 'crons', 'data', 'datacenters', 'delay', 'delay_function', 'destination', 'device', 'disabled', 'disk', 'dispatch_payload', 'dns',
  'driver', 'enabled', 'env', 'ephemeral_disk', 'extra_claims', 'fail_on_error', 'file', 'filepath', 'fs_type', 'grace', 'group', 'headers',
  'health_check', 'healthy_deadline', 'hook', 'host_network', 'hostname', 'id', 'identity', 'ignore_collision', 'ignore_warnings', 'insecure',
  'interval', 'iops', 'ip', 'job', 'kill_signal', 'kill_timeout', 'kind', 'label', 'lifecycle', 'limit', 'locals', 'logs', 'max', 'max_delay',
  'max_file_size', 'max_files', 'max_parallel', 'mbits', 'memory', 'memory_max', 'meta', 'meta_optional', 'meta_required', 'migrate', 'min',
  'min_healthy_time', 'mode', 'mount_flags', 'mount_options', 'name', 'namespace', 'network', 'numa', 'operator', 'options', 'parameterized',
  'path', 'payload', 'per_alloc', 'periodic', 'policy', 'port', 'priority', 'progress_deadline', 'prohibit_overlap', 'propagation_mode',
  'provider', 'read_only', 'region', 'render_templates', 'reschedule', 'reserved_ports', 'resources', 'restart', 'run_on_first_render',
  'searches', 'secrets', 'selinux_label', 'servers', 'service', 'service_name', 'shutdown_delay', 'sidecar', 'size', 'source', 'splay',
  'spread', 'stagger', 'static', 'sticky', 'tagged_addresses', 'tags', 'target', 'task', 'template', 'time_zone', 'timeout', 'to', 'ttl',
  'type', 'unlimited', 'update', 'user', 'value', 'variable', 'variables', 'volume', 'volume_mount', 'wait', 'weight', 'weights',
  'left_delim', 'right_delim', 'perms', 'uid', 'gid', 'env', 'run_for', 'exit_code', 'exit_signal', 'start_error', 'stdout_string',
  'stdout_repeat', 'stdout_repeat_duration', 'image', 'ports', 'leader', 'kill_signal', 'sidecar_task', 'default', 'description', 'sensitive',
  'validation', 'condition', 'error_message', 'nullable', 'attribute', 'operand', 'percent',
];
const JSON_NAMES = [
  'AccessMode', 'Advertise', 'Affinities', 'Args', 'Artifacts', 'AttachmentMode', 'Attempts', 'Audience', 'AutoPromote', 'AutoRevert', 'CNI',
  'CPU', 'Canary', 'ChangeMode', 'ChangeSignal', 'Chown', 'Cluster', 'Command', 'Config', 'Constraints', 'Cores', 'Count', 'DNS', 'Datacenters',
  'Delay', 'DelayFunction', 'Destination', 'DestPath', 'Devices', 'Disabled', 'DiskMB', 'DispatchPayload', 'Driver', 'DynamicPorts',
  'EmbeddedTmpl', 'Enabled', 'Env', 'EphemeralDisk', 'ExtraClaims', 'FSType', 'FailOnError', 'File', 'Filepath', 'GetterHeaders',
  'GetterInsecure', 'GetterMode', 'GetterOptions', 'GetterSource', 'Grace', 'HealthCheck', 'HealthyDeadline', 'Hook', 'HostNetwork',
  'Hostname', 'ID', 'IOPS', 'Identity', 'Identities', 'IgnoreCollision', 'IgnoreWarnings', 'Interval', 'KillSignal', 'KillTimeout', 'Kind',
  'LTarget', 'Label', 'LeftDelim', 'Lifecycle', 'Limit', 'LogConfig', 'MBits', 'Max', 'MaxDelay', 'MaxFileSizeMB', 'MaxFiles',
  'MaxParallel', 'MemoryMB', 'MemoryMaxMB', 'Meta', 'MetaOptional', 'MetaRequired', 'Migrate', 'Min', 'MinHealthyTime', 'Mode',
  'MountFlags', 'MountOptions', 'NUMA', 'Name', 'Namespace', 'Networks', 'Operand', 'Options', 'ParameterizedJob', 'Payload', 'PerAlloc',
  'Periodic', 'Perms', 'Policy', 'Priority', 'ProgressDeadline', 'ProhibitOverlap', 'PropagationMode', 'RTarget', 'ReadOnly', 'Region',
  'RelativeDest', 'RenderTemplates', 'Reschedule', 'ReschedulePolicy', 'ReservedPorts', 'Resources', 'RestartPolicy', 'RightDelim',
  'RunOnFirstRender', 'SELinuxLabel', 'Searches', 'SecretsMB', 'Servers', 'ServiceName', 'Services', 'ShutdownDelay', 'Sidecar', 'SizeMB',
  'Source', 'Spec', 'SpecType', 'Specs', 'Splay', 'Spreads', 'Stagger', 'Sticky', 'TTL', 'TaggedAddresses', 'Tags', 'TaskGroups', 'Tasks',
  'Templates', 'TimeZone', 'Timeout', 'To', 'Type', 'Unlimited', 'Update', 'User', 'Value', 'Volume', 'VolumeMounts', 'Volumes', 'Wait',
  'Weight', 'Weights', 'run_for', 'command', 'args', 'exit_code', 'image',
];

/** An HCL expression as source text: literals, collections, interpolations, references, function calls. */
const hclValue: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    (nastyString).map((s) => JSON.stringify(s)),
    (nastyNumber).map((n) => (Number.isFinite(n) ? String(n) : '0')),
    fc.constantFrom('true', 'false', 'null', '"10s"', '"mock_driver"', '"raw_exec"', '"batch"', '"service"', '"system"', '"sysbatch"', '-1', '0'),
    fc.constantFrom('var.x', 'local.y', '"${var.x}"', '"${NOMAD_TASK_NAME}"', 'upper("a")', 'length([1,2])', '"%{ if true }x%{ endif }"'),
    (fc.array(tie('v'), { maxLength: 4 })).map((xs) => `[${xs.join(', ')}]`),
    (fc.array(fc.tuple(identFrom(HCL_NAMES), tie('v')), { maxLength: 4 })).map((kv) => `{ ${kv.map(([k, v]) => `${k} = ${v}`).join(', ')} }`),
    (fc.tuple(tie('v'), tie('v'))).map(([a, b]) => `${a} + ${b}`),
  ),
})).v;

/** A block body: attributes and nested blocks (with 0 to 2 labels) in any order. */
const hclBody: fc.Arbitrary<string> = fc.letrec<{ body: string; item: string }>((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 3, arbitrary: fc.tuple(identFrom(HCL_NAMES), hclValue).map(([k, v]) => `${k} = ${v}`) },
    { weight: 1, arbitrary: fc.tuple(identFrom(HCL_NAMES), fc.string({ maxLength: 30 })).map(([k, s]) => `${k} = <<EOT\n${s.replace(/EOT/g, '')}\nEOT\n`) },
    {
      weight: 1,
      arbitrary: (
        fc.tuple(identFrom(HCL_NAMES), fc.array(fc.oneof(identFrom(HCL_NAMES), nastyString), { maxLength: 2 }), tie('body'))).map(([name, labels, body]) => `${name} ${labels.map((l) => JSON.stringify(l)).join(' ')} {\n${body}\n}`,),
    },
  ),
  body: (fc.array(tie('item'), { maxLength: 5 })).map((items) => items.join('\n')),
})).body;

/** A job that is almost right: job/group/task with a driver and config, plus random stanzas at every level. */
const nearValidJob: fc.Arbitrary<string> = fc
  .record({
    job: mostly(fc.constant('example'), nastyString),
    type: fc.constantFrom('', '', '', 'type = "batch"', 'type = "service"', 'type = "system"', 'type = "sysbatch"', 'type = "bogus"'),
    jobExtra: mostly(fc.constant(''), hclBody),
    groups: fc.array(
      fc.record({
        name: mostly(fc.constant('g'), nastyString),
        extra: mostly(fc.constant(''), hclBody),
        tasks: fc.array(
          fc.record({
            name: mostly(fc.constant('t'), nastyString),
            driver: mostly(fc.constant('mock_driver'), fc.constantFrom('raw_exec', 'docker', 'nope', '')),
            config: mostly(fc.constantFrom('run_for = "1s"', 'run_for = "${var.x}"', 'exit_code = 3\nstdout_string = "x"'), hclBody),
            extra: mostly(fc.constant(''), hclBody),
          }),
          { minLength: 1, maxLength: 3 },
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    vars: mostly(fc.constant<[string, string, string][]>([]), fc.array(fc.tuple(fc.constantFrom('x', 'y', 'z'), fc.constantFrom('string', 'number', 'bool', 'list(string)', 'map(number)', 'any', 'object({a=string})', 'bogus(', ''), hclValue), { maxLength: 3 })),
    locals: mostly(fc.constant<[string, string][]>([]), fc.array(fc.tuple(fc.constantFrom('y', 'w'), hclValue), { maxLength: 2 })),
  })
  .map(({ job, type, jobExtra, groups, vars, locals }) => {
    const v = (vars as readonly (readonly [string, string, string])[]).map(([n, t, d]) => `variable "${n}" {\n${t === '' ? '' : `type = ${t}\n`}default = ${d}\n}`).join('\n');
    const l = locals.length === 0 ? '' : `locals {\n${(locals as readonly (readonly [string, string])[]).map(([n, e]) => `${n} = ${e}`).join('\n')}\n}`;
    const g = groups
      .map((gr) => {
        const ts = gr.tasks
          .map((t) => `task ${JSON.stringify(t.name)} {\ndriver = "${t.driver}"\nconfig {\n${t.config}\n}\n${t.extra}\n}`)
          .join('\n');
        return `group ${JSON.stringify(gr.name)} {\n${gr.extra}\n${ts}\n}`;
      })
      .join('\n');
    return `${v}\n${l}\njob ${JSON.stringify(job)} {\n${type}\n${jobExtra}\n${g}\n}\n`;
  });

/** Text that is mostly not HCL: random characters, HCL punctuation soup, and valid jobs with a byte changed. */
const garbageText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  (fc.array(fc.constantFrom('job', 'group', '"x"', '{', '}', '[', ']', '=', '${', '%{', '<<EOT', '\n', 'EOT', ',', '(', ')', '.', '*', '#', '//', '/*', '*/'), { maxLength: 60 })).map((a) => a.join(' ')),
  (fc.tuple(nearValidJob, fc.nat(), fc.string({ minLength: 1, maxLength: 3 }))).map(([text, at, s]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + s + text.slice(i + 1);
  }),
);

/** Nesting far deeper than a person writes: `[[[[…]]]]`, `{a={a=…}}`, blocks in blocks. */
const deepText: fc.Arbitrary<string> = fc.integer({ min: 50, max: 3000 }).chain((n) =>
  fc.constantFrom(
    `job "j" { meta = { a = ${'['.repeat(n)}${']'.repeat(n)} } }`,
    `job "j" { meta { a = "${'${'.repeat(n)}${'}'.repeat(n)}" } }`,
    `job "j" { ${'group "g" { '.repeat(n)}${'}'.repeat(n)} }`,
    `locals { a = ${'('.repeat(n)}1${')'.repeat(n)} }\njob "j" { meta { a = "\${local.a}" } }`,
    `locals { a = ${'-'.repeat(n)}1 }\njob "j" { meta { a = "\${local.a}" } }`,
  ),
);

const hcl = new Tally();
const json = new Tally();

// Load hcl2json's WebAssembly first, so its start-up is not charged to the first input's hang guard.
before(() => parseJob('', {}).catch(() => undefined));

test('job spec decoder (HCL): any text gives a job or a ValidationError', () =>
  hcl.run(async () => {
    const opts = { file: 'fuzz.nomad.hcl', drivers: testSchemas };
    const property = (text: string): Promise<void> => checkAsync(hcl, validationError, () => parseJob(text, opts));
    await fc.assert(fc.asyncProperty(nearValidJob, property), params(40));
    await fc.assert(fc.asyncProperty(garbageText, property), params(30));
    await fc.assert(fc.asyncProperty(deepText, property), params(6));
  }));

/** A JSON value built from the API's field names, nested at random. */
const jsonValue = jsonLike(identFrom(JSON_NAMES), 5);

const apiJob: fc.Arbitrary<unknown> = fc
  .record({
    top: mostly(fc.constant({}), fc.dictionary(identFrom(JSON_NAMES), jsonValue, { maxKeys: 6 })),
    type: fc.constantFrom(undefined, 'batch', 'service', 'system', 'sysbatch', 'x', 3),
    groups: fc.array(
      fc.record({
        g: mostly(fc.constant({}), fc.dictionary(identFrom(JSON_NAMES), jsonValue, { maxKeys: 6 })),
        tasks: fc.array(
          fc.record({
            t: mostly(fc.constant({}), fc.dictionary(identFrom(JSON_NAMES), jsonValue, { maxKeys: 6 })),
            driver: mostly(fc.constant('mock_driver'), fc.constantFrom('raw_exec', 'nope', 7)),
            config: mostly(fc.constant({ run_for: '1s' }), fc.oneof(fc.dictionary(identFrom(['run_for', 'command', 'args', 'exit_code', 'image', 'ports']), jsonValue, { maxKeys: 4 }), jsonValue)),
          }),
          { maxLength: 3 },
        ),
      }),
      { maxLength: 3 },
    ),
  })
  .map(({ top, type, groups }) => ({
    ID: 'j',
    ...(type === undefined ? {} : { Type: type }),
    TaskGroups: groups.map(({ g, tasks }) => ({
      Name: 'g',
      Tasks: tasks.map(({ t, driver, config }) => ({ Name: 't', Driver: driver, Config: config, ...t })),
      ...g,
    })),
    ...top,
  }));

test('job decoder (API JSON): any value gives a job or a ValidationError', () =>
  json.run(() => {
    const property = (raw: unknown): void => check(json, validationError, () => fromApiJob(raw, testSchemas));
    fc.assert(fc.property(apiJob, property), params(400));
    fc.assert(fc.property(fc.oneof(jsonValue, fc.jsonValue(), fc.anything()), property), params(300));
  }));

after(() => {
  report({
    scenario: 'fuzz: job spec decoder (HCL)',
    runs: hcl.runs,
    checked: 'random and near-valid HCL jobs decode to a job or a ValidationError with a message, each within the hang guard',
    result: hcl.result,
    figures: hcl.figures(),
  });
  report({
    scenario: 'fuzz: job decoder (API JSON)',
    runs: json.runs,
    checked: 'random and near-valid JSON jobs decode to a job or a ValidationError with a message, each within the hang guard',
    result: json.result,
    figures: json.figures(),
  });
});
