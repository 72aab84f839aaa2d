/**
 * `drover var put|get|list|purge|lock` end to end: the real binary against
 * an agent in this process, every output format, Nomad's messages, and
 * round trips (a variable printed as HCL or JSON is a spec `put` reads back).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../api/index.js';
import { mergeConfigs, runAgent, type RunningAgent } from '../agent/index.js';
import { silentLogger } from '../model/logger.js';
import { drover, MAIN } from './cli-testing.js';

let running: RunningAgent;
let client: ApiClient;
let env: Record<string, string>;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'drover-cli-vars-'));
  running = await runAgent({ ...mergeConfigs(dir, [{ httpPort: 0 }]), dataDir: dir }, silentLogger, {});
  client = new ApiClient({ address: running.http.address, token: '' });
  env = { DROVER_ADDR: `http://${running.http.address}` };
});

after(async () => {
  await running.stop();
});

const run = (args: string[], input?: string) => drover(['var', ...args], { env, ...(input !== undefined ? { input } : {}) });
/** RFC 3339 in local time, as the tables print it. */
const TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)/;

test('var put: k=v creates; the output is none, json, table or hcl; a second put without -force is a check-and-set conflict', async () => {
  let r = await run(['put', '-out', 'none', 'app/db', 'user=admin', 'pass=s3cret']);
  assert.equal(r.code, 0, r.stderr);
  const v = await client.variables.read('app/db');
  assert.equal(r.stdout, `Created variable "app/db" with modify index ${v.ModifyIndex}\n`);
  assert.deepEqual(v.Items, { pass: 's3cret', user: 'admin' });

  r = await run(['put', 'app/db', 'user=other']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^\nCheck-and-Set conflict\n\n {4}Your provided check-index \(0\) does not match the server-side index \((\d+)\)\. The\n {4}server-side item was last updated on /);
  assert.match(r.stderr, new RegExp(`add the -force or -check-index=${v.ModifyIndex} flag\\n {4}before the positional arguments\\.\\n$`));

  r = await run(['put', '-force', '-out', 'json', 'app/db', 'user=forced', 'pass=']);
  assert.equal(r.code, 0, r.stderr);
  const forced = await client.variables.read('app/db');
  assert.equal(
    r.stdout,
    `{
  "Namespace": "default",
  "Path": "app/db",
  "CreateIndex": ${v.CreateIndex},
  "ModifyIndex": ${forced.ModifyIndex},
  "CreateTime": ${forced.CreateTime},
  "ModifyTime": ${forced.ModifyTime},
  "Items": {
    "user": "forced"
  }
}
`,
    'key= removes the item',
  );

  r = await run(['put', '-check-index', String(forced.ModifyIndex), '-out', 'table', 'app/db', 'user=checked', 'b=2']);
  assert.equal(r.code, 0, r.stderr);
  const checked = await client.variables.read('app/db');
  assert.match(
    r.stdout,
    new RegExp(`^Namespace {3}= default\\nPath {8}= app/db\\nCreate Time = ${TIME.source}\\n(Modify Time = ${TIME.source}\\n)?Check Index = ${checked.ModifyIndex}\\n\\nItems\\nb {4}= 2\\nuser = checked\\n$`),
  );
  r = await run(['put', '-check-index', String(forced.ModifyIndex), 'app/db', 'user=stale']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`Your provided check-index \\(${forced.ModifyIndex}\\) does not match the server-side index \\(${checked.ModifyIndex}\\)`));

  r = await run(['put', '-out', 'go-template', '-template', '{{.Path}} {{.Items.k}}', 'tpl/out', 'k=v']);
  assert.deepEqual([r.code, r.stdout], [0, 'tpl/out v\n']);

  r = await run(['put', '-out', 'hcl', 'hcl/out', 'k=v', 'long-key=x"y']);
  assert.equal(r.code, 0, r.stderr);
  const h = await client.variables.read('hcl/out');
  assert.equal(
    r.stdout,
    `
namespace    = "default"
path         = "hcl/out"
create_index = ${h.CreateIndex}  # Set by server
modify_index = ${h.ModifyIndex}  # Set by server; consulted for check-and-set
create_time  = ${h.CreateTime}   # Set by server
modify_time  = ${h.ModifyTime}   # Set by server

items = {
         k = "v"
  long-key = "x\\"y"
}

`,
  );
  assert.match(r.stderr, /^Variable Warnings:\n1 warning:\n\n\* "long-key" contains characters \["-"\] that require the 'index' function for direct access in templates\n/);
});

