/**
 * `drover var get|list|purge` and the `var` dispatcher (Nomad's
 * command/var*.go); `put` and `lock` live beside it. Output formats and
 * messages are nomad var's.
 */
import { CasConflictError } from '../api/index.js';
import { apiFailure, apiUsage, call, CliError, commandContext, runCommandBody, toJson, type Ctx } from './common.js';
import { formatList } from './tables.js';
import { casConflictMessage, metadataForJson, OUT_FORMATS, renderGoTemplate, variableHcl, variableJson, variableListTable, variableTable, type OutFormat } from './var-format.js';
import type { Io } from './io.js';

export const VAR_USAGE = `Usage: drover var <subcommand> [options] [args]

  This command groups subcommands for interacting with variables. Variables
  allow operators to provide credentials and otherwise sensitive material to
  jobs at runtime via the template block or directly through the API and CLI.

  Upsert a variable:

      $ drover var put <path> key=value

  Examine a variable:

      $ drover var get <path>

  List existing variables:

      $ drover var list <prefix>

  Purge a variable:

      $ drover var purge <path>

  Run a command while holding a lock on a variable:

      $ drover var lock <path> <command>

Subcommands:
  get      Read a variable
  list     List variable metadata
  lock     Put a lock on a variable and run a child command while holding it
  purge    Purge a variable
  put      Create or update a variable

Run 'drover var <subcommand> -help' for a subcommand's options.`;

/** The -namespace flag every var command takes. */
export const NAMESPACE_FLAG = { namespace: { type: 'string' } } as const;
export const NAMESPACE_HELP = `  -namespace NS
     The namespace (default $NOMAD_NAMESPACE, then "default"; drover has only "default").`;
const WILDCARD = 'The wildcard namespace ("*") is not valid for this command.';

export const VAR_GET_USAGE = apiUsage(`Usage: drover var get [options] <path>

  The 'var get' command is used to get the contents of an existing variable.

Get Options:

  -item <item key>
     Print only the value of the given item. Specifying this option will
     take precedence over other formatting directives. The result will not
     have a trailing newline making it ideal for piping to other processes.

  -out ( go-template | hcl | json | none | table )
     Format to render the variable in. Defaults to "table" when stdout is a
     terminal and to "json" when stdout is redirected.

  -template
     Template to render output with. Required when output is "go-template".

${NAMESPACE_HELP}
`);

export const VAR_LIST_USAGE = apiUsage(`Usage: drover var list [options] <prefix>

  List is used to list available variables. Supplying an optional prefix,
  filters the list to variables having a path starting with the prefix.

List Options:

  -out (go-template | json | table | terse )
     Format to render the list in. Defaults to "table" when stdout is a
     terminal and "json" when the output is redirected. The "terse" format
     outputs only the paths (with namespaces for -namespace "*").

  -template
     Template to render output with. Required when format is "go-template".

${NAMESPACE_HELP.replace('"default";', '"default"; "*" for all;')}
`);

export const VAR_PURGE_USAGE = apiUsage(`Usage: drover var purge [options] <path>

  Purge is used to permanently delete an existing variable.

Purge Options:

  -check-index
     If set, the variable is only acted upon if the server side version's modify
     index matches the provided value.

${NAMESPACE_HELP}
`);

/** Runs `drover var …`. */
export async function varCommand(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'get':
      return varGetCommand(rest, io);
    case 'list':
      return varListCommand(rest, io);
    case 'purge':
      return varPurgeCommand(rest, io);
    case 'put':
      return (await import('./var-put.js')).varPutCommand(rest, io);
    case 'lock':
      return (await import('./var-lock.js')).varLockCommand(rest, io);
    case '-h':
    case '-help':
    case '--help':
      io.err(VAR_USAGE);
      return 0;
    default:
      io.err(sub === undefined ? VAR_USAGE : `Unknown command "var ${sub}"\n\n${VAR_USAGE}`);
      return 1;
  }
}

/** The -namespace flag, else $NOMAD_NAMESPACE; undefined for the agent's default. */
export function namespaceOf(ctx: Ctx): string | undefined {
  const flag = ctx.values.namespace;
  const ns = typeof flag === 'string' && flag !== '' ? flag : process.env.NOMAD_NAMESPACE;
  return ns === undefined || ns === '' ? undefined : ns;
}

/** The namespace of a command that targets one variable: "*" is refused. */
export function singleNamespace(ctx: Ctx): string | undefined {
  const ns = namespaceOf(ctx);
  if (ns === '*') throw new CliError(WILDCARD);
  return ns;
}

