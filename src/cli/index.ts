/** Command dispatch for the `drover` binary. */
import { ValidationError, DroverError, ERROR_CODES, formatProblem } from '../model/errors.js';
import type { Io } from './io.js';

export const USAGE = `Usage: drover <command> [args]

Commands:
  run        Run a job in the foreground and print its task events
  agent      Run a long-lived agent with state and the HTTP API
  job        Submit, inspect and stop jobs on an agent (job run|status|stop|inspect|history|validate)
  alloc      Inspect and act on allocations (alloc status|logs|exec|signal|restart|stop)
  node       Show the agent's node and its drivers (node status)
  service    List, inspect and delete native service registrations (service list|info|delete)
  var        Read and write Nomad Variables (var put|get|list|purge|lock)
  eval       Show the scheduler's evaluations and placement failures (eval status|list)
  system     Run the system garbage collection process (system gc)
  acl        ACL bootstrap (acl bootstrap)
  validate   Check a job file without running it
  version    Print the version

Commands that talk to an agent take -address (or $DROVER_ADDR / $NOMAD_ADDR)
and -token (or $DROVER_TOKEN / $NOMAD_TOKEN).

Run 'drover <command> -help' for a command's options.`;

export async function cli(argv: readonly string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run':
        return await (await import('./run.js')).runCommand(rest, io);
      case 'validate':
        return await (await import('./validate.js')).validateCommand(rest, io);
      case 'agent':
        // Loaded lazily: the agent pulls in Fastify and SQLite, which other commands never need.
        return await (await import('./agent.js')).agentCommand(rest, io);
      case 'acl':
        return await (await import('./acl.js')).aclCommand(rest, io);
      case 'plugin':
        return await (await import('./plugin.js')).pluginCommand(rest, io);
      // Loaded lazily like agent: API commands need neither the task runner nor the HCL parser up front.
      case 'job':
        return await (await import('./job.js')).jobCommand(rest, io);
      case 'alloc':
        return await (await import('./alloc.js')).allocCommand(rest, io);
      case 'node':
        return await (await import('./node.js')).nodeCommand(rest, io);
      case 'service':
        return await (await import('./service.js')).serviceCommand(rest, io);
      case 'var':
        return await (await import('./var.js')).varCommand(rest, io);
      case 'system':
        return await (await import('./system.js')).systemCommand(rest, io);
      case 'eval':
        return await (await import('./eval.js')).evalCommand(rest, io);
      case 'version':
      case '-version':
      case '--version':
        io.out('drover v0.1.0');
        return 0;
      case undefined:
      case '-h':
      case '-help':
      case '--help':
      case 'help':
        io.err(USAGE);
        return cmd === undefined ? 1 : 0;
    }
    io.err(`Unknown command ${JSON.stringify(argv.join(' '))}\n\n${USAGE}`);
    return 1;
  } catch (err) {
    if (err instanceof ValidationError) {
      io.err('Job validation errors:');
      io.err(err.problems.length === 1 ? '1 error occurred:' : `${err.problems.length} errors occurred:`);
      for (const p of err.problems) io.err(`\t* ${formatProblem(p)}`);
      return ERROR_CODES[err.code].exit;
    }
    if (err instanceof DroverError) {
      io.err(`Error: ${err.message}`);
      return ERROR_CODES[err.code].exit;
    }
    throw err;
  }
}
