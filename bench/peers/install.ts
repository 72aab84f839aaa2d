/**
 * Getting the peers at bench time, never as project dependencies: PM2 from
 * npm into a temporary prefix; supervisord from Debian (apt-get, as root)
 * when it is not installed. A peer that cannot be had is skipped with the
 * reason, and the table says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './command.js';
import { findPids } from './proc.js';
import type { Pm2Install } from './pm2.js';
import type { SupervisordInstall } from './supervisord.js';

export type Installed<T> = { readonly ok: true; readonly install: T } | { readonly ok: false; readonly reason: string };

function packageVersion(file: string): string | undefined {
  const pkg: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string') return pkg.version;
  return undefined;
}

/** `npm install --prefix DIR pm2@SPEC` (SPEC: BENCH_PM2_VERSION, default "7", the latest 7.x). */
export async function installPm2(prefix: string): Promise<Installed<Pm2Install>> {
  const spec = process.env.BENCH_PM2_VERSION ?? '7';
  const pkg = join(prefix, 'node_modules', 'pm2', 'package.json');
  const r = existsSync(pkg) ? { code: 0, stdout: '', stderr: '' } : await runCommand(['npm', 'install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `pm2@${spec}`], {
    timeoutMs: 600_000,
  }).catch((err: Error) => ({ code: -1, stdout: '', stderr: err.message }));
  if (r.code !== 0 || !existsSync(pkg)) return { ok: false, reason: `npm install pm2@${spec} failed: ${(r.stdout + r.stderr).trim().slice(-500)}` };
  const version = packageVersion(pkg);
  if (!version) return { ok: false, reason: `no version in ${pkg}` };
  return { ok: true, install: { script: join(prefix, 'node_modules', 'pm2', 'bin', 'pm2'), version } };
}

async function which(cmd: string): Promise<string | undefined> {
  const r = await runCommand(['sh', '-c', `command -v ${cmd}`], { timeoutMs: 10_000 });
  const path = r.stdout.trim();
  return r.code === 0 && path !== '' ? path : undefined;
}

const isSupervisord = (argv: readonly string[]): boolean => argv.some((a) => /(^|\/)supervisord$/.test(a));

/** supervisord from PATH, or `apt-get install -y supervisor` when root on Debian. */
export async function installSupervisord(): Promise<Installed<SupervisordInstall>> {
  if (!(await which('supervisord')) && !process.env.BENCH_NO_APT) {
    if (process.getuid?.() !== 0) return { ok: false, reason: 'supervisord is not installed and installing it needs root (apt-get install supervisor)' };
    if (!(await which('apt-get'))) return { ok: false, reason: 'supervisord is not installed and there is no apt-get' };
    const before = new Set(findPids(isSupervisord));
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    let r = await runCommand(['apt-get', 'install', '-y', 'supervisor'], { env, timeoutMs: 600_000 });
    if (r.code !== 0) {
      await runCommand(['apt-get', 'update'], { env, timeoutMs: 600_000 });
      r = await runCommand(['apt-get', 'install', '-y', 'supervisor'], { env, timeoutMs: 600_000 });
    }
    if (r.code !== 0) return { ok: false, reason: `apt-get install supervisor failed: ${(r.stdout + r.stderr).trim().slice(-500)}` };
    // The package starts a system-wide supervisord where services may start; the bench leaves nothing running.
    for (const pid of findPids(isSupervisord)) {
      if (before.has(pid)) continue;
      console.log(`stopping the system supervisord (pid ${pid}) that apt-get install started`);
      process.kill(pid, 'SIGTERM');
    }
  }
  const supervisord = await which('supervisord');
  const supervisorctl = await which('supervisorctl');
  if (!supervisord || !supervisorctl) return { ok: false, reason: 'supervisord / supervisorctl not found on PATH' };
  const v = await runCommand([supervisord, '--version'], { timeoutMs: 30_000 });
  if (v.code !== 0) return { ok: false, reason: `supervisord --version failed: ${v.stderr.trim()}` };
  return { ok: true, install: { supervisord, supervisorctl, version: v.stdout.trim() } };
}
