/**
 * Streams a download to a new file: bounded memory, a byte cap (Nomad's
 * http_max_bytes) and the checksum computed on the way through.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
/** Writes `src` to `path` (which must not exist); aborts past `maxBytes` (0 = no cap). */
export async function writeStreamToFile(src, path, opts) {
    let bytes = 0;
    const { maxBytes, hash } = opts;
    async function* tap(chunks) {
        for await (const chunk of chunks) {
            bytes += chunk.length;
            if (maxBytes > 0 && bytes > maxBytes)
                throw new Error(`download is larger than the limit of ${maxBytes} bytes`);
            hash?.update(chunk);
            yield chunk;
        }
    }
    await pipeline(src, tap, createWriteStream(path, { flags: 'wx', mode: 0o644 }), { signal: opts.signal });
    return { bytes, digest: hash?.digest('hex') };
}
//# sourceMappingURL=write-file.js.map