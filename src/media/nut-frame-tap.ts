/**
 * Finds raw frames in a NUT byte stream as it flows past, so the frames that
 * carry data can be changed in place on their way from the decoder to the
 * lossless encoder. Everything else passes through untouched, headers and
 * timestamps included: the encoder sees the decoder's own stream.
 *
 * NUT (FFmpeg's own container) carries raw video in any pixel format with
 * each frame's timestamp, which is why the pipe uses it. The scanner reads
 * the main header's frame-code table, skips every other header packet whole
 * (by its forward pointer), and decodes each frame header to learn its size.
 * Frame payloads are not checksummed in NUT, so changing them is safe.
 * Spec: https://ffmpeg.org/~michael/nut.txt (and FFmpeg's nutdec.c).
 */

/** What the tap asks of its owner, frame by frame. */
export interface FrameTapHooks {
  /** Whether frame `index` is to be changed (it is then handed to `edit` whole). */
  wants(index: number): boolean;
  /** Changes a whole raw frame in place. */
  edit(index: number, frame: Uint8Array): void;
  /** Receives the stream's bytes in order; must copy them before returning. */
  out(bytes: Uint8Array): void;
}

export const FILE_ID = 'nut/multimedia container\0';
export const MAIN_STARTCODE = 0x4e4d7a561f5f04adn;
export const STREAM_STARTCODE = 0x4e5311405bf2f9dbn;
export const SYNCPOINT_STARTCODE = 0x4e4be4adeeca4569n;
const N = 0x4e;

export const FLAG_KEY = 1;
export const FLAG_CODED_PTS = 8;
export const FLAG_STREAM_ID = 16;
export const FLAG_SIZE_MSB = 32;
export const FLAG_CHECKSUM = 64;
export const FLAG_RESERVED = 128;
const FLAG_SM_DATA = 256;
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
  u64(): bigint {
    let x = 0n;
    for (let i = 0; i < 8; i++) x = (x << 8n) | BigInt(this.byte());
    return x;
  }
}

type State =
  | { kind: 'headers' }
  | { kind: 'skip'; left: number }
  | { kind: 'payload'; left: number; editing: boolean };

export class NutFrameTap {
  /** Frames seen so far. */
  frames = 0;
  private state: State = { kind: 'headers' };
  /** Bytes not yet parsed (headers are small; payloads never land here). */
  private pending = new Uint8Array(0);
  private sawFileId = false;
  private codes: readonly FrameCode[] | undefined;
  private headerLengths: readonly number[] = [0];
  private frame: Uint8Array | undefined;
  private frameFill = 0;

  constructor(
    private readonly frameBytes: number,
    private readonly hooks: FrameTapHooks,
  ) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      const s = this.state;
      if (s.kind === 'headers') {
        // Headers are parsed from whole units: what is left of an unfinished
        // one waits in `pending` for the next chunk.
        const rest = chunk.subarray(i);
        const buf = this.pending.length ? concat(this.pending, rest) : rest;
        const used = this.parseHeaders(buf);
        this.hooks.out(buf.subarray(0, used));
        if (this.state.kind === 'headers') {
          this.pending = buf.slice(used);
          return;
        }
        i += used - this.pending.length;
        this.pending = new Uint8Array(0);
      } else if (s.kind === 'skip') {
        const n = Math.min(s.left, chunk.length - i);
        this.hooks.out(chunk.subarray(i, i + n));
        i += n;
        s.left -= n;
        if (s.left === 0) this.state = { kind: 'headers' };
      } else {
        const n = Math.min(s.left, chunk.length - i);
        if (s.editing) {
          this.frame!.set(chunk.subarray(i, i + n), this.frameFill);
          this.frameFill += n;
        } else {
          this.hooks.out(chunk.subarray(i, i + n));
        }
        i += n;
        s.left -= n;
        if (s.left === 0) {
          if (s.editing) {
            this.hooks.edit(this.frames, this.frame!);
            this.hooks.out(this.frame!);
          }
          this.frames++;
          this.state = { kind: 'headers' };
        }
      }
    }
  }

  /** Throws unless the stream ended between packets (a cut stream is not a whole video). */
  end(): void {
    if (this.state.kind !== 'headers' || this.pending.length > 0) throw new Error(`NUT stream ended inside a ${this.state.kind === 'headers' ? 'header' : this.state.kind}`);
  }

  /**
   * Parses whole units from the start of `buf` until a frame payload or a
   * header packet's body begins (state changes) or the bytes run out.
   * Returns how many bytes it consumed; consumption is all or nothing per unit.
   */
  private parseHeaders(buf: Uint8Array): number {
    let done = 0;
    while (this.state.kind === 'headers' && done < buf.length) {
      const r = new Reader(buf.subarray(done));
      try {
        this.parseUnit(r);
      } catch (e) {
        if (e instanceof NeedMore) break;
        throw e;
      }
      done += r.pos;
    }
    return done;
  }

  private parseUnit(r: Reader): void {
    if (!this.sawFileId) {
      r.skip(FILE_ID.length);
      this.sawFileId = true;
      return;
    }
    const first = r.byte();
    if (first === N) {
      r.pos = 0;
      const startcode = r.u64();
      const forward = r.v();
      if (forward > 4096) r.skip(4); // header checksum
      if (startcode === MAIN_STARTCODE) {
        // The main header is small: parse it whole from the buffer.
        const start = r.pos;
        r.skip(forward);
        this.parseMainHeader(new Reader(sliceOf(r, start, forward - 4)));
        return;
      }
      this.state = { kind: 'skip', left: forward };
      return;
    }
    if (!this.codes) throw new Error('NUT frame before the main header');
    const code = this.codes[first];
    let flags = code.flags;
    if (flags & FLAG_INVALID) throw new Error(`invalid NUT frame code ${first}`);
    if (flags & FLAG_CODED) flags ^= r.v();
    if (flags & FLAG_STREAM_ID) r.v();
    if (flags & FLAG_CODED_PTS) r.v();
    let size = code.sizeLsb;
    if (flags & FLAG_SIZE_MSB) size += code.sizeMul * r.v();
    if (flags & FLAG_MATCH_TIME) r.s();
    let headerIdx = code.headerIdx;
    if (flags & FLAG_HEADER_IDX) headerIdx = r.v();
    let reserved = code.reserved;
    if (flags & FLAG_RESERVED) reserved = r.v();
    for (let k = 0; k < reserved; k++) r.v();
    if (size > 4096) headerIdx = 0;
    size -= this.headerLengths[headerIdx] ?? 0;
    if (flags & FLAG_CHECKSUM) r.skip(4);
    if (flags & FLAG_SM_DATA) throw new Error('NUT frame with side data; raw frames never carry any');
    if (size !== this.frameBytes) throw new Error(`raw frame of ${size} bytes where ${this.frameBytes} were expected`);
    const editing = this.hooks.wants(this.frames);
    if (editing) {
      this.frame ??= new Uint8Array(this.frameBytes);
      this.frameFill = 0;
    }
    this.state = { kind: 'payload', left: size, editing };
  }

  private parseMainHeader(r: Reader): void {
    const main = parseMainHeader(r);
    this.codes = main.codes;
    this.headerLengths = main.headerLengths;
  }
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
      if (i === N) {
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

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function sliceOf(r: Reader, start: number, length: number): Uint8Array {
  return (r as unknown as { b: Uint8Array }).b.subarray(start, start + length);
}
