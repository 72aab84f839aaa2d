export const ALLOC_USAGE = `Usage: drover alloc <subcommand> [options] [args]

Subcommands:
  status     Show an allocation's status and its tasks' recent events
  logs       Print or follow a task's stdout / stderr
  exec       Run a command inside a task
  signal     Send a signal to an allocation's tasks
  restart    Restart an allocation's tasks in place
  stop       Stop an allocation (a replacement is placed)

Run 'drover alloc <subcommand> -help' for a subcommand's options.`;
/** Runs `drover alloc …`. */
export async function allocCommand(argv, io) {
    const [sub, ...rest] = argv;
    switch (sub) {
        case 'status':
            return (await import('./alloc-status.js')).allocStatusCommand(rest, io);
        case 'logs':
            return (await import('./alloc-logs.js')).allocLogsCommand(rest, io);
        case 'exec':
            return (await import('./alloc-exec.js')).allocExecCommand(rest, io);
        case 'signal':
            return (await import('./alloc-ops.js')).allocSignalCommand(rest, io);
        case 'restart':
            return (await import('./alloc-ops.js')).allocRestartCommand(rest, io);
        case 'stop':
            return (await import('./alloc-ops.js')).allocStopCommand(rest, io);
        case '-h':
        case '-help':
        case '--help':
            io.err(ALLOC_USAGE);
            return 0;
        default:
            io.err(sub === undefined ? ALLOC_USAGE : `Unknown command "alloc ${sub}"\n\n${ALLOC_USAGE}`);
            return 1;
    }
}
//# sourceMappingURL=alloc.js.map