/**
 * Raw deflate (RFC 1951, no zlib or gzip header) through the platform's
 * CompressionStream. Raw, because the container sits inside AES-GCM already:
 * a header or checksum would only add known bytes and length.
 */
import { DataDamagedError } from './errors.ts';
import { plainView } from './plain-view.ts';


function concat(chunks: Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  if (chunks.length === 1) return plainView(chunks[0]);
  const out = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/** Compresses `bytes` with raw deflate. */
export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const reader = new Blob([plainView(bytes)]).stream().pipeThrough(new CompressionStream('deflate-raw')).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value) {
      chunks.push(value);
      total += value.length;
    }
  }
  return concat(chunks, total);
}

/**
 * Decompresses raw deflate, refusing to produce more than `maxOutput` bytes.
 *
 * The limit is the zip-bomb guard: a few kilobytes of deflate can expand to
 * gigabytes, so the output is counted as it streams out and decompression is
 * abandoned the moment it would pass the limit (memory stays bounded by the
 * limit plus one chunk). Throws {@link DataDamagedError} for that and for any
 * invalid or truncated stream; nothing else. Bytes after the end of the
 * deflate stream are ignored by some engines (Node) and rejected by others;
 * this runs only on GCM-authenticated data, where neither can happen by accident.
 */
export async function inflateRaw(bytes: Uint8Array, maxOutput: number): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const reader = new Blob([plainView(bytes)]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!value) continue;
      if (value.length > maxOutput - total) {
        // Stop the decompressor; the platform typings of the core omit cancel().
        const r = reader as unknown as { cancel?: (reason?: unknown) => Promise<void> };
        r.cancel?.().catch(() => undefined);
        throw new DataDamagedError('the hidden content expands beyond its expected size');
      }
      chunks.push(value);
      total += value.length;
    }
  } catch (e) {
    if (e instanceof DataDamagedError) throw e;
    throw new DataDamagedError('the hidden content could not be decompressed');
  }
  return concat(chunks, total);
}
