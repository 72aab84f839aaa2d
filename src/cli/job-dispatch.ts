/**
 * `drover job dispatch [-meta k=v]… [-idempotency-token T] JOB [INPUT|-]`
 * (Nomad's `nomad job dispatch`): creates a child of a parameterized job with
 * meta and a payload read from a file or stdin ("-").
 */
import { readFileSync } from 'node:fs';
import { apiUsage, call, CliError, commandContext, runCommandBody } from './common.js';
import { findJobId } from './lookup.js';
import { formatKV, limit, SHORT_ID } from './tables.js';
import type { Io } from './io.js';

export const JOB_DISPATCH_USAGE = apiUsage(`Usage: drover job dispatch [options] <parameterized job> [input source]

  Dispatches an instance of a parameterized job. The payload is read from the
  input source, a file, or stdin when it is "-"; it may be at most 16 KiB.

Dispatch Options:
  -meta <key>=<value>    Dispatch metadata (repeatable); the job's meta_required and meta_optional say which keys it takes.
  -idempotency-token     A token: a dispatch with a token already used returns the job created then.
  -id-prefix-template    Put this before the time in the dispatched job's ID: <job>/dispatch-<template>-<time>-<id>.
  -detach                Accepted for Nomad compatibility (there is no evaluation to monitor).
  -verbose               Full evaluation id.
`);

export async function jobDispatchCommand(argv: readonly string[], io: Io): Promise<number> {
  const spec = { meta: { type: 'string', multiple: true }, 'idempotency-token': { type: 'string' }, 'id-prefix-template': { type: 'string' }, detach: { type: 'boolean' }, verbose: { type: 'boolean' } } as const;
  return runCommandBody(io, JOB_DISPATCH_USAGE, async () => {
    const ctx = commandContext(argv, spec, io, JOB_DISPATCH_USAGE);
    if (!ctx) return 0;
    if (ctx.args.length < 1 || ctx.args.length > 2) throw new CliError(`This command takes one or two arguments: <parameterized job> [input source]\n\n${JOB_DISPATCH_USAGE}`);
    const meta: Record<string, string> = {};
    for (const kv of (ctx.values.meta as string[] | undefined) ?? []) {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new CliError(`Error parsing meta value: ${JSON.stringify(kv)} (expected key=value)`);
      meta[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    const source = ctx.args[1];
    let payload: Uint8Array = new Uint8Array();
    if (source !== undefined) {
      try {
        payload = readFileSync(source === '-' ? 0 : source);
      } catch (err) {
        throw new CliError(`Error reading input data: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const prefix = (ctx.args[0] as string).trim();
    // Only parents are candidates (Nomad's filter), so "report" is not ambiguous with its own children.
    const id = await findJobId(ctx, prefix, { filter: (j) => j.ParentID === '' && j.ParameterizedJob, none: `No parameterized job(s) with prefix or ID ${JSON.stringify(prefix)} found` });
    const token = ctx.values['idempotency-token'] as string | undefined;
    const idPrefixTemplate = ctx.values['id-prefix-template'] as string | undefined;
    const resp = await call(ctx, 'Failed to dispatch job', ctx.client.jobs.dispatch(id, { meta, payload, ...(token ? { idempotencyToken: token } : {}), ...(idPrefixTemplate ? { idPrefixTemplate } : {}) }));
    // No evaluation when the child is itself periodic (or the token returned an earlier child): Nomad prints none then.
    const evalLine: Array<[string, string]> = resp.EvalID ? [['Evaluation ID', ctx.values.verbose ? resp.EvalID : limit(resp.EvalID, SHORT_ID)]] : [];
    io.out(formatKV([['Dispatched Job ID', resp.DispatchedJobID], ...evalLine]));
    return 0;
  });
}