test('var put: values from files and stdin, whole specs from @file (JSON or HCL) and stdin; a printed variable reads back', async () => {
  const secret = join(dir, 'cert.pem');
  writeFileSync(secret, '-----BEGIN-----\nabc\n');
  let r = await run(['put', 'files/a', `cert=@${secret}`, 'lit=\\@home', 'piped=-'], 'from stdin');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await client.variables.read('files/a')).Items, { cert: '-----BEGIN-----\nabc\n', lit: '@home', piped: 'from stdin' });

  // What `var get -out hcl` prints is a spec: put it back unchanged (its modify index is the check index).
  r = await run(['get', '-out', 'hcl', 'files/a']);
  const hclFile = join(dir, 'spec.hcl');
  writeFileSync(hclFile, r.stdout);
  r = await run(['put', '-out', 'none', `@${hclFile}`, 'extra=1']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await client.variables.read('files/a')).Items, { cert: '-----BEGIN-----\nabc\n', extra: '1', lit: '@home', piped: 'from stdin' });
  // The same spec again is stale now.
  assert.equal((await run(['put', `@${hclFile}`])).code, 1);

  // JSON from `var get` works the same; a new path makes it a copy (indexes reset: must not exist yet).
  r = await run(['get', '-out', 'json', 'files/a']);
  const jsonFile = join(dir, 'spec.json');
  writeFileSync(jsonFile, r.stdout);
  r = await run(['put', '-out', 'none', 'files/copy', `@${jsonFile}`]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await client.variables.read('files/copy')).Items?.['extra'], '1');

  r = await run(['put', '-in', 'hcl', '-out', 'none', '-'], 'path = "stdin/spec"\nitems {\n  a = "b"\n}\n');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await client.variables.read('stdin/spec')).Items, { a: 'b' });
  r = await run(['put', '-out', 'none', 'stdin/json', '-'], '{"Items": {"x": "y"}}');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((await client.variables.read('stdin/json')).Items, { x: 'y' });
});

test('var put: bad input is named (arguments, k=v, files, spec fields, the agent\'s validation)', async () => {
  const cases: Array<[string[], RegExp, string?]> = [
    [['put'], /^Not enough arguments \(expected >1, got 0\)\n/],
    [['put', 'only/path'], /^Must supply data\n/],
    [['put', 'p', 'novalue'], /^Failed to parse K=V data: invalid key\/value pair "novalue": format must be key=value\n$/],
    [['put', 'p', 'k=@/nonexistent/file'], /^Failed to parse K=V data: invalid key\/value pair "k=@\/nonexistent\/file": error reading file: open \/nonexistent\/file: no such file or directory\n$/],
    [['put', 'p', 'k=1', 'k=2'], /key "k" is given more than once/],
    [['put', '@/nonexistent/spec.json'], /^Error reading "\/nonexistent\/spec.json": open \/nonexistent\/spec.json: no such file or directory\n$/],
    [['put', '@spec.txt'], /^Unable to determine format of spec.txt; Use the -in flag to specify it.\n$/],
    [['put', '-in', 'yaml', 'p', 'k=v'], /^Invalid value for "-in"; valid values are \[hcl, json\]\n/],
    [['put', '-out', 'xml', 'p', 'k=v'], /^Invalid value for "-out"; valid values are \[go-template, hcl, json, none, table\]\n/],
    [['put', '-in', 'hcl', '-'], /^Failed to parse variable data: error parsing hcl: stdin:2: itemz: unknown attribute "itemz" in variable specification/, 'path = "x"\nitemz = {}\n'],
    [['put', '-'], /^Failed to parse variable data: error unmarshaling json: Items.a: expected a string\n$/, '{"Path": "x", "Items": {"a": 1}}'],
    [['put', 'bad path', 'k=v'], /^Error creating variable: Unexpected response code: 400 \(invalid path "bad path"\)\n$/],
    [['put', 'nomad/other', 'k=v'], /only paths at "nomad\/jobs" or "nomad\/job-templates" and below are valid/],
    [['put', '-namespace', '*', 'p', 'k=v'], /^The wildcard namespace \("\*"\) is not valid for this command.\n$/],
    [['put', '-namespace', 'prod', 'p', 'k=v'], /nonexistent namespace "prod"/],
    [['put', '-out', 'go-template', 'p', 'k=v'], /^A template must be supplied using '-template' when using go-template formatting\n/],
    [['put', '-template', '{{.Path}}', 'p', 'k=v'], /^The '-template' flag is only valid when using 'go-template' formatting\n/],
  ];
  for (const [args, want, input] of cases) {
    const r = await run(args, input);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, want, args.join(' '));
  }
});

