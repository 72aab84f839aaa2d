/**
 * go-getter's `checksum` option: "type:hex" with md5, sha1, sha256 or sha512,
 * or a bare hex value whose length names the type. Verified on the
 * downloaded file before anything is unpacked.
 */
import { createHash } from 'node:crypto';
/** The digest types go-getter accepts. */
export const ChecksumType = { md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' };
/** Digest sizes in bytes, which is also how a bare value's type is guessed. */
const SIZES = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };
/** Parses the option's value; throws with go-getter's wording on a bad one. */
export function parseChecksum(value) {
    const v = value.trim();
    const colon = v.indexOf(':');
    const typeName = colon < 0 ? undefined : v.slice(0, colon).toLowerCase();
    const hex = (colon < 0 ? v : v.slice(colon + 1)).toLowerCase();
    if (typeName === 'file')
        throw new Error('checksum files ("file:<url>") are not supported; give "type:value"');
    if (!/^([0-9a-f]{2})+$/.test(hex))
        throw new Error(`invalid checksum: ${JSON.stringify(value)} is not hex`);
    if (typeName === undefined) {
        const guessed = Object.keys(SIZES).find((t) => SIZES[t] * 2 === hex.length);
        if (!guessed)
            throw new Error(`unknown type for checksum ${hex}`);
        return { type: guessed, hex };
    }
    if (!(typeName in SIZES))
        throw new Error(`unsupported checksum type: ${typeName}`);
    const type = typeName;
    if (SIZES[type] * 2 !== hex.length)
        throw new Error(`invalid ${type} checksum: ${hex}`);
    return { type, hex };
}
/** A fresh hash for the checksum's type. */
export function newHash(c) {
    return createHash(c.type);
}
/** Throws "checksum mismatch: expected sha256:… got …" unless the digest matches. */
export function verifyChecksum(c, actualHex) {
    if (actualHex !== c.hex)
        throw new Error(`checksum mismatch: expected ${c.type}:${c.hex} got ${c.type}:${actualHex}`);
}
//# sourceMappingURL=checksum.js.map