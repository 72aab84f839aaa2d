/**
 * Reads and parses a job file with the -var / -var-file flags, as
 * `nomad job run` and `nomad job validate` do.
 */
import { readFile } from 'node:fs/promises';
import { parseJob } from '../jobspec/index.js';
import { UsageError } from './flags.js';
export const JOB_FILE_FLAGS = {
    var: { type: 'string', multiple: true },
    'var-file': { type: 'string', multiple: true },
};
export async function loadJobFile(file, flags, 
/** Absent: driver and config {} are left to the agent (`drover job run`). */
drivers) {
    let source;
    try {
        source = await readFile(file, 'utf8');
    }
    catch (err) {
        throw new UsageError(`Error reading job file ${JSON.stringify(file)}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    }
    const vars = {};
    for (const kv of flags.var ?? []) {
        const eq = kv.indexOf('=');
        if (eq <= 0)
            throw new UsageError(`-var ${JSON.stringify(kv)}: expected name=value`);
        vars[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    const varFileContents = await Promise.all((flags['var-file'] ?? []).map(async (f) => {
        try {
            return { file: f, source: await readFile(f, 'utf8') };
        }
        catch (err) {
            throw new UsageError(`Error reading var file ${JSON.stringify(f)}: ${err.message}`);
        }
    }));
    return parseJob(source, {
        file,
        vars,
        varFileContents,
        env: process.env,
        ...(drivers ? { drivers } : {}),
    });
}
//# sourceMappingURL=job-file.js.map