/** Task cgroups as the daemon records them, and the raw numbers read from them. */
const MiB = 1024 * 1024;
/**
 * Nomad's memoryLimits: memory_max is the hard limit and memory the soft one
 * when memory_max is set; otherwise memory is the hard limit. Bytes; 0 = none.
 */
export function memoryLimits(l) {
    if (l.memoryMaxMb > 0)
        return { hard: l.memoryMaxMb * MiB, soft: l.memoryMb > 0 && l.memoryMb < l.memoryMaxMb ? l.memoryMb * MiB : 0 };
    return { hard: Math.max(0, l.memoryMb) * MiB, soft: 0 };
}
/** Parses "key value" lines (memory.stat, cpu.stat, memory.events, ...). */
export function parseKeyValues(text) {
    const out = new Map();
    for (const line of text.split('\n')) {
        const sp = line.indexOf(' ');
        if (sp > 0)
            out.set(line.slice(0, sp), Number(line.slice(sp + 1)));
    }
    return out;
}
//# sourceMappingURL=types.js.map