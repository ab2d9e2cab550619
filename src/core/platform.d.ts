/**
 * The few platform globals the pure core may use. They exist in browsers,
 * workers and Node 20 alike; declaring them here (instead of pulling in the
 * DOM or webworker libs) keeps the core from touching anything else.
 */
interface RandomSource {
  getRandomValues<T extends ArrayBufferView>(array: T): T;
  readonly subtle: SubtleCryptoLike;
}
/** Only the SubtleCrypto calls the core makes. */
interface SubtleCryptoLike {
  importKey(format: 'raw', keyData: BufferSource, algorithm: string | { name: string; length?: number }, extractable: boolean, keyUsages: string[]): Promise<CryptoKeyLike>;
  encrypt(algorithm: { name: string; iv: BufferSource; additionalData?: BufferSource; tagLength?: number }, key: CryptoKeyLike, data: BufferSource): Promise<ArrayBuffer>;
  decrypt(algorithm: { name: string; iv: BufferSource; additionalData?: BufferSource; tagLength?: number }, key: CryptoKeyLike, data: BufferSource): Promise<ArrayBuffer>;
  deriveBits(algorithm: { name: string; hash?: string; salt?: BufferSource; info?: BufferSource; iterations?: number }, baseKey: CryptoKeyLike, length: number): Promise<ArrayBuffer>;
  digest(algorithm: string, data: BufferSource): Promise<ArrayBuffer>;
}
interface CryptoKeyLike { readonly type: string }
type BufferSource = ArrayBufferView | ArrayBuffer;
declare const crypto: RandomSource;

interface ReadableWritablePair<R, W> { readable: ReadableStreamLike<R>; writable: unknown }
interface ReadableStreamLike<R> { getReader(): { read(): Promise<{ done: boolean; value?: R }>; releaseLock(): void } ; pipeThrough<T>(t: ReadableWritablePair<T, R>): ReadableStreamLike<T> }
declare class CompressionStream implements ReadableWritablePair<Uint8Array, Uint8Array> {
  constructor(format: 'deflate' | 'deflate-raw' | 'gzip');
  readonly readable: ReadableStreamLike<Uint8Array>;
  readonly writable: unknown;
}
declare class DecompressionStream implements ReadableWritablePair<Uint8Array, Uint8Array> {
  constructor(format: 'deflate' | 'deflate-raw' | 'gzip');
  readonly readable: ReadableStreamLike<Uint8Array>;
  readonly writable: unknown;
}
declare class Blob {
  constructor(parts: (Uint8Array | ArrayBuffer)[]);
  stream(): ReadableStreamLike<Uint8Array>;
}
declare class TextEncoder { encode(s: string): Uint8Array }
declare class TextDecoder { constructor(label?: string, options?: { fatal?: boolean }); decode(b: Uint8Array): string }
