/**
 * `drover executor -data-dir DIR`: the executor daemon entry point. Kept
 * lean on purpose (see DESIGN.md): only the daemon's own modules load here.
 */
import { runDaemon } from './daemon/daemon.js';
const USAGE = 'Usage: drover executor -data-dir DIR [-state-dir DIR]\n';
/** Parses argv and runs the daemon until it is stopped. */
export async function executorMain(argv) {
    let dataDir;
    let stateDir;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const m = /^--?(data-dir|state-dir)(?:=(.*))?$/.exec(a);
        if (m) {
            const v = m[2] ?? argv[++i];
            if (m[1] === 'data-dir')
                dataDir = v;
            else
                stateDir = v;
        }
        else if (a === '-h' || a === '-help' || a === '--help') {
            process.stdout.write(USAGE);
            return 0;
        }
        else {
            process.stderr.write(`drover executor: unknown argument ${JSON.stringify(a)}\n${USAGE}`);
            return 1;
        }
    }
    if (!dataDir) {
        process.stderr.write(USAGE);
        return 1;
    }
    return runDaemon(dataDir, stateDir);
}
//# sourceMappingURL=main.js.map