/**
 * Reads and parses a job file with the -var / -var-file flags, as
 * `nomad job run` and `nomad job validate` do.
 */
import { readFile } from 'node:fs/promises';
import type { ParsedJob } from '../jobspec/index.js';
import type { DriverSchemas } from '../model/driver-schemas.js';
import { UsageError } from './flags.js';

export const JOB_FILE_FLAGS = {
  var: { type: 'string', multiple: true },
  'var-file': { type: 'string', multiple: true },
} as const;

export async function loadJobFile(
  file: string,
  flags: { var?: string[]; 'var-file'?: string[] },
  /** Absent: driver and config {} are left to the agent. */
  drivers?: DriverSchemas,
): Promise<ParsedJob> {
  return parseJobInputs(file, await readJobFileInputs(file, flags), drivers);
}

/** The NOMAD_VAR_* variables of this shell: HCL input variables, sent to the agent that parses the file. */
export function nomadVarEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('NOMAD_VAR_') && e[1] !== undefined));
}

/** What parsing a job file takes from this shell: the file, -var values and -var-file contents. */
export interface JobFileInputs {
  readonly source: string;
  readonly vars: Record<string, string>;
  readonly varFiles: { file: string; source: string }[];
}

/** Reads the job file and -var-file files and splits the -var flags; bad flags and unreadable files are usage errors. */
export async function readJobFileInputs(file: string, flags: { var?: string[]; 'var-file'?: string[] }): Promise<JobFileInputs> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Error reading job file ${JSON.stringify(file)}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const vars: Record<string, string> = {};
  for (const kv of flags.var ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`-var ${JSON.stringify(kv)}: expected name=value`);
    vars[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const varFiles = await Promise.all(
    (flags['var-file'] ?? []).map(async (f) => {
      try {
        return { file: f, source: await readFile(f, 'utf8') };
      } catch (err) {
        throw new UsageError(`Error reading var file ${JSON.stringify(f)}: ${(err as Error).message}`);
      }
    }),
  );
  return { source, vars, varFiles };
}

/** Parses in this process (loads the HCL parser); NOMAD_VAR_* come from this process's environment. */
export async function parseJobInputs(file: string, { source, vars, varFiles }: JobFileInputs, drivers?: DriverSchemas): Promise<ParsedJob> {
  // Loaded here: `job run` normally has the agent parse, and the job spec front end is ~40 modules.
  const { parseJob } = await import('../jobspec/index.js');
  return parseJob(source, { file, vars, varFileContents: varFiles, env: process.env, ...(drivers ? { drivers } : {}) });
}
