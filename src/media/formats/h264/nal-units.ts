/**
 * NAL units (7.3.1, 7.4.1, Annex B): their header fields, the two ways a
 * stream frames them (length prefixes in MP4/MOV samples, start codes in a
 * raw `.h264` stream), and emulation prevention: the 0x03 bytes that keep
 * 00 00 0x (x <= 3) from appearing inside a NAL unit, removed to get the RBSP
 * and inserted to make a NAL unit of one.
 *
 * Splitting returns views into the input, never copies. Emulation prevention
 * works over multi-megabyte I_PCM payloads, so both directions are single
 * passes that copy runs between zero bytes in bulk.
 */
import { H264SyntaxError } from './bit-reader.ts';

/** nal_unit_type values (Table 7-1) this library names. */
export const NalType = {
  nonIdrSlice: 1,
  partitionA: 2,
  partitionB: 3,
  partitionC: 4,
  idrSlice: 5,
  sei: 6,
  sps: 7,
  pps: 8,
  accessUnitDelimiter: 9,
  endOfSequence: 10,
  endOfStream: 11,
  filler: 12,
  spsExtension: 13,
  prefix: 14,
  subsetSps: 15,
  depthParameterSet: 16,
  auxiliarySlice: 19,
  sliceExtension: 20,
  sliceExtensionDepth: 21,
} as const;

/** nal_unit_type: the low five bits of the first byte. */
export function nalUnitType(nal: Uint8Array): number {
  return nal[0] & 0x1f;
}

/** nal_ref_idc: 0 for a picture nothing references. */
export function nalRefIdc(nal: Uint8Array): number {
  return (nal[0] >> 5) & 3;
}

/** forbidden_zero_bit: 1 marks a NAL unit known to be damaged. */
export function forbiddenZeroBit(nal: Uint8Array): number {
  return nal[0] >> 7;
}

/** Whether a nal_unit_type carries slice data of the primary coded picture (types 1 to 5). */
export function isVclNalType(type: number): boolean {
  return type >= 1 && type <= 5;
}

/** Bytes of the NAL unit header: 1, or 4 for the SVC/MVC/3D types 14, 20 and 21. */
export function nalHeaderBytes(nal: Uint8Array): number {
  const t = nal[0] & 0x1f;
  return t === 14 || t === 20 || t === 21 ? 4 : 1;
}

/**
 * Splits a length-prefixed sample (as MP4/MOV store H.264: each NAL unit
 * after a big-endian length of `lengthSize` bytes, as avcC says) into views
 * of its NAL units.
 * @throws H264SyntaxError when the lengths do not frame the sample exactly.
 */
export function splitLengthPrefixed(sample: Uint8Array, lengthSize: number): Uint8Array[] {
  checkLengthSize(lengthSize);
  const out: Uint8Array[] = [];
  let i = 0;
  const n = sample.length;
  while (i < n) {
    if (i + lengthSize > n) throw new H264SyntaxError('NAL unit length runs past the end of the sample');
    let len = 0;
    for (let k = 0; k < lengthSize; k++) len = len * 256 + sample[i + k];
    i += lengthSize;
    if (len === 0 || i + len > n) throw new H264SyntaxError('NAL unit length does not fit the sample');
    out.push(sample.subarray(i, i + len));
    i += len;
  }
  return out;
}

/**
 * NAL units as the pieces of a length-prefixed sample, in order: each NAL
 * unit's length, then the NAL unit itself (not copied).
 * @throws RangeError when a NAL unit is too long for `lengthSize`.
 */
export function lengthPrefixedParts(nals: readonly Uint8Array[], lengthSize: number): Uint8Array[] {
  checkLengthSize(lengthSize);
  const max = 2 ** (8 * lengthSize) - 1;
  const parts: Uint8Array[] = [];
  for (const nal of nals) {
    if (nal.length > max) throw new RangeError(`a ${nal.length}-byte NAL unit does not fit a ${lengthSize}-byte length`);
    const prefix = new Uint8Array(lengthSize);
    for (let k = lengthSize - 1, len = nal.length; k >= 0; k--, len = Math.floor(len / 256)) prefix[k] = len & 0xff;
    parts.push(prefix, nal);
  }
  return parts;
}

/**
 * Joins NAL units into one length-prefixed sample.
 * @throws RangeError when a NAL unit is too long for `lengthSize`.
 */
