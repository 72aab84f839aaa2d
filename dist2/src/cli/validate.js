/** `drover validate JOB.hcl` (also `drover job validate`): check a job file without running it. */
import { builtinDriverSchemas } from '../drivers/catalog.js';
import { parseFlags } from './flags.js';
import { JOB_FILE_FLAGS, loadJobFile } from './job-file.js';
import { printWarnings } from './io.js';
export const VALIDATE_USAGE = `Usage: drover validate [options] <job.hcl>

  Checks the job file's syntax, structure and driver config without running it.

Options:
  -var name=value     Set an HCL2 input variable (repeatable).
  -var-file FILE      Read input variables from FILE (repeatable).
`;
export async function validateCommand(argv, io) {
    const { values, positionals } = parseFlags(argv, { ...JOB_FILE_FLAGS, help: { type: 'boolean' } });
    if (values.help || positionals.length !== 1) {
        io.err(VALIDATE_USAGE);
        return values.help ? 0 : 1;
    }
    const { warnings } = await loadJobFile(positionals[0], values, builtinDriverSchemas);
    printWarnings(io, warnings);
    io.out('Job validation successful');
    return 0;
}
//# sourceMappingURL=validate.js.map