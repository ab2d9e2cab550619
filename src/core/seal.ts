/**
 * Authenticated encryption: AES-GCM through WebCrypto, with keys derived from
 * the 32-byte master secret by HKDF (docs/FORMAT.md, "Keys"). Where WebCrypto
 * refuses a key size (Chromium has no 192-bit AES), a pure-TypeScript AES-GCM
 * ({@link SoftAesGcm}) stands in, so every platform can hide and extract with
 * every key size the format allows.
 */
import { SoftAesGcm } from './aes-gcm-soft.ts';
import { hkdf } from './kdf.ts';

/** AES key sizes the format allows. */
export type KeyBits = 128 | 192 | 256;

/**
 * The order an extractor tries key sizes in. Nothing says which one hid the
 * data: GCM's tag tells. Largest first, as it is the default for hiding.
 */
export const KEY_BITS_TRY_ORDER: readonly KeyBits[] = Object.freeze([256, 192, 128] as const);

/** GCM nonce length: 96 bits, the size GCM is designed (and safest) for. */
export const GCM_NONCE_BYTES = 12;
/** GCM tag length: the full 128 bits. */
export const GCM_TAG_BYTES = 16;

/**
 * An imported, non-extractable WebCrypto AES-GCM key. Spelt through `crypto`
 * so it is `CryptoKey` under the DOM typings and the core's own declaration
 * otherwise.
 */
type WebCryptoAesKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/**
 * An AES-GCM key: the platform's WebCrypto key when it supports the size,
 * else a {@link SoftAesGcm} (192-bit keys in Chromium). {@link sealBytes} and
 * {@link openBytes} accept either and produce identical bytes.
 */
export type AesKey = WebCryptoAesKey | SoftAesGcm;

/** The subkeys of one master secret. */
export interface SealKeys {
  /** AES-GCM key, usable for encrypt and decrypt. */
  aes: AesKey;
  /** 32 bytes seeding the body's sample order. */
  bodyOrderSeed: Uint8Array<ArrayBuffer>;
}

/** A view whose buffer is a plain ArrayBuffer, as the DOM typings of WebCrypto want. */
function plain(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return b.buffer instanceof ArrayBuffer ? (b as Uint8Array<ArrayBuffer>) : new Uint8Array(b);
}

/** The HKDF info of the AES key of a given size. */
export function aesInfo(bits: KeyBits): string {
  return `VidStega/v1/aes-${bits}`;
}

/** The HKDF info of the body-order seed. */
export const BODY_ORDER_INFO = 'VidStega/v1/body-order';

/**
 * Derives and imports the AES-GCM key of `bits` from the master secret. If
 * the platform's WebCrypto refuses the key size (Chromium's does not implement
 * 192-bit AES), returns a {@link SoftAesGcm} over the same key bytes instead,
 * so the result works everywhere.
 */
export async function deriveAesKey(master: Uint8Array, bits: KeyBits): Promise<AesKey> {
  if (bits !== 128 && bits !== 192 && bits !== 256) throw new RangeError(`bad AES key size ${String(bits)}`);
  const raw = await hkdf(master, aesInfo(bits), bits / 8);
  try {
    return await crypto.subtle.importKey('raw', plain(raw), { name: 'AES-GCM', length: bits }, false, [
      'encrypt',
      'decrypt',
    ]);
  } catch {
    // WebCrypto refused this size: fall back to the pure-TypeScript AES-GCM,
    // which copies the key into its schedule before `raw` is wiped below.
    return new SoftAesGcm(raw);
  } finally {
    raw.fill(0);
  }
}

/**
 * The AES-GCM key of `bits` and the body-order seed, both from the master
 * secret by HKDF-SHA-256 with the infos of docs/FORMAT.md.
 */
export async function deriveKeys(master: Uint8Array, bits: KeyBits): Promise<SealKeys> {
  const [aes, bodyOrderSeed] = await Promise.all([deriveAesKey(master, bits), hkdf(master, BODY_ORDER_INFO, 32)]);
  return { aes, bodyOrderSeed };
}

/** `n` cryptographically random bytes. */
export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n));
}

/**
 * AES-GCM encryption: returns ciphertext followed by the 16-byte tag
 * (plaintext length + 16 bytes). The nonce must be 12 bytes and must never
 * repeat under one key: callers use fresh random nonces, and every key comes
 * from a fresh random salt anyway. `aad` is authenticated, not encrypted.
 */
export async function sealBytes(
  key: AesKey,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad?: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  if (nonce.length !== GCM_NONCE_BYTES) throw new RangeError(`GCM nonce must be ${GCM_NONCE_BYTES} bytes`);
  if (key instanceof SoftAesGcm) return key.seal(nonce, plaintext, aad);
  const ct = await crypto.subtle.encrypt(gcmParams(nonce, aad), key, plain(plaintext));
  return new Uint8Array(ct);
}

/** WebCrypto's AES-GCM parameters: 128-bit tag, AAD only when given. */
function gcmParams(nonce: Uint8Array, aad?: Uint8Array) {
  return aad
    ? { name: 'AES-GCM', iv: plain(nonce), additionalData: plain(aad), tagLength: 128 }
    : { name: 'AES-GCM', iv: plain(nonce), tagLength: 128 };
}

/**
 * AES-GCM decryption and authentication of `ciphertext` (ciphertext + tag).
 * Returns the plaintext, or null if anything is wrong: wrong key, tampered or
 * truncated data, wrong nonce or AAD, a nonce that is not 12 bytes, input
 * shorter than a tag. Never throws: a failed open is the normal outcome of
 * trying a password or key size, not an exception.
 */
export async function openBytes(
  key: AesKey,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  aad?: Uint8Array,
): Promise<Uint8Array<ArrayBuffer> | null> {
  if (nonce.length !== GCM_NONCE_BYTES || ciphertext.length < GCM_TAG_BYTES) return null;
  if (key instanceof SoftAesGcm) return key.open(nonce, ciphertext, aad); // never throws either
  try {
    const pt = await crypto.subtle.decrypt(gcmParams(nonce, aad), key, plain(ciphertext));
    return new Uint8Array(pt);
  } catch {
    return null;
  }
}
