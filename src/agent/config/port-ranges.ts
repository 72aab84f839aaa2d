/**
 * Nomad's port range syntax (structs.ParsePortRanges), as `client { reserved
 * { reserved_ports = "22,80,8500-8600" } }` writes it: a comma-separated list
 * of ports and inclusive ranges.
 */

/** The largest port number plus one (Nomad's structs.MaxValidPort). */
export const MAX_VALID_PORT = 65536;

/** Parses "22,80,8500-8600" into its ports (duplicates dropped, sorted); throws an Error saying what is wrong. */
export function parsePortRanges(spec: string): number[] {
  if (spec.trim() === '') return [];
  const ports = new Set<number>();
  for (const raw of spec.split(',')) {
    const part = raw.trim();
    const bounds = part.split('-');
    if (bounds.length > 2) throw new Error(`"${part}": can only parse single port numbers or port ranges (ex. 80,100-120,150)`);
    if (bounds.some((b) => b.trim() === '')) throw new Error(`"${part}": can't specify empty port`);
    const [start, end = start] = bounds.map((b) => portNumber(b.trim(), part));
    if ((end as number) < (start as number)) throw new Error(`"${part}": invalid range: ending value (${end}) less than starting (${start}) value`);
    for (let p = start as number; p <= (end as number); p++) ports.add(p);
  }
  return [...ports].sort((a, b) => a - b);
}

function portNumber(text: string, part: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`"${part}": "${text}" is not a port number`);
  const n = Number(text);
  if (n === 0) throw new Error(`"${part}": port must be > 0`);
  if (n >= MAX_VALID_PORT) throw new Error(`"${part}": port must be < ${MAX_VALID_PORT} but found ${n}`);
  return n;
}
