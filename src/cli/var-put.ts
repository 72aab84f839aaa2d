/**
 * `drover var put` (Nomad's command/var_put.go): a variable from a path and
 * key=value arguments, from a whole specification (JSON or HCL, from @file or
 * stdin), or both, the arguments winning. Without -force the write is a
 * check-and-set: on the index the specification or -check-index gives, else
 * "only if it does not exist yet", as Nomad's CLI does.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { ApiVariable, VariableWrite } from '../api/index.js';
import { BodyReader, readHcl } from '../hcl/index.js';
import { formatProblem, ValidationError } from '../model/errors.js';
import { apiUsage, CliError, commandContext, runCommandBody, type Ctx } from './common.js';
import { OUT_FORMATS, renderGoTemplate, variableHcl, variableJson, variableTable, type OutFormat } from './var-format.js';
import { checkIndexOf, NAMESPACE_FLAG, NAMESPACE_HELP, outFormat, singleNamespace, writeFailure } from './var.js';
import type { Io } from './io.js';

export const VAR_PUT_USAGE = apiUsage(`Usage:
drover var put [options] <variable spec file reference> [<key>=<value>]...
drover var put [options] <path to store variable> [<variable spec file reference>] [<key>=<value>]...

  The 'var put' command is used to create or update an existing variable.
  Variable metadata and items can be supplied using a variable specification,
  by using command arguments, or by a combination of the two techniques.

  An entire variable specification can be provided to the command via standard
  input (stdin) by setting the first argument to "-" or from a file by using an
  @-prefixed path to a variable specification file. When providing variable
  data via stdin, you must provide the "-in" flag with the format of the
  specification, either "hcl" or "json".

  Items to be stored in the variable can be supplied using the specification,
  as a series of key-value pairs, or both. The value for a key-value pair can
  be a string, an @-prefixed file reference, or a '-' to get the value from
  stdin. A key with an empty value (key=) removes that item. Values supplied
  as command line arguments supersede values provided in any specification.

Var put Options:

  -check-index
     If set, the variable is only acted upon if the server-side version's index
     matches the provided value. When a variable specification contains
     a modify index, that modify index is used as the check-index for the
     check-and-set operation and can be overridden using this flag.

  -force
     Perform this operation regardless of the state or index of the variable
     on the server-side.

  -in (hcl | json)
     Parser to use for data supplied via standard input or when the variable
     specification's type can not be known using the file extension. Defaults
     to "json".

  -out (go-template | hcl | json | none | table)
     Format to render created or updated variable. Defaults to "none" when
     stdout is a terminal and "json" when the output is redirected.

  -template
     Template to render output with. Required when format is "go-template".

  -verbose
     Provides additional information via standard error to preserve standard
     output (stdout) for redirected output.

${NAMESPACE_HELP}
`);

export const PUT_FLAGS = {
  ...NAMESPACE_FLAG,
  force: { type: 'boolean' },
  verbose: { type: 'boolean' },
  'check-index': { type: 'string' },
  in: { type: 'string' },
  out: { type: 'string' },
  template: { type: 'string' },
} as const;

/** Keys a template can reach as .Items.key without the index function (Nomad's invalidIdentifier). */
const INVALID_IDENTIFIER = /[^_\p{N}\p{L}]/gu;

