/** The agent's logger: Nomad-style lines on stderr ("2024-01-02T03:04:05.000Z [INFO]  agent.alloc_runner: message: key=value"). */
import { sinkLogger } from '../model/logger.js';
const ORDER = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };
/** A logger writing at or above `level` to `write` (stderr by default); `named()` extends the "agent" module. */
export function stderrLogger(level = 'info', write = (l) => void process.stderr.write(l)) {
    return sinkLogger((r) => {
        if (ORDER[r.level] < ORDER[level])
            return;
        const kv = formatFields(r.fields);
        write(`${new Date().toISOString()} [${r.level.toUpperCase()}]${r.level.length === 4 ? ' ' : ''} ${r.module}: ${r.message}${kv ? `: ${kv}` : ''}\n`);
    }, 'agent');
}
function formatFields(fields) {
    return Object.entries(fields)
        .map(([k, v]) => {
        const text = v instanceof Error ? v.message : v;
        return `${k}=${typeof text === 'string' ? (/\s/.test(text) ? JSON.stringify(text) : text) : JSON.stringify(text)}`;
    })
        .join(' ');
}
/** Whether `s` names a level. */
export function isLogLevel(s) {
    return s in ORDER;
}
//# sourceMappingURL=logger.js.map