export function joinLengthPrefixed(nals: readonly Uint8Array[], lengthSize: number): Uint8Array {
  return joinParts(lengthPrefixedParts(nals, lengthSize));
}

/** Byte arrays one after the other in one new array. */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function checkLengthSize(lengthSize: number): void {
  if (lengthSize !== 1 && lengthSize !== 2 && lengthSize !== 4) throw new RangeError(`NAL length size ${lengthSize} is not 1, 2 or 4`);
}

/**
 * Splits an Annex B byte stream (start codes 00 00 01 or 00 00 00 01) into
 * views of its NAL units. Zero bytes before a start code (leading_zero_8bits,
 * trailing_zero_8bits) are not part of any NAL unit.
 */
export function splitAnnexB(stream: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const n = stream.length;
  let start = -1;
  let i = 0;
  while (i + 2 < n) {
    // Find the next 00 00 01.
    const z = stream.indexOf(0, i);
    if (z < 0 || z + 2 >= n) break;
    if (stream[z + 1] !== 0) {
      i = z + 2;
      continue;
    }
    if (stream[z + 2] === 1) {
      if (start >= 0) out.push(stream.subarray(start, trimZeros(stream, start, z)));
      start = z + 3;
      i = start;
    } else {
      i = z + 1;
    }
  }
  if (start >= 0 && start < n) out.push(stream.subarray(start, trimZeros(stream, start, n)));
  return out.filter((nal) => nal.length > 0);
}

/** The end of `stream[start .. end)` without its trailing zero bytes. */
function trimZeros(stream: Uint8Array, start: number, end: number): number {
  while (end > start && stream[end - 1] === 0) end--;
  return end;
}

/** Joins NAL units into an Annex B byte stream, each after a four-byte start code. */
export function joinAnnexB(nals: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const nal of nals) total += 4 + nal.length;
  const out = new Uint8Array(total);
  let p = 0;
  for (const nal of nals) {
    out[p + 3] = 1;
    p += 4;
    out.set(nal, p);
    p += nal.length;
  }
  return out;
}

/** Runs shorter than this are copied byte by byte: a typed-array view per run would cost more. */
const BULK_COPY = 48;

/**
 * Zero bytes closer together than this switch the scan to a plain byte loop
 * for {@link DENSE_BLOCK} bytes: on flat content (a black frame's samples are
 * all zeros, and every third byte of its NAL unit is a 0x03) a search per
 * zero byte costs far more than looking at each byte.
 */
const DENSE_GAP = 16;
const DENSE_BLOCK = 512;

/** Copies `src[from .. to)` to `dst` at `at`; returns the position after it. */
function copyRun(src: Uint8Array, from: number, to: number, dst: Uint8Array, at: number): number {
  const n = to - from;
  if (n > BULK_COPY) {
    dst.set(src.subarray(from, to), at);
    return at + n;
  }
  for (let k = from; k < to; k++) dst[at++] = src[k];
  return at;
}

/**
 * Removes emulation prevention bytes from `src[start .. end)` into
 * `dst[0 ..)`, as a decoder reads a NAL unit (7.3.1: every 0x03 after two
 * zero bytes is dropped). `dst` needs `end - start` bytes.
 * @returns the number of bytes written.
 */
export function removeEmulationPrevention(src: Uint8Array, start: number, end: number, dst: Uint8Array): number {
  let w = 0;
  let runStart = start;
  let i = start;
  // At `i`, no zero byte is pending: the bytes before it end in a non-zero byte or a dropped 0x03.
  while (i + 2 < end) {
    const z = src.indexOf(0, i);
    if (z < 0 || z + 2 >= end) break;
    if (z - i < DENSE_GAP) {
      w = copyRun(src, runStart, i, dst, w);
      let zeros = 0;
      let k = i;
      const stop = Math.min(end, i + DENSE_BLOCK);
      for (; k < end && (k < stop || zeros > 0); k++) {
        const b = src[k];
        if (zeros >= 2 && b === 3) {
          zeros = 0;
          continue;
        }
        dst[w++] = b;
        zeros = b === 0 ? zeros + 1 : 0;
      }
      runStart = i = k;
      continue;
    }
    if (src[z + 1] !== 0) {
      i = z + 2;
      continue;
    }
    if (src[z + 2] === 3) {
      w = copyRun(src, runStart, z + 2, dst, w);
      runStart = z + 3;
      i = z + 3;
    } else {
      i = z + 1;
    }
  }
  return copyRun(src, runStart, end, dst, w);
}