test('var get: table, json, hcl, none and -item; a missing variable or item', async () => {
  await client.variables.update({ Path: 'get/me', Items: { b: '2', a: 'one' } });
  const v = await client.variables.read('get/me');
  let r = await run(['get', '-out', 'table', 'get/me']);
  assert.match(r.stdout, new RegExp(`^Namespace {3}= default\\nPath {8}= get/me\\nCreate Time = ${TIME.source}\\nCheck Index = ${v.ModifyIndex}\\n\\nItems\\na = one\\nb = 2\\n$`));
  r = await run(['get', 'get/me']);
  assert.deepEqual(JSON.parse(r.stdout), { ...v, Items: { a: 'one', b: '2' } }, 'json when stdout is not a terminal');
  assert.deepEqual(Object.keys(JSON.parse(r.stdout) as object), ['Namespace', 'Path', 'CreateIndex', 'ModifyIndex', 'CreateTime', 'ModifyTime', 'Items']);
  r = await run(['get', '-out', 'hcl', 'get/me']);
  assert.match(r.stdout, /\nitems = {\n {2}a = "one"\n {2}b = "2"\n}\n\n$/);
  r = await run(['get', '-out', 'go-template', '-template', '{{.Path}}@{{.Namespace}} {{.CreateTime}}{{range $k, $v := .Items}} {{$k}}={{$v}}{{end}} {{.Items.b}}', 'get/me']);
  assert.deepEqual([r.code, r.stdout], [0, `get/me@default ${v.CreateTime} a=one b=2 2\n`]);
  r = await run(['get', '-out', 'go-template', '-template', '{{.Nope}}', 'get/me']);
  assert.deepEqual([r.code, r.stderr], [1, 'template: var:1:2: executing "var" at <.Nope>: can\'t evaluate field Nope in type Variable\n']);
  r = await run(['get', '-out', 'none', 'get/me']);
  assert.deepEqual([r.code, r.stdout], [0, '']);
  r = await run(['get', '-item', 'a', 'get/me']);
  assert.deepEqual([r.code, r.stdout], [0, 'one'], 'no trailing newline');
  r = await run(['get', '-item', 'zz', 'get/me']);
  assert.deepEqual([r.code, r.stderr], [1, 'Variable does not contain "zz" item\n']);
  r = await run(['get', 'get/none']);
  assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', 'Variable not found\n']);
  r = await run(['get']);
  assert.match(r.stderr, /^This command takes one argument: <path>\n/);
});

