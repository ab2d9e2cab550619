/**
 * Reed-Solomon coding of a whole byte stream, interleaved: the public API the
 * rest of the app uses.
 *
 * Format, for data of L bytes and nsym parity bytes per codeword (k = 255 - nsym):
 *  - C = ceil(L / k) codewords; encoded length L + C * nsym (exactly what
 *    "C - 1 full 255-byte codewords plus one shortened last codeword" gives).
 *  - The data is shared out *evenly*: every codeword carries floor(L / C) or
 *    floor(L / C) + 1 data bytes (the first L mod C codewords get the extra
 *    byte), each followed by its nsym parity bytes. We do this instead of
 *    "full codewords plus one short last one" because with unequal lengths no
 *    column interleave keeps every codeword's bytes evenly spread: in the
 *    columns the short codeword has left, the others would be packed
 *    C - 1 apart and a burst of C * t bytes could exceed t errors in one of
 *    them. With lengths differing by at most one, see interleave.ts: a burst
 *    of C * t damaged bytes costs each codeword at most t errors (2t if the
 *    bytes are flagged as erasures).
 *  - The codewords are then interleaved column by column (interleave.ts).
 *  - nsym = 0 means no coding: the output is a copy of the data.
 */
import { assertNsym, getRsEncoder } from './rs-encode.ts';
import { RsDecodeFailure, getRsDecoder } from './rs-decode.ts';
import { codewordOffset, deinterleave, interleave } from './interleave.ts';

function checkArgs(length: number, nsym: number): void {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`Reed-Solomon: bad length ${length}`);
  if (nsym !== 0) assertNsym(nsym);
}

/** Codeword layout for L data bytes: count, data bytes of the short codewords, how many carry one more. */
function layout(dataLength: number, nsym: number): { count: number; shortData: number; longCount: number } {
  const k = 255 - nsym;
  const count = Math.ceil(dataLength / k);
  if (count === 0) return { count: 0, shortData: 0, longCount: 0 };
  const shortData = Math.floor(dataLength / count);
  return { count, shortData, longCount: dataLength - shortData * count };
}

/**
 * Number of bytes `rsEncodeInterleaved` produces for `dataLength` data bytes:
 * dataLength + ceil(dataLength / (255 - nsym)) * nsym, or dataLength when nsym = 0.
 */
export function rsEncodedLength(dataLength: number, nsym: number): number {
  checkArgs(dataLength, nsym);
  if (nsym === 0) return dataLength;
  return dataLength + Math.ceil(dataLength / (255 - nsym)) * nsym;
}

/**
 * The largest data length whose encoded length fits in `encodedLength` bytes
 * (exact inverse of `rsEncodedLength`, for capacity computations).
 */
export function rsMaxDataLength(encodedLength: number, nsym: number): number {
  checkArgs(encodedLength, nsym);
  if (nsym === 0) return encodedLength;
  const full = Math.floor(encodedLength / 255);
  const rest = encodedLength - full * 255;
  // A partial codeword is worth having only if it has room for a data byte.
  return full * (255 - nsym) + (rest > nsym ? rest - nsym : 0);
}

/**
 * Reed-Solomon encode `data` with nsym parity bytes per codeword and
 * interleave the codewords so that a run of damaged bytes is spread over all
 * of them. Returns a new array of rsEncodedLength(data.length, nsym) bytes.
 */
export function rsEncodeInterleaved(data: Uint8Array, nsym: number): Uint8Array {
  checkArgs(data.length, nsym);
  if (nsym === 0) return data.slice();
  const { count, shortData, longCount } = layout(data.length, nsym);
  const total = data.length + count * nsym;
  const out = new Uint8Array(total);
  if (count === 0) return out;
  const encoder = getRsEncoder(nsym);
  const contiguous = new Uint8Array(total);
  let src = 0;
  for (let j = 0; j < count; j++) {
    const k = j < longCount ? shortData + 1 : shortData;
    const base = codewordOffset(j, shortData + nsym, longCount);
    contiguous.set(data.subarray(src, src + k), base);
    encoder.encodeInto(data, src, k, contiguous, base + k);
    src += k;
  }
  interleave(contiguous, out, count, shortData + nsym, longCount);
  return out;
}

/**
 * Inverse of `rsEncodeInterleaved`: de-interleave, correct each codeword and
 * return the `dataLength` data bytes.
 *
 * @param erasures optional mask, same length as `coded`: non-zero marks a byte
 *   known to be damaged (an erasure costs half the parity of an unknown error).
 * @throws RsDecodeFailure if any codeword is beyond repair, or if `coded` does
 *   not have the length `dataLength` implies. Never returns wrong data except
 *   for the rare RS miscorrection, which the authenticated encryption catches.
 */
export function rsDecodeInterleaved(coded: Uint8Array, dataLength: number, nsym: number, erasures?: Uint8Array): Uint8Array {
  checkArgs(dataLength, nsym);
  if (erasures && erasures.length !== coded.length) {
    throw new RangeError('Reed-Solomon: erasure mask length differs from coded length');
  }
  if (coded.length !== rsEncodedLength(dataLength, nsym)) {
    throw new RsDecodeFailure(`Reed-Solomon: expected ${rsEncodedLength(dataLength, nsym)} coded bytes, got ${coded.length}`);
  }
  if (nsym === 0) return coded.slice();
  const { count, shortData, longCount } = layout(dataLength, nsym);
  const out = new Uint8Array(dataLength);
  if (count === 0) return out;
  const shortLen = shortData + nsym;
  const work = new Uint8Array(coded.length);
  deinterleave(coded, work, count, shortLen, longCount);
  let mask: Uint8Array | null = null;
  if (erasures) {
    mask = new Uint8Array(coded.length);
    deinterleave(erasures, mask, count, shortLen, longCount);
  }
  const decoder = getRsDecoder(nsym);
  const erasedPos = new Int32Array(255);
  let dst = 0;
  for (let j = 0; j < count; j++) {
    const n = j < longCount ? shortLen + 1 : shortLen;
    const base = codewordOffset(j, shortLen, longCount);
    let f = 0;
    if (mask) {
      for (let i = 0; i < n; i++) if (mask[base + i] !== 0) erasedPos[f++] = i;
    }
    if (decoder.tryDecode(work, base, n, erasedPos, f) < 0) {
      throw new RsDecodeFailure(`Reed-Solomon: codeword ${j} of ${count} is beyond repair`);
    }
    const k = n - nsym;
    out.set(work.subarray(base, base + k), dst);
    dst += k;
  }
  return out;
}
