/**
 * Key derivation: Argon2id from the password (docs/FORMAT.md, "Keys"), the
 * geometry-bound locator salt, and HKDF-SHA-256 for the subkeys.
 */
import { argon2id } from 'hash-wasm';
import type { VideoGeometry } from './geometry.ts';
import { geometryBytes } from './geometry.ts';
import { plainView } from './plain-view.ts';

/** One numbered set of password-hashing parameters. */
export interface KdfParams {
  /** Set number. Never reused for different parameters. */
  readonly id: number;
  readonly algorithm: 'argon2id';
  /** Memory cost in KiB (1024 bytes). */
  readonly memoryKiB: number;
  /** Passes over the memory (Argon2's t). */
  readonly iterations: number;
  /** Lanes (Argon2's p). 1, because hash-wasm runs single-threaded anyway. */
  readonly parallelism: number;
}

/**
 * Every KDF parameter set ever used, oldest first. Nothing in a video says
 * which set hid it, so the extractor tries them all, newest first
 * ({@link kdfSetsNewestFirst}); to raise the cost later, append a set with the
 * next id and never change or remove an existing one.
 */
export const KDF_SETS: readonly KdfParams[] = Object.freeze([
  Object.freeze({ id: 1, algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 } as const),
]);

/** The set new videos are written with: the newest one. */
export function currentKdfSet(sets: readonly KdfParams[] = KDF_SETS): KdfParams {
  return sets[sets.length - 1];
}

/** The order the extractor tries sets in: newest first, as new videos are the common case. */
export function kdfSetsNewestFirst(sets: readonly KdfParams[] = KDF_SETS): KdfParams[] {
  return [...sets].reverse();
}

/** Output length of every Argon2id derivation, in bytes. */
export const KDF_OUTPUT_BYTES = 32;

const utf8 = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>;


/**
 * Argon2id(password, salt, params) → 32 bytes.
 *
 * The password is Unicode-normalised (NFC) before UTF-8 encoding, so the same
 * password typed on systems that compose accents differently (macOS input
 * gives NFD in places) derives the same key. Throws RangeError for parameters
 * Argon2 forbids (salt under 8 bytes, memory under 8 KiB per lane, no pass):
 * those are programming errors, never a person's.
 */
export async function deriveArgon2id(
  password: string,
  salt: Uint8Array,
  params: KdfParams,
): Promise<Uint8Array<ArrayBuffer>> {
  if (params.algorithm !== 'argon2id') throw new RangeError(`unknown KDF algorithm ${String(params.algorithm)}`);
  if (salt.length < 8) throw new RangeError('Argon2 salt must be at least 8 bytes');
  if (!Number.isInteger(params.parallelism) || params.parallelism < 1) throw new RangeError('bad Argon2 parallelism');
  if (!Number.isInteger(params.iterations) || params.iterations < 1) throw new RangeError('bad Argon2 iterations');
  if (!Number.isInteger(params.memoryKiB) || params.memoryKiB < 8 * params.parallelism) {
    throw new RangeError('bad Argon2 memory size');
  }
  // hash-wasm would encode a string itself, but without normalising it; and a
  // copy keeps it from seeing (or keeping) a view into a larger buffer.
  const out = await argon2id({
    password: utf8(password.normalize('NFC')),
    salt: new Uint8Array(salt),
    iterations: params.iterations,
    memorySize: params.memoryKiB,
    parallelism: params.parallelism,
    hashLength: KDF_OUTPUT_BYTES,
    outputType: 'binary',
  });
  return plainView(out);
}

/** Length of the locator-seed salt (the geometry-bound one), in bytes. */
export const LOCATOR_SEED_SALT_BYTES = 16;

/**
 * The salt of the locator seed: the first 16 bytes of
 * SHA-256("VidStega/v1/locator" || geometryBytes(g)). Binding it to the
 * video's shape means an attacker cannot precompute password guesses once for
 * every video.
 */
export async function locatorSalt(g: VideoGeometry): Promise<Uint8Array<ArrayBuffer>> {
  const label = utf8('VidStega/v1/locator');
  const geo = geometryBytes(g);
  const input = new Uint8Array(label.length + geo.length);
  input.set(label, 0);
  input.set(geo, label.length);
  const digest = await crypto.subtle.digest('SHA-256', input);
  return new Uint8Array(digest, 0, LOCATOR_SEED_SALT_BYTES).slice();
}

/**
 * HKDF-SHA-256 (RFC 5869) of `master` with an empty salt and the UTF-8 `info`,
 * `lengthBytes` long (at most 255 * 32). The empty salt is fine here: the
 * master secret is already uniformly random (Argon2 output), so HKDF's extract
 * step has nothing to fix; `info` alone separates the subkeys.
 */
export async function hkdf(master: Uint8Array, info: string, lengthBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey('raw', plainView(master), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8(info) },
    key,
    lengthBytes * 8,
  );
  return new Uint8Array(bits);
}
