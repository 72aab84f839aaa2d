/** The peers table: one row per figure, median and [min–max] per peer, and issue 10's target. */
import type { Figures } from './scenarios.js';
import type { PeerName } from './peer.js';

/** One scenario run of one peer in one round. */
export interface RunRecord {
  readonly round: number;
  readonly scenario: string;
  readonly peer: PeerName;
  /** Position of the peer within this round's rotation (0 = first). */
  readonly order: number;
  readonly startedAt: string;
  readonly figures: Figures;
  readonly error?: string;
  /** Processes the cleanup still found and killed (should be empty). */
  readonly leftovers: readonly string[];
}

export interface Row {
  readonly label: string;
  readonly scenario: string;
  readonly key: string;
  readonly unit: string;
  readonly target: string;
}

export const ROWS: readonly Row[] = [
  { label: 'start 10 `sleep` tasks, until all run', scenario: 'start-10', key: 'allRunningMs', unit: 'ms', target: '≤ 150 ms' },
  { label: 'start 100', scenario: 'start-100', key: 'allRunningMs', unit: 'ms', target: '≤ 400 ms' },
  { label: 'start 300', scenario: 'start-300', key: 'allRunningMs', unit: 'ms', target: '≤ 1,200 ms' },
  { label: 'start command alone, 10 tasks', scenario: 'start-10', key: 'commandMs', unit: 'ms', target: '≤ 150 ms' },
  { label: 'manager memory idle, RSS', scenario: 'start-300', key: 'idleRssMiB', unit: 'MiB', target: '≤ 70 MiB' },
  { label: 'manager memory idle, PSS', scenario: 'start-300', key: 'idlePssMiB', unit: 'MiB', target: '≤ 50 MiB' },
  { label: 'memory per extra task (at 300), RSS', scenario: 'start-300', key: 'perTaskRssKiB', unit: 'KiB', target: '≤ 50 KiB' },
  { label: 'memory per extra task (at 300), PSS', scenario: 'start-300', key: 'perTaskPssKiB', unit: 'KiB', target: '≤ 50 KiB' },
  { label: 'manager CPU while the 300 tasks sit idle (10 s)', scenario: 'start-300', key: 'busyIdleCpuPercent', unit: '%', target: '—' },
  { label: 'crash → restart, delay 0: one cycle', scenario: 'restart', key: 'cycleMs', unit: 'ms', target: '≤ 2.5 ms' },
  { label: 'crash → restart: restarts per second', scenario: 'restart', key: 'restartsPerSec', unit: '/s', target: '≥ 400/s' },
  { label: 'stop all 100, until all are gone', scenario: 'start-100', key: 'stopMs', unit: 'ms', target: '≤ 120 ms' },
  { label: '256 MiB to stdout, until all of it is in the log files', scenario: 'logs', key: 'mibPerSec', unit: 'MiB/s', target: '≥ 550 MiB/s' },
  { label: '… lines lost', scenario: 'logs', key: 'lostLines', unit: '', target: '0' },
  { label: '… manager peak RSS meanwhile', scenario: 'logs', key: 'peakRssMiB', unit: 'MiB', target: '≤ 60 MiB' },
];

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const hi = s[mid] ?? NaN;
  return s.length % 2 === 1 ? hi : ((s[mid - 1] ?? NaN) + hi) / 2;
}

/** Three significant-ish digits: 1,064 / 57.3 / 4.21; counts stay whole. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
  const digits = abs >= 100 || Number.isInteger(x) ? 0 : abs >= 10 ? 1 : 2;
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export interface Summary {
  readonly row: Row;
  readonly cells: Partial<Record<PeerName, { median: number; min: number; max: number; n: number; failed: number } | { skipped: string }>>;
}

/** Figures per row; `peers` are the table's columns, `skipped` says why some of them have none. */
export function summarise(runs: readonly RunRecord[], peers: readonly PeerName[], skipped: Partial<Record<PeerName, string>>): Summary[] {
  return ROWS.map((row) => {
    const cells: Summary['cells'] = {};
    for (const p of peers) {
      const reason = skipped[p];
      if (reason !== undefined) {
        cells[p] = { skipped: reason };
        continue;
      }
      const mine = runs.filter((r) => r.peer === p && r.scenario === row.scenario);
      const vals = mine.map((r) => r.figures[row.key]).filter((v): v is number => v !== undefined && Number.isFinite(v));
      cells[p] = { median: median(vals), min: Math.min(...vals), max: Math.max(...vals), n: vals.length, failed: mine.filter((r) => r.error !== undefined).length };
    }
    return { row, cells };
  });
}

function cellText(row: Row, cell: Summary['cells'][PeerName]): string {
  if (cell === undefined) return '';
  if ('skipped' in cell) return 'skipped';
  if (cell.n === 0) return cell.failed > 0 ? `failed (${cell.failed})` : '—';
  const unit = row.unit === '' ? '' : row.unit.startsWith('/') ? row.unit : ` ${row.unit}`;
  const range = cell.n > 1 ? ` [${fmt(cell.min)}–${fmt(cell.max)}]` : '';
  const failed = cell.failed > 0 ? ` (${cell.failed} failed)` : '';
  return `${fmt(cell.median)}${unit}${range}${failed}`;
}

/** A markdown table (also what the console prints). */
export function table(summary: readonly Summary[], columns: readonly { peer: PeerName; label: string }[]): string {
  const head = `| figure | ${columns.map((c) => c.label).join(' | ')} | target |`;
  const sep = `|---|${columns.map(() => '---|').join('')}---|`;
  const lines = summary.map((s) => `| ${s.row.label} | ${columns.map((c) => cellText(s.row, s.cells[c.peer])).join(' | ')} | ${s.row.target} |`);
  return [head, sep, ...lines].join('\n');
}