test('var list: table, json, terse; prefix; nothing found', async () => {
  await client.variables.update({ Path: 'list/b', Items: { k: 'v' } });
  await client.variables.update({ Path: 'list/a', Items: { k: 'v' } });
  let r = await run(['list', '-out', 'table', 'list/']);
  assert.match(r.stdout, new RegExp(`^Namespace  Path    Last Updated\\ndefault    list/a  ${TIME.source}\\ndefault    list/b  ${TIME.source}\\n$`));
  r = await run(['list', '-out', 'terse', 'list/']);
  assert.equal(r.stdout, 'list/a\nlist/b\n');
  r = await run(['list', '-out', 'terse', '-namespace', '*', 'list/']);
  assert.equal(r.stdout, 'default  list/a\ndefault  list/b\n');
  r = await run(['list', 'list/']);
  const listed = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  assert.deepEqual(
    listed.map((m) => m['Path']),
    ['list/a', 'list/b'],
  );
  assert.deepEqual(Object.keys(listed[0] as object), ['Namespace', 'Path', 'CreateIndex', 'ModifyIndex', 'CreateTime', 'ModifyTime']);
  assert.match(r.stdout, /^\[\n {4}\{\n {8}"Namespace"/, '4-space indent, as Nomad\'s list -json');
  r = await run(['list', '-out', 'go-template', '-template', '{{range .}}{{.Path}} {{.ModifyIndex}}\n{{end}}', 'list/']);
  const [a, b] = await client.variables.list({ prefix: 'list/' });
  assert.equal(r.stdout, `list/a ${a?.ModifyIndex}\nlist/b ${b?.ModifyIndex}\n\n`);
  r = await run(['list', '-out', 'go-template', '-template', '{{range .}', 'list/']);
  assert.deepEqual([r.code, r.stderr], [1, "template: format:1: bad character U+007D '}'\n"]);
  r = await run(['list', '-out', 'table', 'nothing/']);
  assert.equal(r.stdout, 'No matching variables found\n');
  r = await run(['list', 'a', 'b']);
  assert.match(r.stderr, /^This command takes flags and either no arguments or one: <prefix>\n/);
  r = await run(['list', '-out', 'hcl']);
  assert.match(r.stderr, /^Invalid value for "-out"; valid values are \[go-template, json, table, terse\]\n/);
});

test('var purge: deletes, honours -check-index with the conflict message', async () => {
  await client.variables.update({ Path: 'purge/me', Items: { k: 'v' } });
  const v = await client.variables.read('purge/me');
  let r = await run(['purge', '-check-index', String(v.ModifyIndex + 1), 'purge/me']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`Your provided check-index \\(${v.ModifyIndex + 1}\\) does not match the server-side index \\(${v.ModifyIndex}\\)`));
  r = await run(['purge', '-check-index', 'abc', 'purge/me']);
  assert.deepEqual([r.code, r.stderr], [1, 'Invalid -check-index value "abc": not parsable as uint64\n']);
  r = await run(['purge', '-check-index', String(v.ModifyIndex), 'purge/me']);
  assert.deepEqual([r.code, r.stdout], [0, 'Successfully purged variable "purge/me"!\n']);
  assert.equal(await client.variables.peek('purge/me'), undefined);
  r = await run(['purge', 'purge/me']);
  assert.equal(r.code, 0, 'purging what is gone is fine, as Nomad');
});

test('var lock: runs the child holding the lock, releases it, exits with the child\'s code; -early-return while another holds it', async () => {
  const r = await run(['lock', '-verbose', '-ttl', '10s', '-delay', '2s', 'locks/job', `${process.execPath} ${MAIN} var get -out json locks/job; exit 7`]);
  assert.equal(r.code, 7, r.stderr);
  const during = JSON.parse(r.stdout) as { Lock?: { ID: string; TTL: string; LockDelay: string } };
  assert.match(during.Lock?.ID ?? '', /^[0-9a-f-]{36}$/);
  assert.deepEqual({ ...during.Lock, ID: '' }, { ID: '', TTL: '10s', LockDelay: '2s' });
  assert.match(r.stderr, /Using TTL for the lock of 10s\n.*Attempting to acquire lock\nVariable locked, ready to execute: .* var get -out json locks\/job; exit 7\nReleasing the lock\n$/s);
  assert.equal((await client.variables.read('locks/job')).Lock, undefined, 'released');

  // Without a shell, argv is used as is.
  const direct = await run(['lock', '-shell=false', 'locks/job', process.execPath, '-e', 'process.exit(3)']);
  assert.equal(direct.code, 3, direct.stderr);

  const other = await client.variables.acquireLock({ Path: 'locks/job', Lock: { ID: '', TTL: '10s', LockDelay: '1s' } });
  const early = await run(['lock', '-early-return', 'locks/job', 'echo should-not-run']);
  assert.deepEqual([early.code, early.stdout], [0, '']);
  await client.variables.releaseLock({ Path: 'locks/job', Lock: { ID: other.Lock?.ID ?? '', TTL: '', LockDelay: '' } });

  const bad = await run(['lock', '-ttl', 'soon', 'locks/job', 'true']);
  assert.deepEqual([bad.code, bad.stderr], [1, 'Invalid TTL: invalid duration "soon"\n']);
  const short = await run(['lock', '-ttl', '1s', 'locks/job', 'true']);
  assert.equal(short.code, 1);
  assert.match(short.stderr, /^Lock error: acquiring the lock: Unexpected response code: 400 \(TTL must be between 10 seconds and 24 hours\)\n$/);
  const few = await run(['lock', 'locks/job']);
  assert.deepEqual([few.code, few.stderr], [1, 'Not enough arguments (expected >2, got 1)\n']);
});
