/**
 * Writes raw video frames as a NUT stream, for frames decoded outside FFmpeg
 * (WebCodecs) on their way to the FFV1 encoder.
 *
 * The stream's headers are FFmpeg's own: the ones its NUT muxer wrote for the
 * same video's raw frames (pixel format tag, size, aspect ratio, time base),
 * so the encoder sees the very stream it would see from the wasm decoder.
 * This module writes only what follows them: for each frame a syncpoint and a
 * frame header with the full timestamp, as FFmpeg's muxer does for raw
 * keyframes. Spec: https://ffmpeg.org/~michael/nut.txt.
 */
import {
  FILE_ID,
  FLAG_CHECKSUM,
  FLAG_CODED,
  FLAG_CODED_PTS,
  FLAG_HEADER_IDX,
  FLAG_INVALID,
  FLAG_KEY,
  FLAG_MATCH_TIME,
  FLAG_RESERVED,
  FLAG_SIZE_MSB,
  FLAG_STREAM_ID,
  MAIN_STARTCODE,
  STREAM_STARTCODE,
  SYNCPOINT_STARTCODE,
  STARTCODE_BYTE,
  Reader,
  parseMainHeader,
  readPacketHeader,
  type FrameCode,
  type MainHeader,
} from './syntax.ts';

/** NUT's checksum: CRC-32 with generator 0x04C11DB7, most significant bit first, starting at 0. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function nutChecksum(bytes: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < bytes.length; i++) c = ((c << 8) ^ CRC_TABLE[((c >>> 24) ^ bytes[i]) & 0xff]) >>> 0;
  return c;
}

/** The parts of a NUT stream's headers that frames written after them depend on. */
export interface NutStreamHeaders {
  /** Every byte before the first syncpoint: file id, main, stream and info headers. */
  readonly bytes: Uint8Array;
  readonly main: MainHeader;
  /** Stream 0's time base, as an index into the main header's list. */
  readonly timeBaseId: number;
  readonly msbPtsShift: number;
}

/**
 * The headers at the start of a NUT stream FFmpeg wrote with one video
 * stream: every packet before the first syncpoint, or up to the end of
 * `stream` when that holds only headers.
 */
export function readNutHeaders(stream: Uint8Array): NutStreamHeaders {
  const id = new TextEncoder().encode(FILE_ID);
  if (stream.length < id.length || id.some((b, i) => stream[i] !== b)) throw new Error('not a NUT stream');
  let pos = id.length;
  let main: MainHeader | undefined;
  let streamInfo: { timeBaseId: number; msbPtsShift: number } | undefined;
  while (pos < stream.length) {
    const r = new Reader(stream.subarray(pos));
    if (stream[pos] !== STARTCODE_BYTE) throw new Error('a NUT frame before the first syncpoint');
    const { startcode, forward } = readPacketHeader(r);
    if (startcode === SYNCPOINT_STARTCODE) break;
    const body = stream.subarray(pos + r.pos, pos + r.pos + forward - 4);
    if (startcode === MAIN_STARTCODE) main = parseMainHeader(new Reader(body));
    if (startcode === STREAM_STARTCODE) {
      const s = new Reader(body);
      const streamId = s.v();
      s.v(); // class
      s.skip(s.v()); // fourcc
      const timeBaseId = s.v();
      const msbPtsShift = s.v();
      if (streamId === 0) streamInfo = { timeBaseId, msbPtsShift };
    }
    pos += r.pos + forward;
    if (pos > stream.length) throw new Error('NUT headers cut short');
  }
  if (!main || !streamInfo) throw new Error('NUT headers without a main or stream header');
  return { bytes: stream.slice(0, pos), main, ...streamInfo };
}

