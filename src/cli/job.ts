/** `drover job <subcommand>`: dispatch, each subcommand loaded on use. */
import type { Io } from './io.js';

export const JOB_USAGE = `Usage: drover job <subcommand> [options] [args]

Subcommands:
  run        Submit a job file to the agent
  status     List jobs, or show one job's status and allocations
  allocs     List a job's allocations
  stop       Stop a running job (-purge removes it)
  inspect    Print a registered job as JSON
  history    List a job's versions
  validate   Check a job file without running it
  dispatch   Dispatch an instance of a parameterized job
  periodic   Interact with periodic jobs (force)
  scale      Change the count of a job group
  scaling-events  Display the most recent scaling events for a job

Run 'drover job <subcommand> -help' for a subcommand's options.`;

/** Runs `drover job …`. */
export async function jobCommand(argv: readonly string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'run':
      return (await import('./job-run.js')).jobRunCommand(rest, io);
    case 'status':
      return (await import('./job-status.js')).jobStatusCommand(rest, io);
    case 'allocs':
      return (await import('./job-allocs.js')).jobAllocsCommand(rest, io);
    case 'stop':
      return (await import('./job-stop.js')).jobStopCommand(rest, io);
    case 'inspect':
      return (await import('./job-inspect.js')).jobInspectCommand(rest, io);
    case 'history':
      return (await import('./job-inspect.js')).jobHistoryCommand(rest, io);
    case 'dispatch':
      return (await import('./job-dispatch.js')).jobDispatchCommand(rest, io);
    case 'periodic':
      return (await import('./job-periodic.js')).jobPeriodicCommand(rest, io);
    case 'scale':
      return (await import('./job-scale.js')).jobScaleCommand(rest, io);
    case 'scaling-events':
      return (await import('./job-scaling-events.js')).jobScalingEventsCommand(rest, io);
    case 'validate':
      return (await import('./validate.js')).validateCommand(rest, io);
    case '-h':
    case '-help':
    case '--help':
      io.err(JOB_USAGE);
      return 0;
    default:
      io.err(sub === undefined ? JOB_USAGE : `Unknown command "job ${sub}"\n\n${JOB_USAGE}`);
      return 1;
  }
}
