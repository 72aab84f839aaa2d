/**
 * The fallback when a CNI DEL could not remove an allocation's iptables
 * state, usually because its namespace vanished first (the bridge plugin
 * learns the addresses to un-masquerade from the interface inside it).
 * Nomad's forceCleanup (client/allocrunner/networking_cni.go) removes the
 * nat POSTROUTING jump commented `name: "nomad" id: "<alloc id>"` and its
 * CNI-… chain; this does the same for every rule the bridge and portmap
 * plugins comment with the id (in any chain, nat and filter), flushes and
 * deletes the CNI-… chains they jump to, and drops the firewall plugin's
 * CNI-FORWARD accepts for the allocation's address when it is known.
 */
import { ipt, iptablesSave } from './iptables.js';

/** What the sweep removed (for the log). */
export interface SweepReport {
  readonly rules: number;
  readonly chains: string[];
}

/** Removes iptables rules naming `containerId` (and, given `address`, the firewall's rules for it). */
export async function sweepIptables(containerId: string, address: string | undefined, iptables = 'iptables'): Promise<SweepReport> {
  const idMark = `id: "${containerId}"`;
  const ipMark = address === undefined ? undefined : `${address}/32`;
  let rules = 0;
  const chains = new Set<string>();
  for (const table of ['nat', 'filter'] as const) {
    const saved = await iptablesSave(iptables, table);
    for (const line of saved.split('\n')) {
      if (!line.startsWith('-A ')) continue;
      const args = splitRule(line);
      const mentionsId = args.some((a) => a.includes(idMark));
      const firewallRule = ipMark !== undefined && args[1] === 'CNI-FORWARD' && (argAfter(args, '-d') === ipMark || argAfter(args, '-s') === ipMark);
      if (!mentionsId && !firewallRule) continue;
      const target = argAfter(args, '-j');
      if (mentionsId && target !== undefined && /^CNI-/.test(target) && !['CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-SETMARK', 'CNI-HOSTPORT-MASQ', 'CNI-FORWARD', 'CNI-ADMIN'].includes(target)) {
        chains.add(`${table}\t${target}`);
      }
      if ((await ipt(iptables, ['-t', table, '-D', ...args.slice(1)])).code === 0) rules++;
    }
  }
  for (const key of chains) {
    const [table, chain] = key.split('\t') as [string, string];
    await ipt(iptables, ['-t', table, '-F', chain]);
    await ipt(iptables, ['-t', table, '-X', chain]);
  }
  return { rules, chains: [...chains].map((k) => k.replace('\t', ' ')) };
}

function argAfter(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Splits an iptables-save rule line into arguments ("…" quoting with \" and \\ escapes). */
export function splitRule(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inToken = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '\\' && i + 1 < line.length) cur += line[++i] as string;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') {
      quoted = true;
      inToken = true;
    } else if (c === ' ' || c === '\t') {
      if (inToken) out.push(cur);
      cur = '';
      inToken = false;
    } else {
      cur += c;
      inToken = true;
    }
  }
  if (inToken) out.push(cur);
  return out;
}
