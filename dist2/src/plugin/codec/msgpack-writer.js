/**
 * A minimal msgpack writer with the exact choices go-cty's encoder makes
 * (vmihailenco/msgpack): integers in their smallest form, every other number
 * as float64, strings as str, type descriptions as bin. @msgpack/msgpack's
 * encoder cannot promise key order for integer-like keys, hence this.
 */
/** Appends msgpack items to a growing buffer. */
export class MsgpackWriter {
    buf = Buffer.alloc(256);
    len = 0;
    nil() {
        this.byte(0xc0);
    }
    bool(v) {
        this.byte(v ? 0xc3 : 0xc2);
    }
    /** An integer in the smallest encoding (as vmihailenco's EncodeInt/EncodeUint). */
    int(v) {
        const n = BigInt(v);
        if (n >= 0n) {
            if (n <= 0x7fn)
                this.byte(Number(n));
            else if (n <= 0xffn)
                this.typed(0xcc, 1, (b) => b.writeUInt8(Number(n)));
            else if (n <= 0xffffn)
                this.typed(0xcd, 2, (b) => b.writeUInt16BE(Number(n)));
            else if (n <= 0xffffffffn)
                this.typed(0xce, 4, (b) => b.writeUInt32BE(Number(n)));
            else
                this.typed(0xcf, 8, (b) => b.writeBigUInt64BE(n));
            return;
        }
        if (n >= -32n)
            this.byte(Number(n) & 0xff);
        else if (n >= -0x80n)
            this.typed(0xd0, 1, (b) => b.writeInt8(Number(n)));
        else if (n >= -0x8000n)
            this.typed(0xd1, 2, (b) => b.writeInt16BE(Number(n)));
        else if (n >= -0x80000000n)
            this.typed(0xd2, 4, (b) => b.writeInt32BE(Number(n)));
        else
            this.typed(0xd3, 8, (b) => b.writeBigInt64BE(n));
    }
    float64(v) {
        this.typed(0xcb, 8, (b) => b.writeDoubleBE(v));
    }
    str(s) {
        const data = Buffer.from(s, 'utf8');
        const n = data.length;
        if (n < 32)
            this.byte(0xa0 | n);
        else if (n <= 0xff)
            this.typed(0xd9, 1, (b) => b.writeUInt8(n));
        else if (n <= 0xffff)
            this.typed(0xda, 2, (b) => b.writeUInt16BE(n));
        else
            this.typed(0xdb, 4, (b) => b.writeUInt32BE(n));
        this.raw(data);
    }
    bin(data) {
        const n = data.length;
        if (n <= 0xff)
            this.typed(0xc4, 1, (b) => b.writeUInt8(n));
        else if (n <= 0xffff)
            this.typed(0xc5, 2, (b) => b.writeUInt16BE(n));
        else
            this.typed(0xc6, 4, (b) => b.writeUInt32BE(n));
        this.raw(data);
    }
    arrayHeader(n) {
        if (n < 16)
            this.byte(0x90 | n);
        else if (n <= 0xffff)
            this.typed(0xdc, 2, (b) => b.writeUInt16BE(n));
        else
            this.typed(0xdd, 4, (b) => b.writeUInt32BE(n));
    }
    mapHeader(n) {
        if (n < 16)
            this.byte(0x80 | n);
        else if (n <= 0xffff)
            this.typed(0xde, 2, (b) => b.writeUInt16BE(n));
        else
            this.typed(0xdf, 4, (b) => b.writeUInt32BE(n));
    }
    /** The bytes written so far. */
    bytes() {
        return this.buf.subarray(0, this.len);
    }
    byte(b) {
        this.reserve(1);
        this.buf[this.len++] = b;
    }
    typed(code, size, write) {
        this.byte(code);
        this.reserve(size);
        write(this.buf.subarray(this.len, this.len + size));
        this.len += size;
    }
    raw(data) {
        this.reserve(data.length);
        this.buf.set(data, this.len);
        this.len += data.length;
    }
    reserve(n) {
        if (this.len + n <= this.buf.length)
            return;
        const next = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n));
        this.buf.copy(next, 0, 0, this.len);
        this.buf = next;
    }
}
//# sourceMappingURL=msgpack-writer.js.map