/** `drover system gc` (Nomad's command/system_gc.go): collect finished jobs and allocations now. */
import { apiUsage, call, CliError, commandContext, runCommandBody } from './common.js';
import type { Io } from './io.js';

export const SYSTEM_USAGE = `Usage: drover system <subcommand> [options]

  This command groups subcommands for interacting with the system API. Users
  can trigger the garbage collector.

Subcommands:
  gc    Run the system garbage collection process

Run 'drover system <subcommand> -help' for a subcommand's options.`;

export const SYSTEM_GC_USAGE = apiUsage(`Usage: drover system gc [options]

  Initializes a garbage collection of jobs and allocations: every stopped job,
  finished batch job and finished periodic or dispatched child, and the old
  allocations of jobs that live on, whatever their age (the agent otherwise
  collects them after server { job_gc_threshold } and eval_gc_threshold).
  If ACLs are enabled, this option requires a management token.
`);

/** Runs `drover system …`. */
export async function systemCommand(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'gc':
      return systemGcCommand(rest, io);
    case '-h':
    case '-help':
    case '--help':
      io.err(SYSTEM_USAGE);
      return 0;
    default:
      io.err(sub === undefined ? SYSTEM_USAGE : `Unknown command "system ${sub}"\n\n${SYSTEM_USAGE}`);
      return 1;
  }
}

export async function systemGcCommand(argv: readonly string[], io: Io): Promise<number> {
  return runCommandBody(io, SYSTEM_GC_USAGE, async () => {
    const ctx = commandContext(argv, {}, io, SYSTEM_GC_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length > 0) throw new CliError(`This command takes no arguments\n\n${SYSTEM_GC_USAGE}`);
    await call(ctx, 'Error running system garbage-collection', ctx.client.system.garbageCollect());
    return 0;
  });
}
