/**
 * The reliability campaign's two forms (issue 16). `make test` runs every
 * scenario in its short form (seconds each); `npm run chaos` sets
 * DROVER_CHAOS=long and runs the same scenarios for minutes. A scenario asks
 * `budget(short, long)` for its size, and reports what it did with `report`:
 * one line on the test output always, and one JSON row in the file named by
 * DROVER_CHAOS_REPORT when `npm run chaos` collects the table.
 */
import { appendFileSync } from 'node:fs';

/** True under `npm run chaos` (DROVER_CHAOS=long). */
export const LONG = process.env['DROVER_CHAOS'] === 'long';

/** `short` in `make test`, `long` under `npm run chaos`. */
export function budget<T>(short: T, long: T): T {
  return LONG ? long : short;
}

export interface ScenarioReport {
  /** Short name, e.g. "agent SIGKILL under 50 writers". */
  readonly scenario: string;
  /** How many times the fault was injected / inputs tried / requests made. */
  readonly runs: number;
  /** What was checked, one sentence. */
  readonly checked: string;
  /** "pass", or what failed. */
  readonly result: string;
  /** Measured figures worth a table column, e.g. { 'p99 ms': 12.3 }. */
  readonly figures?: Readonly<Record<string, number | string>>;
}

/** Prints the scenario's row as a TAP diagnostic and appends it to the campaign report, if one is collected. */
export function report(r: ScenarioReport): void {
  const figures = r.figures === undefined ? '' : ` ${Object.entries(r.figures).map(([k, v]) => `${k}=${v}`).join(' ')}`;
  process.stdout.write(`# chaos: ${r.scenario}: ${r.runs} runs, ${r.result}${figures}\n`);
  const file = process.env['DROVER_CHAOS_REPORT'];
  if (file !== undefined && file !== '') appendFileSync(file, `${JSON.stringify({ ...r, form: LONG ? 'long' : 'short' })}\n`);
}