/** Appends NUT's variable-length unsigned numbers and raw bytes. */
class ByteWriter {
  private buf = new Uint8Array(64);
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.length++] = b;
  }
  v(x: number): void {
    if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`NUT cannot write ${x} as an unsigned number`);
    const groups: number[] = [];
    do {
      groups.push(x % 128);
      x = Math.floor(x / 128);
    } while (x > 0);
    for (let i = groups.length - 1; i >= 0; i--) this.byte(groups[i] | (i > 0 ? 0x80 : 0));
  }
  u32(x: number): void {
    for (const shift of [24, 16, 8, 0]) this.byte((x >>> shift) & 0xff);
  }
  u64(x: bigint): void {
    for (let shift = 56n; shift >= 0n; shift -= 8n) this.byte(Number((x >> shift) & 0xffn));
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const WANTED = FLAG_KEY | FLAG_CODED_PTS | FLAG_STREAM_ID | FLAG_SIZE_MSB | FLAG_CHECKSUM | FLAG_CODED;

/** A frame code that lets every field be coded explicitly, and the flags to write with it. */
function escapeCode(main: MainHeader): { code: number; frameCode: FrameCode } {
  for (let code = 0; code < 256; code++) {
    const c = main.codes[code];
    if (!c || c.flags & FLAG_INVALID || !(c.flags & FLAG_CODED) || c.sizeMul !== 1) continue;
    if ((main.headerLengths[c.headerIdx] ?? 0) !== 0) continue; // no elided bytes
    // Fields the written flags do not turn off must not be read: keep codes that set none of them.
    if ((c.flags ^ WANTED) & WANTED & (FLAG_MATCH_TIME | FLAG_HEADER_IDX | FLAG_RESERVED)) continue;
    return { code, frameCode: c };
  }
  throw new Error('the NUT headers have no escape frame code');
}

/**
 * Frame by frame, the bytes that go before each raw frame: a syncpoint, then
 * a frame header (explicit flags, stream 0, full timestamp, size, checksum).
 */
export class NutFrameWriter {
  private readonly escape: { code: number; frameCode: FrameCode };
  private readonly timeBaseCount: number;
  /** Bytes of the stream so far, headers included: syncpoints point back by position. */
  private position: number;
  private lastSyncpoint = 0;

  constructor(private readonly headers: NutStreamHeaders) {
    this.escape = escapeCode(headers.main);
    this.timeBaseCount = headers.main.timeBases.length;
    this.position = headers.bytes.length;
  }

  /** What goes before a frame of `size` bytes at `pts` (in stream 0's time base). */
  frameHeader(pts: number, size: number): Uint8Array {
    if (!Number.isSafeInteger(pts) || pts < 0) throw new RangeError(`NUT cannot carry the timestamp ${pts}`);
    const out = new ByteWriter();

    // Syncpoint: start code, forward pointer, body, CRC of the body.
    const sync = new ByteWriter();
    sync.v(pts * this.timeBaseCount + this.headers.timeBaseId);
    const here = this.position;
    sync.v(this.lastSyncpoint ? Math.floor((here - this.lastSyncpoint) / 16) : 0);
    const body = sync.result();
    out.u64(SYNCPOINT_STARTCODE);
    out.v(body.length + 4);
    out.bytes(body);
    out.u32(nutChecksum(body));
    this.lastSyncpoint = here;

    // Frame header: every field coded, then the CRC of the header itself.
    const { code, frameCode } = this.escape;
    const flags = WANTED;
    const header = new ByteWriter();
    header.byte(code);
    header.v(flags ^ frameCode.flags);
    header.v(0); // stream id
    header.v(pts + 2 ** this.headers.msbPtsShift);
    const coded = size - frameCode.sizeLsb;
    if (coded < 0) throw new RangeError(`a ${size}-byte frame is too small for this frame code`);
    header.v(coded);
    for (let k = 0; k < frameCode.reserved; k++) header.v(0);
    const h = header.result();
    out.bytes(h);
    out.u32(nutChecksum(h));

    const result = out.result();
    this.position += result.length + size;
    return result;
  }
}
