/** ExitResult ↔ its proto (the error text travels beside it, in WaitTaskResponse.err). */
import type { ExitResult } from '../../drivers/types.js';
import type * as pb from '../wire/driver.js';

/** drover → wire (err is not part of the message). */
export function exitResultToPb(r: ExitResult | undefined): pb.ExitResult {
  return { exit_code: r?.exitCode ?? 0, signal: r?.signal ?? 0, oom_killed: r?.oomKilled ?? false };
}

/** wire → drover, with the separately carried error text. */
export function exitResultFromPb(m: pb.ExitResult | undefined, err = ''): ExitResult {
  return {
    exitCode: m?.exit_code ?? 0,
    signal: m?.signal ?? 0,
    oomKilled: m?.oom_killed ?? false,
    ...(err !== '' ? { err } : {}),
  };
}