/**
 * The RBSP of a NAL unit (its payload after the header, emulation prevention
 * removed). Writes into `scratch` when it is large enough and returns a view
 * of it; otherwise allocates.
 */
export function nalToRbsp(nal: Uint8Array, scratch?: Uint8Array): Uint8Array {
  const h = nalHeaderBytes(nal);
  const need = Math.max(0, nal.length - h);
  const dst = scratch && scratch.length >= need ? scratch : new Uint8Array(need);
  if (need === 0) return dst.subarray(0, 0);
  return dst.subarray(0, removeEmulationPrevention(nal, h, nal.length, dst));
}

/** The most bytes escaping `n` RBSP bytes can produce. */
export function maxEscapedLength(n: number): number {
  return n + Math.ceil(n / 2) + 1;
}

/**
 * Inserts emulation prevention bytes while copying RBSP bytes into a NAL
 * unit, in pieces: the state (zero bytes just written) carries from one
 * `write` to the next, so a payload written piece by piece is escaped
 * exactly as if written at once. Start one per NAL unit, after its header.
 */
export class EmulationPreventionWriter {
  /** Zero bytes at the end of what was written (0, 1 or 2). */
  zeros = 0;

  /** Forgets the state: the next byte starts a NAL unit's payload. */
  reset(): void {
    this.zeros = 0;
  }

  /**
   * Escapes `src[start .. end)` into `dst` at `dstPos`; `dst` needs
   * `maxEscapedLength(end - start)` bytes there.
   * @returns the position after the last byte written.
   */
  write(src: Uint8Array, start: number, end: number, dst: Uint8Array, dstPos: number): number {
    let zeros = this.zeros;
    let d = dstPos;
    let i = start;
    // Zeros left by the previous piece: byte by byte until the count is back to 0.
    while (i < end && zeros > 0) {
      const b = src[i++];
      if (zeros === 2 && b <= 3) {
        dst[d++] = 3;
        zeros = 0;
      }
      dst[d++] = b;
      zeros = b === 0 ? zeros + 1 : 0;
    }
    if (i === end) {
      this.zeros = zeros;
      return d;
    }
    // From here the count is 0 at `i`: look for 00 00 followed by a byte <= 3, copying the runs between in bulk.
    let runStart = i;
    while (i < end) {
      const z = src.indexOf(0, i);
      if (z < 0 || z + 2 >= end) break;
      if (z - i < DENSE_GAP) {
        // Many zeros: a byte loop for a block, and on until the count is back to 0.
        d = copyRun(src, runStart, i, dst, d);
        let k = i;
        const stop = Math.min(end, i + DENSE_BLOCK);
        for (; k < end && (k < stop || zeros > 0); k++) {
          const b = src[k];
          if (zeros === 2 && b <= 3) {
            dst[d++] = 3;
            zeros = 0;
          }
          dst[d++] = b;
          zeros = b === 0 ? zeros + 1 : 0;
        }
        runStart = i = k;
        if (k === end) {
          this.zeros = zeros;
          return d;
        }
        continue;
      }
      if (src[z + 1] !== 0) {
        i = z + 2;
      } else if (src[z + 2] <= 3) {
        d = copyRun(src, runStart, z + 2, dst, d);
        dst[d++] = 3;
        runStart = z + 2;
        i = z + 2;
      } else {
        i = z + 3;
      }
    }
    d = copyRun(src, runStart, end, dst, d);
    // Trailing zeros since the last 0x03 (at most two matter).
    zeros = 0;
    for (let k = end - 1; k >= runStart && zeros < 2 && src[k] === 0; k--) zeros++;
    this.zeros = zeros;
    return d;
  }

  /**
   * Ends a NAL unit: a payload may not end in a zero byte (only
   * cabac_zero_words do), so one gets a 0x03 after it.
   * @returns the position after the last byte written.
   */
  finish(dst: Uint8Array, dstPos: number): number {
    if (this.zeros > 0) dst[dstPos++] = 3;
    this.zeros = 0;
    return dstPos;
  }
}

/** Escapes a whole RBSP into a new NAL unit with the given one-byte header. */
export function rbspToNal(header: number, rbsp: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + maxEscapedLength(rbsp.length));
  out[0] = header;
  const w = new EmulationPreventionWriter();
  let end = w.write(rbsp, 0, rbsp.length, out, 1);
  end = w.finish(out, end);
  return out.slice(0, end);
}
