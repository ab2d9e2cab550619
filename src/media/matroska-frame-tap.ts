/**
 * Finds raw frames in a Matroska byte stream as it flows past, so the frames
 * that carry data can be changed in place on their way from the decoder to
 * the lossless encoder. Everything else passes through untouched, header and
 * timestamp bytes included: the encoder sees the decoder's own stream.
 *
 * The stream is FFmpeg's Matroska muxer writing `rawvideo` (V_UNCOMPRESSED)
 * with a single track. The scanner walks EBML linearly: it steps into
 * Segment, Cluster and BlockGroup, skips every other element whole, and reads
 * the 4-byte header of each SimpleBlock/Block to find its frame payload.
 */

const ID_SEGMENT = 0x18538067;
const ID_CLUSTER = 0x1f43b675;
const ID_BLOCK_GROUP = 0xa0;
const ID_BLOCK = 0xa1;
const ID_SIMPLE_BLOCK = 0xa3;
const ID_CLUSTER_TIMECODE = 0xe7;

const MASTERS = new Set([ID_SEGMENT, ID_CLUSTER, ID_BLOCK_GROUP]);

export interface FrameTapHooks {
  /** Whether frame `index` is to be changed (it is then handed to `edit` whole). */
  wants(index: number): boolean;
  /** Changes a whole raw frame in place. */
  edit(index: number, frame: Uint8Array): void;
  /** Receives the stream's bytes in order; must copy them before returning. */
  out(bytes: Uint8Array): void;
}

type State =
  | { kind: 'id' }
  | { kind: 'size' }
  | { kind: 'skip'; left: number }
  | { kind: 'uint'; left: number; value: number }
  | { kind: 'block-header'; left: number }
  | { kind: 'payload'; left: number; editing: boolean };

export class MatroskaFrameTap {
  /** Frames seen so far. */
  frames = 0;
  /** Timestamps (in the stream's timecode units, milliseconds by default) of the first and last frame seen. */
  firstTimestamp: number | undefined;
  lastTimestamp: number | undefined;
  private clusterTimecode = 0;
  private state: State = { kind: 'id' };
  /** Bytes of the vint being read (ID or size). */
  private readonly vint = new Uint8Array(8);
  private vintLength = 0;
  private vintWant = 0;
  private elementId = 0;
  private readonly header = new Uint8Array(16);
  private headerFill = 0;
  private frame: Uint8Array | undefined;
  private frameFill = 0;

  constructor(
    private readonly frameBytes: number,
    private readonly hooks: FrameTapHooks,
  ) {}

  /** Feeds the next bytes of the stream. */
  push(chunk: Uint8Array): void {
    let i = 0;
    let passFrom = 0;
    const flush = (to: number) => {
      if (to > passFrom) this.hooks.out(chunk.subarray(passFrom, to));
      passFrom = to;
    };
    while (i < chunk.length) {
      const s = this.state;
      if (s.kind === 'skip') {
        const n = Math.min(s.left, chunk.length - i);
        i += n;
        s.left -= n;
        if (s.left === 0) this.state = { kind: 'id' };
      } else if (s.kind === 'payload') {
        const n = Math.min(s.left, chunk.length - i);
        if (s.editing) {
          flush(i);
          this.frame!.set(chunk.subarray(i, i + n), this.frameFill);
          this.frameFill += n;
          passFrom = i + n;
        }
        i += n;
        s.left -= n;
        if (s.left === 0) {
          if (s.editing) {
            this.hooks.edit(this.frames, this.frame!);
            this.hooks.out(this.frame!);
          }
          this.frames++;
          this.state = { kind: 'id' };
        }
      } else if (s.kind === 'uint') {
        s.value = s.value * 256 + chunk[i++];
        s.left--;
        if (s.left === 0) {
          this.clusterTimecode = s.value;
          this.state = { kind: 'id' };
        }
      } else if (s.kind === 'block-header') {
        this.header[this.headerFill++] = chunk[i++];
        s.left--;
        if (s.left === 0) this.startPayload();
      } else {
        this.readVintByte(chunk[i++]);
      }
    }
    flush(chunk.length);
  }

  /** Throws unless the stream ended between elements (a cut stream is not a whole video). */
  end(): void {
    const s = this.state;
    const between = s.kind === 'id' && this.vintLength === 0;
    if (!between) throw new Error(`Matroska stream ended inside an element (${s.kind})`);
  }

  private readVintByte(byte: number): void {
    if (this.vintLength === 0) {
      const width = Math.clz32(byte) - 23; // leading zeros within the byte, plus one
      if (byte === 0 || width > 8) throw new Error('Matroska stream is not valid EBML');
      this.vintWant = width;
    }
    this.vint[this.vintLength++] = byte;
    if (this.vintLength < this.vintWant) return;
    const length = this.vintLength;
    this.vintLength = 0;
    if (this.state.kind === 'id') {
      let id = 0;
      for (let k = 0; k < length; k++) id = id * 256 + this.vint[k];
      this.elementId = id;
      this.state = { kind: 'size' };
      return;
    }
    // Size: the marker bit cleared; all ones means "unknown" (a streamed master).
    let size = this.vint[0] & (0xff >> length);
    let allOnes = size === 0xff >> length;
    for (let k = 1; k < length; k++) {
      size = size * 256 + this.vint[k];
      allOnes &&= this.vint[k] === 0xff;
    }
    const id = this.elementId;
    if (MASTERS.has(id)) {
      this.state = { kind: 'id' };
    } else if (allOnes) {
      throw new Error(`Matroska element ${id.toString(16)} has unknown size`);
    } else if (id === ID_SIMPLE_BLOCK || id === ID_BLOCK) {
      this.headerFill = 0;
      this.blockSize = size;
      this.state = { kind: 'block-header', left: Math.min(4, size) };
    } else if (id === ID_CLUSTER_TIMECODE && size > 0 && size <= 6) {
      this.state = { kind: 'uint', left: size, value: 0 };
    } else if (size === 0) {
      this.state = { kind: 'id' };
    } else {
      this.state = { kind: 'skip', left: size };
    }
  }

  private blockSize = 0;

  private startPayload(): void {
    // Track number (a one-byte vint for track 1), 16-bit timecode, flags.
    if ((this.header[0] & 0x80) === 0) throw new Error('Matroska block has a multi-byte track number');
    const flags = this.header[3];
    if (flags & 0x06) throw new Error('Matroska block uses lacing; raw frames never should');
    const relative = ((this.header[1] << 24) >> 16) | this.header[2]; // signed 16-bit
    const timestamp = this.clusterTimecode + relative;
    this.firstTimestamp ??= timestamp;
    this.lastTimestamp = timestamp;
    const payload = this.blockSize - 4;
    if (payload !== this.frameBytes) {
      throw new Error(`raw frame of ${payload} bytes where ${this.frameBytes} were expected`);
    }
    const editing = this.hooks.wants(this.frames);
    if (editing) {
      this.frame ??= new Uint8Array(this.frameBytes);
      this.frameFill = 0;
    }
    this.state = { kind: 'payload', left: payload, editing };
  }
}