export async function varPutCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommandBody(io, VAR_PUT_USAGE, async () => {
    // Go's flag package: flags end at the first argument.
    const ctx = commandContext(argv, PUT_FLAGS, io, VAR_PUT_USAGE, { stopAtPositional: true });
    if (!ctx) return 0;
    const verbose = (msg: string): void => {
      if (ctx.values.verbose) io.err(msg);
    };
    const checkIndex = checkIndexOf(ctx);
    const namespace = singleNamespace(ctx);
    const args = [...ctx.args];
    if (args.length < 1) throw new CliError(`Not enough arguments (expected >1, got ${args.length})\n\n${VAR_PUT_USAGE}`);
    if (args.length === 1 && !isStdinRef(args[0] as string) && !isFileRef(args[0] as string)) throw new CliError(`Must supply data\n\n${VAR_PUT_USAGE}`);
    const spec = new SpecSource(ctx, verbose);
    const out = outFormat<OutFormat>(ctx, OUT_FORMATS, 'none', VAR_PUT_USAGE);

    const path = spec.readFirst(args.shift() as string);
    if (args.length > 0 && (isStdinRef(args[0] as string) || isFileRef(args[0] as string))) spec.readSecond(args.shift() as string, path);
    const sv = await spec.variable(path, namespace);
    const warnings: string[] = [];
    for (const [k, v] of Object.entries(parseKeyValues(args))) {
      if (v === '') {
        verbose(k in (sv.Items ?? {}) ? `Removed item ${JSON.stringify(k)}` : `Item ${JSON.stringify(k)} does not exist, continuing...`);
        delete sv.Items?.[k];
        continue;
      }
      const invalid = [...new Set(k.match(INVALID_IDENTIFIER) ?? [])].map((c) => `"${c}"`).sort();
      if (invalid.length > 0) warnings.push(`"${k}" contains characters [${invalid.join(',')}] that require the 'index' function for direct access in templates`);
      (sv.Items ??= {})[k] = v;
    }
    if (checkIndex !== undefined) sv.ModifyIndex = checkIndex;

    let written: ApiVariable;
    try {
      written = ctx.values.force ? await ctx.client.variables.update(sv) : await ctx.client.variables.checkedUpdate(sv, sv.ModifyIndex ?? 0);
    } catch (err) {
      throw writeFailure(ctx, 'Error creating variable', err);
    }
    const success = `Created variable ${JSON.stringify(written.Path)} with modify index ${written.ModifyIndex}`;
    if (warnings.length > 0) {
      io.err(`Variable Warnings:\n${warnings.length === 1 ? '1 warning:' : `${warnings.length} warnings:`}\n${warnings.map((w) => `\n* ${w}`).join('')}\n`);
    }
    switch (out) {
      case 'none':
        io.out(success);
        return 0;
      case 'go-template':
        verbose(success);
        io.out(renderGoTemplate('var', ctx.values.template as string, written));
        return 0;
      case 'table':
        verbose(success);
        io.out(variableTable(written));
        return 0;
      case 'json':
        verbose(success);
        io.out(variableJson(written));
        return 0;
      case 'hcl':
        verbose(success);
        io.out(variableHcl(written));
        return 0;
    }
  });
}

/** Where a whole specification comes from (stdin or @file), in which format, and how it becomes a variable. */
export class SpecSource {
  private contents: string | undefined;
  private format: string;
  /** Names the spec in parse errors. */
  private source = 'stdin';

  constructor(
    private readonly ctx: Ctx,
    private readonly verbose: (msg: string) => void,
  ) {
    const flag = ctx.values.in;
    this.format = typeof flag === 'string' ? flag : 'json';
    if (this.format !== 'hcl' && this.format !== 'json') throw new CliError(`Invalid value for "-in"; valid values are [hcl, json]\n\n${VAR_PUT_USAGE}`);
  }

  /** The first argument: "-" (a spec on stdin), "@file" (a spec file) or the path; returns the path ("" when the spec names it). */
  readFirst(arg: string): string {
    if (isStdinRef(arg)) {
      this.contents = readStdin();
      this.verbose(`Reading whole ${this.format.toUpperCase()} variable specification from stdin`);
      return '';
    }
    if (isFileRef(arg)) {
      const file = arg.slice(1);
      this.formatFromName(file);
      this.verbose(`Reading whole ${this.format.toUpperCase()} variable specification from ${JSON.stringify(file)}`);
      this.contents = readSpecFile(file);
      this.source = file;
      return '';
    }
    const path = sanitizePath(arg);
    this.verbose(`Writing to path ${JSON.stringify(path)}`);
    return path;
  }

