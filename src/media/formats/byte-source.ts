/**
 * Random access to a file's bytes without holding the file, for every
 * container reader (MP4, Matroska). In a worker a `File` backs it
 * (FileReaderSync over `File.slice`, src/media/worker/browser-env.ts); in
 * Node tests a Buffer or a file descriptor (test-support/byte-sources.ts). Reads are synchronous so the reader and the rewriter
 * stay plain loops, with no promise per box.
 */
export interface ByteSource {
  /** Length of the file in bytes (files up to 2^53 bytes). */
  readonly size: number;
  /**
   * Exactly `length` bytes from `offset`, which the caller may keep (the
   * source does not reuse them). Callers only ask for ranges inside
   * `[0, size)`, and for at most a few MiB at a time.
   */
  read(offset: number, length: number): Uint8Array;
}
