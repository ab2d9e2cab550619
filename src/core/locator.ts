/**
 * The locator: the small sealed record, at a password-determined place in the
 * video, that says how and where the body is stored (docs/FORMAT.md,
 * "Locator").
 *
 * Sealed form, 172 bytes: salt (16, clear) | GCM nonce (12, clear) |
 * encrypted record (128) | GCM tag (16). The salt and nonce are random and the
 * rest is ciphertext, so the whole is indistinguishable from random bits.
 *
 * Record, 128 bytes, little-endian, unused bytes zero (format v2 differs at
 * offsets 2 and 20 .. 25, noted):
 *
 * | offset | bytes | field |
 * |---|---|---|
 * | 0 | 1 | format version (1 or 2) |
 * | 1 | 1 | flags: bit 0 = body is deflated; other bits zero |
 * | 2 | 1 | v1: bits per sample (1 or 2); v2: embedding (1 = adaptive, syndrome-trellis coded ±1) |
 * | 3 | 1 | plane mask (bit p = plane p eligible; 1..15) |
 * | 4 | 1 | RS parity bytes per codeword (0, 16, 32 or 64) |
 * | 5 | 1 | AES key bytes (16, 24 or 32) |
 * | 6 | 1 | frame selection: 0 = automatic, 1 = ranges |
 * | 7 | 1 | range count (0 when automatic, 1..12 for ranges) |
 * | 8 | 12 | body GCM nonce |
 * | 20 | 6 | v1: body length in bytes, as stored (after RS); v2: STC height h (1), cover width w (1), zeros (4) |
 * | 26 | 6 | GCM ciphertext length incl. tag (before RS) |
 * | 32 | 96 | automatic: frame count (4), then zeros; ranges: 12 x (start 4, count 4) |
 *
 * A v2 record does not store the body's length: it is the Reed-Solomon
 * length of the ciphertext, which v1 stored beside it.
 */
import { DataDamagedError, UnsupportedInputError } from './errors.ts';
import { rsEncodedLength } from './rs/index.ts';
import { STC_MAX_HEIGHT } from './stc/index.ts';
import type { KeyBits } from './seal.ts';
import { GCM_NONCE_BYTES, GCM_TAG_BYTES, KEY_BITS_TRY_ORDER, deriveAesKey, openBytes, randomBytes, sealBytes } from './seal.ts';

import { mergeRanges, type FrameRange, type FrameSelection } from './frame-ranges.ts';
export type { FrameRange, FrameSelection } from './frame-ranges.ts';

/** What every version of the decrypted locator record holds. */
interface LocatorRecordFields {
  /** Whether the container was deflated before sealing. */
  compressed: boolean;
  /** Bit p set = plane p (0 = Y, 1 = U, 2 = V, 3 = alpha) carries body samples. */
  planeMask: number;
  /** Reed-Solomon parity bytes per body codeword; 0 = no RS. */
  parityBytes: 0 | 16 | 32 | 64;
  /** The body's 12-byte GCM nonce. */
  bodyNonce: Uint8Array;
  /** Coded body bytes as stored in the video (after RS). */
  bodyLength: number;
  /** GCM ciphertext length including the tag (before RS). */
  ciphertextLength: number;
  /** AES key size of the body (and of this locator). */
  keyBits: KeyBits;
  selection: FrameSelection;
}

/** Format v1: one symbol of 1 or 2 bits per carrying sample, by LSB matching or replacement. */
export interface LocatorRecordV1 extends LocatorRecordFields {
  formatVersion: 1;
  bitsPerSample: 1 | 2;
}

/** Format v2: adaptive embedding, each frame's bits syndrome-trellis coded over its cover (src/core/adaptive-format.ts). */
export interface LocatorRecordV2 extends LocatorRecordFields {
  formatVersion: 2;
  /** Always 1: a cover position's least significant bit. */
  bitsPerSample: 1;
  /** Constraint height of the body's code. */
  stcHeight: number;
  /** A frame's cover is min(dry slots, coverWidth · its message bits) positions. */
  coverWidth: number;
}

/** The decrypted locator record. */
export type LocatorRecord = LocatorRecordV1 | LocatorRecordV2;

/** The stego format versions VidStega reads. */
export type FormatVersion = LocatorRecord['formatVersion'];