  /** A spec after the path: "-" or "@file". */
  readSecond(arg: string, path: string): void {
    if (isStdinRef(arg)) {
      this.verbose(`Creating variable ${JSON.stringify(path)} using specification from stdin`);
      this.contents = readStdin();
      return;
    }
    const file = arg.slice(1);
    this.formatFromName(file);
    this.verbose(`Creating variable ${JSON.stringify(path)} from specification file ${JSON.stringify(file)}`);
    this.contents = readSpecFile(file);
    this.source = file;
  }

  /**
   * Nomad's makeVariable: the spec (if any) with the path and namespace given
   * on the command line stepping on its own; a spec moved elsewhere loses its
   * indexes and times (a copy, not a check-and-set of the original).
   */
  async variable(path: string, namespace: string | undefined): Promise<VariableWrite> {
    if (this.contents === undefined || this.contents === '') return { Namespace: namespace ?? '', Path: path, Items: {} };
    const out = this.format === 'hcl' ? await parseHclSpec(this.contents, this.source) : parseJsonSpec(this.contents);
    out.Items ??= {};
    let reset = false;
    if (namespace !== undefined && namespace !== out.Namespace) {
      out.Namespace = namespace;
      reset = true;
    }
    if (path !== '' && path !== out.Path) {
      out.Path = path;
      reset = true;
    }
    if (out.Path === '') throw new CliError('Failed to parse variable data: the specification names no path');
    if (reset) {
      out.CreateIndex = 0;
      out.CreateTime = 0;
      out.ModifyIndex = 0;
      out.ModifyTime = 0;
    }
    return out;
  }

  /** Nomad's setParserForFileArg: the format from the extension (an explicit -in covers other names). */
  private formatFromName(file: string): void {
    const ext = extname(file);
    if (ext === '.json' || ext === '.hcl') this.format = ext.slice(1);
    else if (typeof this.ctx.values.in !== 'string') throw new CliError(`Unable to determine format of ${file}; Use the -in flag to specify it.`);
  }
}

