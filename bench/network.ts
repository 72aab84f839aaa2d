/**
 * Bridge networking: set up and tear down a bridge-mode allocation network
 * (namespace + Nomad's CNI list through Debian's plugins) 50 times in a row,
 * reporting median and p99 of each. Root and /usr/lib/cni only; skipped with
 * the reason otherwise. The first setup (which creates the `nomad` bridge)
 * counts like the others.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AllocNetworks } from '../src/taskrunner/network/alloc-network.js';
import { percentile, type BenchResult } from './stats.js';

const ROUNDS = Number(process.env.BENCH_NETWORK_ROUNDS ?? 50);

/** One round of ROUNDS setup/teardown pairs. */
export async function benchNetwork(): Promise<BenchResult[]> {
  const why = unavailable();
  if (why !== undefined) {
    console.error(`network bench skipped: ${why}`);
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'drover-net-bench-'));
  const nets = new AllocNetworks({ recordDir: join(dir, 'records'), netns: { markerDir: join(dir, 'markers') } });
  const setup: number[] = [];
  const teardown: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const allocId = randomUUID();
      let t = performance.now();
      await nets.setup({ allocId, mode: 'bridge', ports: [{ label: 'http', value: 28000 + i, to: 8080 }] });
      setup.push(performance.now() - t);
      t = performance.now();
      await nets.teardown(allocId);
      teardown.push(performance.now() - t);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    { name: `bridge setup (${ROUNDS}×): median`, value: percentile(setup, 50), unit: 'ms' },
    { name: `bridge setup (${ROUNDS}×): p99`, value: percentile(setup, 99), unit: 'ms' },
    { name: `bridge teardown (${ROUNDS}×): median`, value: percentile(teardown, 50), unit: 'ms' },
    { name: `bridge teardown (${ROUNDS}×): p99`, value: percentile(teardown, 99), unit: 'ms' },
  ];
}

function unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  try {
    accessSync('/usr/lib/cni/bridge', constants.X_OK);
  } catch {
    return '/usr/lib/cni/bridge missing (Debian package containernetworking-plugins)';
  }
  return undefined;
}
