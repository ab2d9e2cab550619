/**
 * Views whose buffer is a plain `ArrayBuffer`. The platform typings of Blob
 * and WebCrypto refuse a `Uint8Array` that may sit on a `SharedArrayBuffer`
 * (what a frame pipe hands out), so every call into them goes through here.
 */

/**
 * `b` itself when its buffer is a plain `ArrayBuffer`; otherwise a copy of its
 * bytes in a new one (a view of shared memory must not reach the platform
 * anyway: another thread could change it mid-call).
 */
export function plainView(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : new Uint8Array(b);
}
