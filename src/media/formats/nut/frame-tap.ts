/**
 * Finds raw frames in a NUT byte stream as it flows past, so the frames that
 * carry data can be changed in place on their way from the decoder to the
 * lossless encoder. Everything else passes through untouched, headers and
 * timestamps included: the encoder sees the decoder's own stream.
 *
 * The scanner reads the main header's frame-code table, skips every other
 * header packet whole (by its forward pointer), and decodes each frame header
 * to learn its size. Frame payloads are not checksummed in NUT, so changing
 * them is safe.
 */
import {
  FILE_ID,
  FLAG_CHECKSUM,
  FLAG_CODED,
  FLAG_CODED_PTS,
  FLAG_HEADER_IDX,
  FLAG_INVALID,
  FLAG_MATCH_TIME,
  FLAG_RESERVED,
  FLAG_SIZE_MSB,
  FLAG_SM_DATA,
  FLAG_STREAM_ID,
  MAIN_STARTCODE,
  NeedMore,
  Reader,
  STARTCODE_BYTE,
  parseMainHeader,
  readPacketHeader,
  type FrameCode,
} from './syntax.ts';

/** What the tap asks of its owner, frame by frame. */
export interface FrameTapHooks {
  /** Whether frame `index` is to be changed (it is then handed to `edit` whole). */
  wants(index: number): boolean;
  /** Changes a whole raw frame in place. */
  edit(index: number, frame: Uint8Array): void;
  /** Receives the stream's bytes in order; must copy them before returning. */
  out(bytes: Uint8Array): void;
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
    if (first === STARTCODE_BYTE) {
      r.pos = 0;
      const { startcode, forward } = readPacketHeader(r);
      if (startcode === MAIN_STARTCODE) {
        // The main header is small: parse it whole from the buffer.
        const start = r.pos;
        r.skip(forward);
        this.parseMainHeader(new Reader(r.view(start, forward - 4)));
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

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
