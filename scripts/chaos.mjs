// `npm run chaos`: the reliability campaign's long form (issue 16). Runs every
// dist/src/chaos test with DROVER_CHAOS=long, one file at a time so the faults
// do not share the machine, collects each scenario's row and prints the table
// (also written to bench/results/<date>-chaos.md). `npm run chaos -- agent`
// runs the files whose path contains "agent".
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';

const dir = 'dist/src/chaos';
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.js'))
  .map((f) => join(dir, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no chaos scenarios under ${dir} match ${filters.join(' ') || '(all)'} (run \`npm run build\` first)`);
  process.exit(1);
}
const reportFile = join(tmpdir(), `drover-chaos-${process.pid}.jsonl`);
rmSync(reportFile, { force: true });
let failed = 0;
for (const f of files) {
  console.log(`\n== ${f}`);
  const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--enable-source-maps', f], {
    stdio: 'inherit',
    env: { ...process.env, DROVER_CHAOS: 'long', DROVER_CHAOS_REPORT: reportFile },
  });
  if (r.status !== 0) failed++;
}
const rows = existsSync(reportFile) ? readFileSync(reportFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const cell = (s) => String(s).replace(/\|/g, '\\|');
const lines = [
  '| Scenario | Runs | Checked | Result | Figures |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${cell(r.scenario)} | ${r.runs} | ${cell(r.checked)} | ${cell(r.result)} | ${cell(Object.entries(r.figures ?? {}).map(([k, v]) => `${k} ${v}`).join(', '))} |`),
];
const table = lines.join('\n');
console.log(`\n${table}`);
mkdirSync('bench/results', { recursive: true });
const out = join('bench/results', `${new Date().toISOString().slice(0, 10)}-chaos.md`);
writeFileSync(out, `# npm run chaos, ${new Date().toISOString()}\n\n${table}\n`);
console.log(`\n(written to ${out}; ${failed} file(s) failed)`);
rmSync(reportFile, { force: true });
process.exit(failed === 0 ? 0 : 1);
