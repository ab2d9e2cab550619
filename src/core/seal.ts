/**
 * Authenticated encryption: AES-GCM, with keys derived from the 32-byte
 * master secret by HKDF (docs/FORMAT.md, "Keys").
 *
 * 128 and 256-bit keys go through the platform's WebCrypto (native and fast).
 * 192-bit keys go through @noble/ciphers on every platform
 * ({@link NobleAesKey}): Chromium's WebCrypto refuses 192-bit AES, and one
 * path for the size everywhere beats a fallback that runs only where the
 * platform says no. @noble/ciphers is audited (Cure53, 2024), tested against
 * Wycheproof and other libraries, and kept small; like every AES in
 * JavaScript it uses T-tables, so it is not cache-timing safe, an accepted
 * cost for a key size the person must choose, on data that never leaves
 * their machine. {@link sealBytes} and {@link openBytes} take either kind of
 * key and give identical bytes.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { hkdf } from './kdf.ts';
import { plainView } from './plain-view.ts';

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
 * An AES-GCM key whose cipher runs in JavaScript (@noble/ciphers): how
 * 192-bit keys are used. Holds its own copy of the key bytes, unreachable
 * from outside; any of the three sizes works (tests check the library
 * against WebCrypto with 128 and 256-bit keys through this same class).
 */
export class NobleAesKey {
  readonly #key: Uint8Array;

  /** @param raw 16, 24 or 32 key bytes; copied, so the caller may wipe them. */
  constructor(raw: Uint8Array) {
    if (raw.length !== 16 && raw.length !== 24 && raw.length !== 32) throw new RangeError(`bad AES key length ${raw.length}`);
    this.#key = raw.slice();
  }

  /** Ciphertext followed by the 16-byte tag. The nonce's length is the caller's to check. */
  seal(nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array<ArrayBuffer> {
    return plainView(gcm(this.#key, nonce, aad).encrypt(plaintext));
  }

  /** The plaintext, or null when the tag does not authenticate. Never throws. */
  open(nonce: Uint8Array, ciphertext: Uint8Array, aad?: Uint8Array): Uint8Array<ArrayBuffer> | null {
    try {
      return plainView(gcm(this.#key, nonce, aad).decrypt(ciphertext));
    } catch {
      return null;
    }
  }
}

/**
 * An AES-GCM key: a WebCrypto key for 128 and 256 bits, a {@link NobleAesKey}
 * for 192. {@link sealBytes} and {@link openBytes} accept either.
 */
export type AesKey = WebCryptoAesKey | NobleAesKey;

/** The subkeys of one master secret. */
export interface SealKeys {
  /** AES-GCM key, usable for encrypt and decrypt. */
  aes: AesKey;
  /** 32 bytes seeding the body's sample order. */
  bodyOrderSeed: Uint8Array<ArrayBuffer>;
}


/** The HKDF info of the AES key of a given size. */
export function aesInfo(bits: KeyBits): string {
  return `VidStega/v1/aes-${bits}`;
}

/** The HKDF info of the body-order seed. */
export const BODY_ORDER_INFO = 'VidStega/v1/body-order';

/**
 * The AES-GCM key of `raw` (16, 24 or 32 bytes) for {@link sealBytes} and
 * {@link openBytes}: a non-extractable WebCrypto key for 16 and 32 bytes, a
 * {@link NobleAesKey} for 24. Either copies the bytes: the caller may wipe them.
 */
export async function importAesKey(raw: Uint8Array): Promise<AesKey> {
  if (raw.length === 24) return new NobleAesKey(raw);
  if (raw.length !== 16 && raw.length !== 32) throw new RangeError(`bad AES key length ${raw.length}`);
  return crypto.subtle.importKey('raw', plainView(raw), { name: 'AES-GCM', length: raw.length * 8 }, false, ['encrypt', 'decrypt']);
}

/** Derives the AES-GCM key of `bits` from the master secret (HKDF, FORMAT.md's info) and imports it. */
export async function deriveAesKey(master: Uint8Array, bits: KeyBits): Promise<AesKey> {
  if (bits !== 128 && bits !== 192 && bits !== 256) throw new RangeError(`bad AES key size ${String(bits)}`);
  const raw = await hkdf(master, aesInfo(bits), bits / 8);
  try {
    return await importAesKey(raw);
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
  if (key instanceof NobleAesKey) return key.seal(nonce, plaintext, aad);
  const ct = await crypto.subtle.encrypt(gcmParams(nonce, aad), key, plainView(plaintext));
  return new Uint8Array(ct);
}

/** WebCrypto's AES-GCM parameters: 128-bit tag, AAD only when given. */
function gcmParams(nonce: Uint8Array, aad?: Uint8Array) {
  return aad
    ? { name: 'AES-GCM', iv: plainView(nonce), additionalData: plainView(aad), tagLength: 128 }
    : { name: 'AES-GCM', iv: plainView(nonce), tagLength: 128 };
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
  if (key instanceof NobleAesKey) return key.open(nonce, ciphertext, aad); // never throws either
  try {
    const pt = await crypto.subtle.decrypt(gcmParams(nonce, aad), key, plainView(ciphertext));
    return new Uint8Array(pt);
  } catch {
    return null;
  }
}
