import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinModules, indexModules, moduleDepends, resolveModules } from './modules.js';
/** A fake .ko: only its modinfo strings matter here. */
function ko(depends) {
    return Buffer.concat([Buffer.from('\x7fELF....'), Buffer.from(`\0license=GPL\0depends=${depends}\0vermagic=6.1\0`)]);
}
test('moduleDepends reads the modinfo depends= list', () => {
    assert.deepEqual(moduleDepends(ko('libata,scsi_mod')), ['libata', 'scsi_mod']);
    assert.deepEqual(moduleDepends(ko('')), []);
    assert.deepEqual(moduleDepends(Buffer.from('no modinfo')), []);
});
test('resolveModules orders dependencies first, once each, skipping built-ins and matching - and _ spellings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ko-'));
    try {
        const files = { ata_piix: 'libata', libata: 'scsi_mod,scsi_common', scsi_mod: 'scsi_common', scsi_common: '', sd_mod: 'scsi_mod,t10-pi', t10_pi: 'crc_t10dif', sr_mod: 'scsi_mod,cdrom' };
        mkdirSync(join(dir, 'drivers', 'ata'), { recursive: true });
        for (const [name, deps] of Object.entries(files))
            writeFileSync(join(dir, 'drivers', 'ata', `${name}.ko`), ko(deps));
        const index = indexModules(dir);
        const builtin = builtinModules('kernel/lib/crc-t10dif.ko\nkernel/drivers/cdrom/cdrom.ko\n');
        const order = resolveModules(['ata_piix', 'sd_mod', 'sr_mod'], index, builtin).map((m) => m.name);
        assert.deepEqual(order, ['scsi_common', 'scsi_mod', 'libata', 'ata_piix', 't10_pi', 'sd_mod', 'sr_mod']);
        assert.throws(() => resolveModules(['nope'], index), /kernel module nope not found/);
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
//# sourceMappingURL=modules.test.js.map