/**
 * Random access to a file's bytes, synchronously: what the container readers
 * read through. In a worker it is backed by FileReaderSync over `File.slice`
 * (src/media/worker/env.ts); in tests by bytes in memory.
 */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes from `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Uint8Array;
}

/** Bytes in memory as a source. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length)),
  };
}
