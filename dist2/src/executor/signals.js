/** Signal names as Nomad writes them ("SIGHUP") ↔ numbers. */
import { constants } from 'node:os';
const BY_NAME = constants.signals;
/** The number of a signal given as "SIGHUP", "HUP" or "1"; undefined when unknown. */
export function signalNumber(name) {
    const s = name.trim().toUpperCase();
    if (/^\d+$/.test(s)) {
        const n = Number(s);
        return n > 0 && n < 65 ? n : undefined;
    }
    return BY_NAME[s.startsWith('SIG') ? s : `SIG${s}`];
}
/** "SIGTERM" for 15; undefined when unknown. */
export function signalName(num) {
    for (const [name, n] of Object.entries(BY_NAME))
        if (n === num)
            return name;
    return undefined;
}
//# sourceMappingURL=signals.js.map