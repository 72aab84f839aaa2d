/** The agent's logger: Nomad-style lines on stderr ("2024-01-02T03:04:05.000Z [INFO]  agent: message: key=value"). */
import type { Logger } from '../drivers/types.js';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/** A logger writing at or above `level` to `write` (stderr by default). */
export function stderrLogger(level: LogLevel = 'info', write: (line: string) => void = (l) => void process.stderr.write(l)): Logger {
  const log = (lvl: LogLevel) => (msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[lvl] < ORDER[level]) return;
    const kv = Object.entries(fields ?? {})
      .map(([k, v]) => `${k}=${typeof v === 'string' ? (/\s/.test(v) ? JSON.stringify(v) : v) : JSON.stringify(v)}`)
      .join(' ');
    write(`${new Date().toISOString()} [${lvl.toUpperCase()}]${lvl.length === 4 ? ' ' : ''} agent: ${msg}${kv ? `: ${kv}` : ''}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** Whether `s` names a level. */
export function isLogLevel(s: string): s is LogLevel {
  return s in ORDER;
}
