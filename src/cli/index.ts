/** Command dispatch for the `drover` binary. */
import { ValidationError, DroverError, formatProblem } from '../model/errors.js';
import { UsageError } from './flags.js';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';
import type { Io } from './io.js';

export const USAGE = `Usage: drover <command> [args]

Commands:
  run        Run a job in the foreground and print its task events
  validate   Check a job file without running it
  version    Print the version

Run 'drover <command> -help' for a command's options.`;

export async function cli(argv: readonly string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run':
        return await runCommand(rest, io);
      case 'validate':
        return await validateCommand(rest, io);
      case 'job':
        if (rest[0] === 'validate') return await validateCommand(rest.slice(1), io);
        if (rest[0] === 'run') return await runCommand(rest.slice(1), io);
        break;
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
      return 1;
    }
    if (err instanceof UsageError || err instanceof DroverError) {
      io.err(`Error: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