/** Plaintext record length. */
export const LOCATOR_RECORD_BYTES = 128;
/** Clear random salt at the start of the sealed locator. */
export const LOCATOR_SALT_BYTES = 16;
/** Sealed locator length: salt + nonce + record + tag. */
export const SEALED_LOCATOR_BYTES = LOCATOR_SALT_BYTES + GCM_NONCE_BYTES + LOCATOR_RECORD_BYTES + GCM_TAG_BYTES;
/** Most explicit frame ranges a record holds. */
export const MAX_RANGES = 12;
/** Largest body or ciphertext length the 48-bit fields hold. */
export const MAX_LOCATOR_LENGTH = 2 ** 48 - 1;

/**
 * The locator's GCM additional data: a fixed domain string, so a locator can
 * never be confused with a body or anything else sealed under the same key.
 */
export const LOCATOR_AAD: Uint8Array = new TextEncoder().encode('VidStega/v1/locator');
/** Format v2's locator AAD: a v1 record never opens as v2, nor the other way round. */
export const LOCATOR_AAD_V2: Uint8Array = new TextEncoder().encode('VidStega/v2/locator');

/** The locator's GCM additional data for a format version. */
export function locatorAad(version: FormatVersion): Uint8Array {
  return version === 2 ? LOCATOR_AAD_V2 : LOCATOR_AAD;
}

/** Format v2's embedding byte: adaptive (syndrome-trellis coded ±1). */
const EMBEDDING_ADAPTIVE = 1;

const FLAG_COMPRESSED = 1;
const PARITIES: readonly number[] = [0, 16, 32, 64];
const MAX_U32 = 0xffff_ffff;

function isU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= MAX_U32;
}

/**
 * Sorts and merges ranges into the canonical form a record requires
 * (ascending, no overlap, adjacent ranges joined, empty ones dropped). Lets a
 * UI accept ranges in any order. Throws {@link UnsupportedInputError} if more
 * than {@link MAX_RANGES} remain.
 */
export function normalizeRanges(ranges: readonly FrameRange[]): FrameRange[] {
  const out = mergeRanges(ranges);
  if (out.length > MAX_RANGES) {
    throw new UnsupportedInputError(`At most ${MAX_RANGES} separate frame ranges can be used; merge some of them.`);
  }
  return out;
}

/**
 * The reason a record is invalid, or null. Shared by the encoder and the
 * decoder so that exactly the records one writes are the ones the other reads.
 */
function recordProblem(r: LocatorRecord): string | null {
  if (r.formatVersion !== 1 && r.formatVersion !== 2) return 'unknown format version';
  if (typeof r.compressed !== 'boolean') return 'bad compression flag';
  if (r.bitsPerSample !== 1 && r.bitsPerSample !== 2) return 'bad bits per sample';
  if (r.formatVersion === 2) {
    if (r.bitsPerSample !== 1) return 'bad bits per sample';
    if (!Number.isInteger(r.stcHeight) || r.stcHeight < 1 || r.stcHeight > STC_MAX_HEIGHT) return 'bad code height';
    if (!Number.isInteger(r.coverWidth) || r.coverWidth < 1 || r.coverWidth > 255) return 'bad cover width';
  }
  if (!Number.isInteger(r.planeMask) || r.planeMask < 1 || r.planeMask > 15) return 'bad plane mask';
  if (!PARITIES.includes(r.parityBytes)) return 'bad parity size';
  if (r.keyBits !== 128 && r.keyBits !== 192 && r.keyBits !== 256) return 'bad key size';
  if (!(r.bodyNonce instanceof Uint8Array) || r.bodyNonce.length !== GCM_NONCE_BYTES) return 'bad body nonce';
  const lengthOk = (n: number) => Number.isInteger(n) && n >= 0 && n <= MAX_LOCATOR_LENGTH;
  if (!lengthOk(r.ciphertextLength) || r.ciphertextLength <= GCM_TAG_BYTES) return 'bad ciphertext length';
  if (!lengthOk(r.bodyLength)) return 'bad body length';
  // Without RS the body is the ciphertext; with it, at least one codeword's
  // parity is added. The exact RS length is the RS module's to check.
  if (r.parityBytes === 0 ? r.bodyLength !== r.ciphertextLength : r.bodyLength < r.ciphertextLength + r.parityBytes) {
    return 'body length inconsistent with ciphertext length';
  }
  // v2 does not store it: it must be what the reveal will compute.
  if (r.formatVersion === 2 && r.bodyLength !== rsEncodedLength(r.ciphertextLength, r.parityBytes)) return 'body length inconsistent with ciphertext length';
  const s = r.selection;
  if (s.kind === 'auto') {
    if (!isU32(s.frameCount) || s.frameCount < 1) return 'bad frame count';
  } else if (s.kind === 'ranges') {
    if (!Array.isArray(s.ranges) || s.ranges.length < 1 || s.ranges.length > MAX_RANGES) return 'bad range count';
    let end = -1;
    for (const x of s.ranges) {
      if (!isU32(x.start) || !isU32(x.count) || x.count < 1 || x.start + x.count > MAX_U32 + 1) return 'bad range';
      // Strictly after the previous range's end: canonical, one encoding per selection.
      if (x.start <= end) return 'ranges not ascending and separate';
      end = x.start + x.count;
    }
  } else return 'bad frame selection';
  return null;
}