/** Nomad's KVBuilder: key=value, key=@file (its content), key=- (stdin), key=\@literal; "-" or "@file" alone merge a JSON object. */
export function parseKeyValues(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  let stdinUsed = false;
  const stdin = (raw: string): string => {
    if (stdinUsed) throw new CliError(`Failed to parse K=V data: invalid key/value pair ${JSON.stringify(raw)}: stdin already consumed`);
    stdinUsed = true;
    return readStdin();
  };
  const set = (raw: string, k: string, v: string): void => {
    if (Object.hasOwn(out, k)) throw new CliError(`Failed to parse K=V data: invalid key/value pair ${JSON.stringify(raw)}: key ${JSON.stringify(k)} is given more than once`);
    out[k] = v;
  };
  for (const raw of args) {
    if (raw === '') continue;
    const eq = raw.indexOf('=');
    if (eq < 0) {
      const bad = (why: string) => new CliError(`Failed to parse K=V data: invalid key/value pair ${JSON.stringify(raw)}: ${why}`);
      if (raw !== '-' && !raw.startsWith('@')) throw bad('format must be key=value');
      let text: string;
      try {
        text = raw === '-' ? stdin(raw) : readFileSync(raw.slice(1), 'utf8');
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw bad(goFileError(raw.slice(1), err));
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw bad((err as Error).message);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad('expected a JSON object of strings');
      for (const [k, v] of Object.entries(parsed)) {
        if (typeof v !== 'string') throw bad(`${k}: expected a string`);
        set(raw, k, v);
      }
      continue;
    }
    const key = raw.slice(0, eq);
    let value = raw.slice(eq + 1);
    if (value.startsWith('@')) {
      try {
        value = readFileSync(value.slice(1), 'utf8');
      } catch (err) {
        throw new CliError(`Failed to parse K=V data: invalid key/value pair ${JSON.stringify(raw)}: error reading file: ${goFileError(value.slice(1), err)}`);
      }
    } else if (value.startsWith('\\@')) value = value.slice(1);
    else if (value === '-') value = stdin(raw);
    set(raw, key, value);
  }
  return out;
}

/** A JSON specification (Nomad's api.Variable; Go matches field names without regard to case). */
function parseJsonSpec(text: string): VariableWrite {
  const fail = (why: string): never => {
    throw new CliError(`Failed to parse variable data: error unmarshaling json: ${why}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('expected a JSON object');
  const fields = new Map<string, unknown>(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
  const str = (name: string): string | undefined => {
    const v = fields.get(name.toLowerCase());
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v : fail(`${name}: expected a string`);
  };
  const num = (name: string): number | undefined => {
    const v = fields.get(name.toLowerCase());
    if (v === undefined || v === null) return undefined;
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fail(`${name}: expected a whole number`);
  };
  const out: VariableWrite = { Namespace: str('Namespace') ?? '', Path: str('Path') ?? '' };
  for (const k of ['CreateIndex', 'ModifyIndex', 'CreateTime', 'ModifyTime'] as const) {
    const n = num(k);
    if (n !== undefined) out[k] = n;
  }
  const items = fields.get('items');
  if (items !== undefined && items !== null) {
    if (typeof items !== 'object' || Array.isArray(items)) return fail('Items: expected an object of strings');
    out.Items = {};
    for (const [k, v] of Object.entries(items as Record<string, unknown>)) out.Items[k] = typeof v === 'string' ? v : fail(`Items.${k}: expected a string`);
  }
  const lock = fields.get('lock');
  if (lock !== undefined && lock !== null) {
    if (typeof lock !== 'object' || Array.isArray(lock)) return fail('Lock: expected an object');
    const l = new Map<string, unknown>(Object.entries(lock as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
    const s = (k: string): string => {
      const v = l.get(k.toLowerCase());
      return v === undefined || v === null ? '' : typeof v === 'string' ? v : fail(`Lock.${k}: expected a string`);
    };
    out.Lock = { ID: s('ID'), TTL: s('TTL'), LockDelay: s('LockDelay') };
  }
  return out;
}

/** An HCL specification (what `var get -out hcl` prints), every problem named with its line. */
async function parseHclSpec(text: string, file: string): Promise<VariableWrite> {
  try {
    const { body, report } = await readHcl(text, file, 'variable.hcl');
    const r = new BodyReader(report, '', body, { decoded: ['namespace', 'path', 'create_index', 'modify_index', 'create_time', 'modify_time', 'items'], ignored: [] }, 'variable specification');
    const out: VariableWrite = { Namespace: r.string('namespace') ?? '', Path: r.string('path') ?? '' };
    const ints = { create_index: 'CreateIndex', modify_index: 'ModifyIndex', create_time: 'CreateTime', modify_time: 'ModifyTime' } as const;
    for (const [key, field] of Object.entries(ints)) {
      const n = r.int(key);
      if (n !== undefined) out[field] = n;
    }
    const items = r.stringMap('items');
    if (items) out.Items = items;
    if (report.errors.length > 0) throw new ValidationError(report.errors);
    return out;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const problems = err.problems.map(formatProblem);
    throw new CliError(`Failed to parse variable data: error parsing hcl: ${problems.length === 1 ? problems[0] : `\n${problems.map((p) => `\t* ${p}`).join('\n')}`}`);
  }
}

/** Go's os.Open error text for a file that cannot be read. */
function goFileError(file: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
  return `open ${file}: ${why}`;
}

function readSpecFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`Error reading ${JSON.stringify(file)}: ${goFileError(file, err)}`);
  }
}

/** Everything on stdin (nothing when it is a terminal, as Nomad). */
function readStdin(): string {
  if (process.stdin.isTTY) return '';
  return readFileSync(0, 'utf8');
}

export function isFileRef(a: string): boolean {
  return a.startsWith('@');
}

export function isStdinRef(a: string): boolean {
  return a === '-';
}

/** Nomad's sanitizePath: no surrounding spaces or slashes. */
export function sanitizePath(s: string): string {
  return s.trim().replace(/^\/+|\/+$/g, '');
}

