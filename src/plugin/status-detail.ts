/**
 * The rich gRPC error Nomad uses for start failures: a google.rpc.Status in
 * the grpc-status-details-bin trailer whose first detail is an Any holding
 * hashicorp.nomad.plugins.shared.structs.RecoverableError. Three tiny
 * messages, so they are written and read by hand rather than through a
 * second protobuf runtime.
 */

/** The Any type URL of Nomad's RecoverableError detail. */
export const RECOVERABLE_ERROR_TYPE_URL = 'type.googleapis.com/hashicorp.nomad.plugins.shared.structs.RecoverableError';

/** Encodes google.rpc.Status{code, message, details: [Any(RecoverableError{recoverable})]}. */
export function encodeRecoverableStatus(code: number, message: string, recoverable: boolean): Buffer {
  const detail = recoverable ? Buffer.from([0x08, 0x01]) : Buffer.alloc(0); // proto3 omits false
  const any = Buffer.concat([field(1, Buffer.from(RECOVERABLE_ERROR_TYPE_URL)), field(2, detail)]);
  return Buffer.concat([Buffer.from([0x08]), varint(code), field(2, Buffer.from(message)), field(3, any)]);
}

/** Reads the RecoverableError detail from an encoded google.rpc.Status, if there is one. */
export function decodeRecoverableStatus(status: Uint8Array): { recoverable: boolean } | undefined {
  for (const f of fields(status)) {
    if (f.num !== 3 || !f.bytes) continue;
    let typeUrl = '';
    let value: Uint8Array = new Uint8Array(0);
    for (const a of fields(f.bytes)) {
      if (a.num === 1 && a.bytes) typeUrl = Buffer.from(a.bytes).toString('utf8');
      if (a.num === 2 && a.bytes) value = a.bytes;
    }
    if (typeUrl !== RECOVERABLE_ERROR_TYPE_URL) continue;
    const rec = fields(value).find((x) => x.num === 1);
    return { recoverable: rec?.int !== undefined && rec.int !== 0 };
  }
  return undefined;
}

interface Field {
  readonly num: number;
  readonly int?: number;
  readonly bytes?: Uint8Array;
}

function field(num: number, data: Uint8Array): Buffer {
  return Buffer.concat([varint((num << 3) | 2), varint(data.length), data]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n)); // negative int32 is written as 10-byte two's complement
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Buffer.from(out);
}

/** Splits a message into fields (varint and length-delimited; others are skipped). */
function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const readVarint = (): number => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[pos++];
      if (b === undefined) throw new Error('truncated protobuf varint');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return Number(BigInt.asIntN(64, result));
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = readVarint();
    const num = key >>> 3;
    switch (key & 7) {
      case 0:
        out.push({ num, int: readVarint() });
        break;
      case 2: {
        const len = readVarint();
        out.push({ num, bytes: buf.subarray(pos, pos + len) });
        pos += len;
        break;
      }
      case 1:
        pos += 8;
        break;
      case 5:
        pos += 4;
        break;
      default:
        throw new Error(`unsupported protobuf wire type ${key & 7}`);
    }
  }
  return out;
}