function setU48(v: DataView, at: number, n: number): void {
  v.setUint32(at, n % 2 ** 32, true);
  v.setUint16(at + 4, Math.floor(n / 2 ** 32), true);
}

function getU48(v: DataView, at: number): number {
  return v.getUint32(at, true) + v.getUint16(at + 4, true) * 2 ** 32;
}

/**
 * Serialises a record into its 128 bytes. Throws {@link UnsupportedInputError}
 * for a record the format cannot express (use {@link normalizeRanges} first
 * for user-entered ranges).
 */
export function encodeLocatorRecord(r: LocatorRecord): Uint8Array<ArrayBuffer> {
  const problem = recordProblem(r);
  if (problem) throw new UnsupportedInputError(`These hiding settings cannot be stored: ${problem}.`);
  const out = new Uint8Array(LOCATOR_RECORD_BYTES);
  const v = new DataView(out.buffer);
  out[0] = r.formatVersion;
  out[1] = r.compressed ? FLAG_COMPRESSED : 0;
  out[3] = r.planeMask;
  out[4] = r.parityBytes;
  out[5] = r.keyBits / 8;
  out.set(r.bodyNonce, 8);
  if (r.formatVersion === 2) {
    out[2] = EMBEDDING_ADAPTIVE;
    out[20] = r.stcHeight;
    out[21] = r.coverWidth;
  } else {
    out[2] = r.bitsPerSample;
    setU48(v, 20, r.bodyLength);
  }
  setU48(v, 26, r.ciphertextLength);
  if (r.selection.kind === 'auto') {
    out[6] = 0;
    v.setUint32(32, r.selection.frameCount, true);
  } else {
    out[6] = 1;
    out[7] = r.selection.ranges.length;
    r.selection.ranges.forEach((x, i) => {
      v.setUint32(32 + 8 * i, x.start, true);
      v.setUint32(36 + 8 * i, x.count, true);
    });
  }
  return out;
}

/**
 * Parses and strictly validates a 128-byte record: version, every enum,
 * length consistency, range count and order, and that every unused byte is
 * zero. Throws {@link DataDamagedError} if anything is off: it runs only after
 * GCM authenticated the record, so an invalid one is a bug or tampering by a
 * key holder.
 */
export function decodeLocatorRecord(bytes: Uint8Array): LocatorRecord {
  const bad = (what: string): never => {
    throw new DataDamagedError(`the hidden settings are invalid: ${what}`);
  };
  if (bytes.length !== LOCATOR_RECORD_BYTES) bad('wrong size');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[1] & ~FLAG_COMPRESSED) bad('unknown flags');
  const keyBytes = bytes[5];
  if (keyBytes !== 16 && keyBytes !== 24 && keyBytes !== 32) bad('bad key size');
  const kind = bytes[6];
  const count = bytes[7];
  let selection: FrameSelection;
  let usedEnd: number;
  if (kind === 0) {
    if (count !== 0) bad('range count in automatic mode');
    selection = { kind: 'auto', frameCount: v.getUint32(32, true) };
    usedEnd = 36;
  } else if (kind === 1) {
    if (count < 1 || count > MAX_RANGES) bad('bad range count');
    const ranges: FrameRange[] = [];
    for (let i = 0; i < count; i++) {
      ranges.push({ start: v.getUint32(32 + 8 * i, true), count: v.getUint32(36 + 8 * i, true) });
    }
    selection = { kind: 'ranges', ranges };
    usedEnd = 32 + 8 * count;
  } else return bad('unknown frame selection');
  for (let i = usedEnd; i < LOCATOR_RECORD_BYTES; i++) if (bytes[i] !== 0) bad('nonzero padding');
  const fields = {
    compressed: (bytes[1] & FLAG_COMPRESSED) !== 0,
    planeMask: bytes[3],
    parityBytes: bytes[4],
    bodyNonce: bytes.slice(8, 20),
    ciphertextLength: getU48(v, 26),
    keyBits: keyBytes * 8,
    selection,
  };
  let record: LocatorRecord;
  if (bytes[0] === 2) {
    if (bytes[2] !== EMBEDDING_ADAPTIVE) bad('unknown embedding');
    for (let i = 22; i < 26; i++) if (bytes[i] !== 0) bad('nonzero padding');
    const parity = PARITIES.includes(fields.parityBytes) ? fields.parityBytes : 0;
    const lengthOk = fields.ciphertextLength > 0 && fields.ciphertextLength <= MAX_LOCATOR_LENGTH;
    record = {
      ...fields,
      formatVersion: 2,
      bitsPerSample: 1,
      stcHeight: bytes[20],
      coverWidth: bytes[21],
      // Only to be checked below: an invalid parity or length is reported as such.
      bodyLength: lengthOk ? rsEncodedLength(fields.ciphertextLength, parity) : -1,
    } as LocatorRecord;
  } else {
    record = { ...fields, formatVersion: bytes[0], bitsPerSample: bytes[2], bodyLength: getU48(v, 20) } as LocatorRecord;
  }
  const problem = recordProblem(record);
  if (problem) bad(problem);
  return record;
}

