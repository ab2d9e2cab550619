/**
 * NUT's syntax, as far as VidStega reads and writes it: the start codes and
 * frame flags, the variable-length fields, a packet's header, and the main
 * header's frame-code table. NUT (FFmpeg's own container) carries raw video
 * in any pixel format with each frame's timestamp, which is why the engine's
 * pipes use it. Spec: https://ffmpeg.org/~michael/nut.txt (and FFmpeg's
 * nutdec.c).
 */

export const FILE_ID = 'nut/multimedia container\0';
export const MAIN_STARTCODE = 0x4e4d7a561f5f04adn;
export const STREAM_STARTCODE = 0x4e5311405bf2f9dbn;
export const SYNCPOINT_STARTCODE = 0x4e4be4adeeca4569n;
/** The first byte of every start code. */
export const STARTCODE_BYTE = 0x4e;

export const FLAG_KEY = 1;
export const FLAG_CODED_PTS = 8;
export const FLAG_STREAM_ID = 16;
export const FLAG_SIZE_MSB = 32;
export const FLAG_CHECKSUM = 64;
export const FLAG_RESERVED = 128;
export const FLAG_SM_DATA = 256;
export const FLAG_HEADER_IDX = 1024;
export const FLAG_MATCH_TIME = 2048;
export const FLAG_CODED = 4096;
export const FLAG_INVALID = 8192;

export interface FrameCode {
  flags: number;
  sizeMul: number;
  sizeLsb: number;
  reserved: number;
  headerIdx: number;
}

/** Thrown by the reader when the buffered bytes end mid-field: wait for more. */
export class NeedMore extends Error {}

/** Reads NUT's fields (v, s, u64) from a buffer; throws NeedMore where it ends. */
export class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}
  byte(): number {
    if (this.pos >= this.b.length) throw new NeedMore();
    return this.b[this.pos++];
  }
  v(): number {
    let x = 0;
    for (;;) {
      const c = this.byte();
      x = x * 128 + (c & 0x7f);
      if (!(c & 0x80)) return x;
      if (x > Number.MAX_SAFE_INTEGER / 256) throw new Error('NUT varint too large');
    }
  }
  s(): number {
    const v = this.v() + 1;
    return v % 2 ? -Math.floor(v / 2) : v / 2;
  }
  skip(n: number): void {
    if (this.pos + n > this.b.length) throw new NeedMore();
    this.pos += n;
  }
  /** A view of `length` bytes from `start` of what is read. */
  view(start: number, length: number): Uint8Array {
    if (start + length > this.b.length) throw new NeedMore();
    return this.b.subarray(start, start + length);
  }
  u64(): bigint {
    let x = 0n;
    for (let i = 0; i < 8; i++) x = (x << 8n) | BigInt(this.byte());
    return x;
  }
}


/** A header packet's start: its start code and the length of what follows (body and checksum). */
export interface PacketHeader {
  readonly startcode: bigint;
  readonly forward: number;
}

/** Reads a packet header: start code, forward pointer, and the header checksum that long packets carry. */
export function readPacketHeader(r: Reader): PacketHeader {
  const startcode = r.u64();
  const forward = r.v();
  if (forward > 4096) r.skip(4); // header checksum
  return { startcode, forward };
}

/** What a NUT main header says, as far as reading and writing frames needs. */
export interface MainHeader {
  readonly maxDistance: number;
  readonly timeBases: readonly { num: number; den: number }[];
  readonly codes: readonly FrameCode[];
  /** Header elision lengths by index (index 0 is none). */
  readonly headerLengths: readonly number[];
}

/** Parses a main header's body (after its packet header, without its checksum). */
export function parseMainHeader(r: Reader): MainHeader {
  const version = r.v();
  if (version > 3) r.v(); // minor version
  r.v(); // stream count
  const maxDistance = r.v();
  const timeBaseCount = r.v();
  const timeBases: { num: number; den: number }[] = [];
  for (let k = 0; k < timeBaseCount; k++) timeBases.push({ num: r.v(), den: r.v() });
  const codes: FrameCode[] = new Array(256);
  let mul = 1;
  let headIdx = 0;
  for (let i = 0; i < 256; ) {
    const flags = r.v();
    let fields = r.v();
    if (fields > 0) r.s(); // pts delta
    if (fields > 1) mul = r.v();
    if (fields > 2) r.v(); // stream id
    const size = fields > 3 ? r.v() : 0;
    const res = fields > 4 ? r.v() : 0;
    const count = fields > 5 ? r.v() : mul - size;
    if (fields > 6) r.s(); // match time delta
    if (fields > 7) headIdx = r.v();
    while (fields-- > 8) r.v();
    if (count <= 0 || count > 256 - i) throw new Error('bad NUT frame-code table');
    for (let j = 0; j < count && i < 256; j++, i++) {
      if (i === STARTCODE_BYTE) {
        codes[i] = { flags: FLAG_INVALID, sizeMul: 1, sizeLsb: 0, reserved: 0, headerIdx: 0 };
        j--;
        continue;
      }
      codes[i] = { flags, sizeMul: mul, sizeLsb: size + j, reserved: res, headerIdx: headIdx };
    }
  }
  // Header elision tables (unused for raw video, but sizes depend on them).
  let headerLengths = [0];
  try {
    const count = r.v() + 1;
    const lengths = [0];
    for (let k = 1; k < count; k++) {
      const len = r.v();
      r.skip(len);
      lengths.push(len);
    }
    headerLengths = lengths;
  } catch (e) {
    if (!(e instanceof NeedMore)) throw e;
  }
  return { maxDistance, timeBases, codes, headerLengths };
}

