/**
 * Kernel modules for the test guest's initramfs, with their dependencies in
 * load order. A Debian kernel package ships no modules.dep (depmod makes it
 * at install time), so dependencies are read from each module's own
 * "depends=" modinfo string.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** What the guest needs: ACPI power button events, CD-ROM + ISO 9660 (the seed), virtio disks and network, 9p over virtio (shared dirs). */
export const GUEST_MODULES = ['button', 'evdev', 'ata_piix', 'ahci', 'sr_mod', 'isofs', 'virtio_pci', 'virtio_blk', 'virtio_net', '9pnet_virtio', '9p'] as const;

/** Finds every *.ko under `dir`, by module name (file name without .ko). */
export function indexModules(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ko')) out.set(e.name.slice(0, -3), p);
    }
  };
  walk(dir);
  return out;
}

/** Names of the modules compiled into the kernel (its modules.builtin list). */
export function builtinModules(modulesBuiltin: string): Set<string> {
  const out = new Set<string>();
  for (const line of modulesBuiltin.split('\n')) {
    const m = /([^/]+)\.ko$/.exec(line.trim());
    if (m?.[1]) out.add(m[1]);
  }
  return out;
}

/** The module names in a .ko's "depends=a,b" modinfo string. */
export function moduleDepends(ko: Buffer): string[] {
  const at = ko.indexOf('\0depends=');
  if (at < 0) return [];
  const start = at + '\0depends='.length;
  const end = ko.indexOf(0, start);
  const list = ko.subarray(start, end < 0 ? undefined : end).toString('latin1');
  return list === '' ? [] : list.split(',');
}

/**
 * `wanted` plus everything they depend on, dependencies first. Names use
 * the file spelling; modinfo may say crc-t10dif or crc_t10dif for the same
 * file, so both are tried. Throws for a module the kernel does not have.
 */
export function resolveModules(
  wanted: readonly string[],
  index: ReadonlyMap<string, string>,
  builtin: ReadonlySet<string> = new Set(),
): Array<{ name: string; path: string }> {
  const out: Array<{ name: string; path: string }> = [];
  const done = new Set<string>();
  const visit = (name: string, chain: string[]): void => {
    const spellings = [name, name.replace(/_/g, '-'), name.replace(/-/g, '_')];
    if (spellings.some((n) => builtin.has(n))) return; // compiled into the kernel
    const key = spellings.find((n) => index.has(n));
    if (key === undefined) throw new Error(`kernel module ${name} not found (needed by ${chain.join(' → ') || 'the guest'})`);
    if (done.has(key)) return;
    done.add(key);
    const path = index.get(key) as string;
    for (const dep of moduleDepends(readFileSync(path))) visit(dep, [...chain, key]);
    out.push({ name: key, path });
  };
  for (const w of wanted) visit(w, []);
  return out;
}