/** The -out value (default: `tty` on a terminal, else json), checked against `allowed` and -template. */
export function outFormat<T extends string>(ctx: Ctx, allowed: readonly T[], tty: T, usage: string): T {
  const flag = ctx.values.out;
  const out = (typeof flag === 'string' ? flag : process.stdout.isTTY ? tty : 'json') as T;
  const template = ctx.values.template;
  if (out !== 'go-template' && typeof template === 'string' && template !== '') {
    throw new CliError(`The '-template' flag is only valid when using 'go-template' formatting\n\n${usage}`);
  }
  if (!allowed.includes(out)) throw new CliError(`Invalid value for "-out"; valid values are [${allowed.join(', ')}]\n\n${usage}`);
  if (out === 'go-template' && (typeof template !== 'string' || template === '')) {
    throw new CliError(`A template must be supplied using '-template' when using go-template formatting\n\n${usage}`);
  }
  return out;
}

/** Nomad's parseCheckIndex: undefined when not given. */
export function checkIndexOf(ctx: Ctx): number | undefined {
  const raw = ctx.values['check-index'];
  if (typeof raw !== 'string' || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw new CliError(`Invalid -check-index value ${JSON.stringify(raw)}: not parsable as uint64`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new CliError(`Invalid -check-index value ${JSON.stringify(raw)}: out of range`);
  return n;
}

/** A failed write: a check-and-set conflict printed as Nomad does, anything else as "<what>: <error>". */
export function writeFailure(ctx: Ctx, what: string, err: unknown): CliError {
  if (err instanceof CasConflictError) return new CliError(casConflictMessage(err.checkIndex, err.conflict).trimEnd());
  return apiFailure(ctx.client, what, err);
}

const GET_FLAGS = { ...NAMESPACE_FLAG, item: { type: 'string' }, out: { type: 'string' }, template: { type: 'string' } } as const;

export async function varGetCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommandBody(io, VAR_GET_USAGE, async () => {
    const ctx = commandContext(argv, GET_FLAGS, io, VAR_GET_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) throw new CliError(`This command takes one argument: <path>\n\n${VAR_GET_USAGE}`);
    const out = outFormat<OutFormat>(ctx, OUT_FORMATS, 'table', VAR_GET_USAGE);
    const namespace = singleNamespace(ctx);
    const path = ctx.args[0] as string;
    const v = await call(ctx, 'Error retrieving variable', ctx.client.variables.peek(path, { ...(namespace ? { namespace } : {}) }));
    if (!v) throw new CliError('Variable not found');
    const item = ctx.values.item;
    if (typeof item === 'string' && item !== '') {
      const value = v.Items?.[item];
      if (value === undefined) throw new CliError(`Variable does not contain ${JSON.stringify(item)} item`);
      io.rawOut(Buffer.from(value, 'utf8'));
      return 0;
    }
    switch (out) {
      case 'json':
        io.out(variableJson(v));
        break;
      case 'hcl':
        io.out(variableHcl(v));
        break;
      case 'table':
        io.out(variableTable(v));
        break;
      case 'go-template':
        io.out(renderGoTemplate('var', ctx.values.template as string, v));
        break;
      case 'none':
        break;
    }
    return 0;
  });
}

const LIST_OUT = ['go-template', 'json', 'table', 'terse'] as const;

export async function varListCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { ...NAMESPACE_FLAG, out: { type: 'string' }, template: { type: 'string' } } as const;
  return runCommandBody(io, VAR_LIST_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, VAR_LIST_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length > 1) throw new CliError(`This command takes flags and either no arguments or one: <prefix>\n\n${VAR_LIST_USAGE}`);
    const out = outFormat(ctx, LIST_OUT, 'table', VAR_LIST_USAGE);
    const namespace = namespaceOf(ctx);
    const prefix = ctx.args[0] ?? '';
    const vars = await call(ctx, 'Error retrieving vars', ctx.client.variables.list({ prefix, ...(namespace ? { namespace } : {}) }));
    switch (out) {
      case 'json':
        io.out(toJson(vars.map(metadataForJson)));
        break;
      case 'terse':
        io.out(formatList(vars.map((v) => (namespace === '*' ? [v.Namespace, v.Path] : [v.Path]))));
        break;
      case 'table':
        io.out(variableListTable(vars));
        break;
      case 'go-template':
        io.out(renderGoTemplate('format', ctx.values.template as string, vars));
        break;
    }
    return 0;
  });
}

export async function varPurgeCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { ...NAMESPACE_FLAG, 'check-index': { type: 'string' } } as const;
  return runCommandBody(io, VAR_PURGE_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, VAR_PURGE_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length !== 1) throw new CliError(`This command takes one argument: <path>\n\n${VAR_PURGE_USAGE}`);
    const checkIndex = checkIndexOf(ctx);
    const namespace = singleNamespace(ctx);
    const path = ctx.args[0] as string;
    const opts = namespace ? { namespace } : {};
    try {
      if (checkIndex !== undefined) await ctx.client.variables.checkedDelete(path, checkIndex, opts);
      else await ctx.client.variables.delete(path, opts);
    } catch (err) {
      throw writeFailure(ctx, 'Error purging variable', err);
    }
    io.out(`Successfully purged variable ${JSON.stringify(path)}!`);
    return 0;
  });
}