/**
 * Seals a record into the 172 bytes written to the video: `salt` (the one
 * `master` was derived from, in the clear), a fresh random nonce, and the
 * record under AES-GCM with the `keyBits` key derived from `master`, with
 * the record's version's AAD ({@link locatorAad}) as additional data. `keyBits` must equal
 * `record.keyBits` (the locator and the body share the key size, so the
 * extractor's trial of key sizes on the locator also tells the body's).
 */
export async function sealLocator(
  record: LocatorRecord,
  master: Uint8Array,
  salt: Uint8Array,
  keyBits: KeyBits,
): Promise<Uint8Array<ArrayBuffer>> {
  if (salt.length !== LOCATOR_SALT_BYTES) throw new RangeError(`locator salt must be ${LOCATOR_SALT_BYTES} bytes`);
  if (record.keyBits !== keyBits) throw new RangeError('locator key size differs from the record key size');
  const plaintext = encodeLocatorRecord(record);
  const key = await deriveAesKey(master, keyBits);
  const nonce = randomBytes(GCM_NONCE_BYTES);
  const sealed = await sealBytes(key, nonce, plaintext, locatorAad(record.formatVersion));
  const out = new Uint8Array(SEALED_LOCATOR_BYTES);
  out.set(salt, 0);
  out.set(nonce, LOCATOR_SALT_BYTES);
  out.set(sealed, LOCATOR_SALT_BYTES + GCM_NONCE_BYTES);
  return out;
}

/**
 * Tries to open a sealed locator of format `version`. Reads the clear salt,
 * asks `masterFor` for the master secret of that salt (the caller runs
 * Argon2id with the KDF set it is trying, and may cache), then tries the AES
 * key sizes 256, 192 and 128 under that version's AAD and returns the record
 * of the first that authenticates, with the master secret.
 *
 * Returns null when none does (wrong password, wrong KDF set, nothing hidden,
 * damaged) or the input is not 172 bytes (key sizes the platform's WebCrypto
 * lacks, such as 192-bit AES in Chromium, go through a software AES-GCM). Throws only {@link DataDamagedError},
 * when a record authenticates but is invalid, and whatever `masterFor` throws.
 */
export async function openLocator(
  sealed: Uint8Array,
  masterFor: (salt: Uint8Array) => Promise<Uint8Array>,
  version: FormatVersion = 1,
): Promise<{ record: LocatorRecord; master: Uint8Array } | null> {
  if (sealed.length !== SEALED_LOCATOR_BYTES) return null;
  const salt = sealed.slice(0, LOCATOR_SALT_BYTES);
  const nonce = sealed.slice(LOCATOR_SALT_BYTES, LOCATOR_SALT_BYTES + GCM_NONCE_BYTES);
  const ciphertext = sealed.slice(LOCATOR_SALT_BYTES + GCM_NONCE_BYTES);
  const master = await masterFor(salt);
  for (const bits of KEY_BITS_TRY_ORDER) {
    let key;
    try {
      key = await deriveAesKey(master, bits);
    } catch {
      continue; // this platform cannot use this key size, so nothing it hid used it
    }
    const plaintext = await openBytes(key, nonce, ciphertext, locatorAad(version));
    if (!plaintext) continue;
    const record = decodeLocatorRecord(plaintext);
    if (record.formatVersion !== version) throw new DataDamagedError('the hidden settings are invalid: format version mismatch');
    if (record.keyBits !== bits) throw new DataDamagedError('the hidden settings are invalid: key size mismatch');
    return { record, master };
  }
  return null;
}
