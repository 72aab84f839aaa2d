import { displayMessage } from '../model/task-event.js';
/** RFC 3339 with the local offset, as Nomad prints event times. */
export function formatTime(ms) {
    const d = new Date(ms);
    const off = -d.getTimezoneOffset();
    const pad = (n, w = 2) => String(Math.abs(n)).padStart(w, '0');
    const tz = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}${tz}`;
}
export function tablePrinter(out) {
    let headed = false;
    const widths = { time: 29, alloc: 8, task: 12, type: 18 };
    return {
        print(alloc, task, event) {
            widths.task = Math.max(widths.task, task.length);
            if (!headed) {
                headed = true;
                out(row(['Time', 'Alloc', 'Task', 'Type', 'Description']));
            }
            out(row([formatTime(event.time), alloc.id.slice(0, 8), task, event.type, displayMessage(event)]));
        },
    };
    function row(cols) {
        const [time, alloc, task, type, desc] = cols;
        return `${time.padEnd(widths.time)}  ${alloc.padEnd(widths.alloc)}  ${task.padEnd(widths.task)}  ${type.padEnd(widths.type)}  ${desc}`;
    }
}
/** One JSON object per event: Nomad's TaskEvent names plus where it happened. */
export function jsonPrinter(out) {
    return {
        print(alloc, task, event) {
            const { type, time, ...details } = event;
            out(JSON.stringify({
                AllocID: alloc.id,
                AllocName: alloc.name,
                Task: task,
                Type: type,
                Time: time * 1_000_000,
                DisplayMessage: displayMessage(event),
                Details: Object.fromEntries(Object.entries(details).map(([k, v]) => detail(k, v))),
            }));
        },
    };
}
/** Nomad's Details map: snake_case keys, string values, durations in nanoseconds. */
function detail(k, v) {
    const key = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (key.endsWith('_ms') && typeof v === 'number')
        return [key.slice(0, -3), String(Math.round(v * 1e6))];
    return [key, String(v)];
}
//# sourceMappingURL=event-printer.js.map