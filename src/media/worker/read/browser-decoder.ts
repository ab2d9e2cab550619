/**
 * Decoding with the browser's own video decoder (WebCodecs) instead of
 * FFmpeg's wasm build: Chromium's software H.264 decoder is native code, and
 * on 1440p it uses about half the CPU of the wasm decoder per frame, which a
 * hide spends on FFV1 instead.
 *
 * Only where the result is provably the same: 8-bit 4:2:0 H.264 in MP4/MOV,
 * whose packets the table locates in the file. A trial decodes the first
 * frames both ways and compares them byte for byte before a hide uses it;
 * every packet read is checked against the checksum FFmpeg's demuxer took;
 * every frame must come out at the timestamp FFmpeg gives it. Anything else,
 * or any failure here, and the hide decodes that part with FFmpeg.
 */
import { isVidStegaError, VidStegaError } from '../../../core/errors.ts';
import type { VideoGeometry } from '../../../core/geometry.ts';
import { KEY, adler32 } from '../../plan/packet-table.ts';
import type { SegmentPackets } from '../../plan/segments.ts';
import type { BrowserDecoding } from '../../shared/engine-api.ts';

/** A source timestamp in the NUT stream's time base; only exact results are allowed. */
export function nutPts(pts: number, scale: BrowserDecoding['ptsScale']): number {
  const num = BigInt(pts) * BigInt(scale.mul);
  const div = BigInt(scale.div);
  if (num % div !== 0n) throw failure(`the timestamp ${pts} has no exact place in FFmpeg's time base`);
  return Number(num / div);
}

/** Every failure here is of this kind: the hide does that part again with FFmpeg's decoder. */
function failure(detail: string): VidStegaError {
  return new VidStegaError('browser-decoder', { detail });
}

/** The codec string WebCodecs wants for H.264 (`avc1.PPCCLL`), from the stream's avcC record. */
export function avcCodecString(avcC: Uint8Array): string {
  if (avcC.length < 7 || avcC[0] !== 1) throw new Error('not an avcC record');
  return `avc1.${[avcC[1], avcC[2], avcC[3]].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Whether FFmpeg's packet listing and decoder agree this video can go through WebCodecs at all. */
export function browserDecodable(codec: string, pixFmt: string, container: string): boolean {
  return codec === 'h264' && (pixFmt === 'yuv420p' || pixFmt === 'yuvj420p') && /(^|,)(mov|mp4)(,|$)/.test(container) && typeof VideoDecoder !== 'undefined';
}

/** Reads packets out of the file in batches of nearby bytes, checking each against its checksum. */
class PacketReader {
  private buffer = new Uint8Array(0);
  private bufferStart = 0;

  constructor(
    private readonly file: Blob,
    private readonly t: SegmentPackets,
  ) {}

  async packet(i: number): Promise<Uint8Array> {
    const { pos, size } = this.t;
    const start = pos[i];
    const end = start + size[i];
    if (start < this.bufferStart || end > this.bufferStart + this.buffer.length) {
      // Read ahead over the next packets while they lie close together.
      let last = end;
      for (let j = i + 1; j < pos.length && pos[j] >= start && pos[j] + size[j] - start <= READ_AHEAD; j++) last = Math.max(last, pos[j] + size[j]);
      if (last > this.file.size) throw failure('a packet lies past the end of the file');
      this.buffer = new Uint8Array(await this.file.slice(start, last).arrayBuffer());
      this.bufferStart = start;
    }
    const data = this.buffer.subarray(start - this.bufferStart, end - this.bufferStart);
    if (adler32(data) !== this.t.adler[i]) throw failure(`packet ${i} differs from what FFmpeg read`);
    return data;
  }
}

const READ_AHEAD = 8 * 1024 * 1024;
/** Chunks waiting in the decoder before feeding pauses. */
const MAX_QUEUE = 6;

/**
 * Decodes a segment's packets and hands each frame, in presentation order,
 * to `onFrame` as tightly packed planes (valid until it returns). Resolves
 * with the number of frames.
 */
export async function decodeInBrowser(
  file: Blob,
  packets: SegmentPackets,
  decoding: BrowserDecoding,
  geometry: VideoGeometry,
  onFrame: (index: number, pts: number, frame: Uint8Array) => void,
): Promise<number> {
  if (geometry.bitDepth !== 8 || geometry.planes.length !== 3) throw failure('only 8-bit 4:2:0 is decoded in the browser');
  const [y, u] = geometry.planes;
  const layout: PlaneLayout[] = [
    { offset: 0, stride: y.width },
    { offset: y.width * y.height, stride: u.width },
    { offset: y.width * y.height + u.width * u.height, stride: u.width },
  ];
  const frame = new Uint8Array(y.width * y.height + 2 * u.width * u.height);
  const ready: VideoFrame[] = [];
  let error: Error | undefined;
  let wake: (() => void) | undefined;
  const signal = () => {
    wake?.();
    wake = undefined;
  };
  const decoder = new VideoDecoder({
    output: (f) => {
      ready.push(f);
      signal();
    },
    error: (e) => {
      error = failure(e.message);
      signal();
    },
  });
  decoder.addEventListener('dequeue', signal);
  let done = 0;

  const take = async (f: VideoFrame) => {
    try {
      if (f.format !== 'I420') throw failure(`the decoder gave ${f.format ?? 'opaque'} frames, not I420`);
      if (f.visibleRect?.width !== y.width || f.visibleRect.height !== y.height) {
        throw failure(`the decoder gave ${f.visibleRect?.width}x${f.visibleRect?.height} frames, not ${y.width}x${y.height}`);
      }
      if (done >= packets.framePts.length) throw failure('the decoder gave more frames than there are packets');
      const pts = packets.framePts[done];
      if (f.timestamp !== pts) throw failure(`frame ${done} came out at ${f.timestamp}, not at ${pts}`);
      await f.copyTo(frame, { layout });
    } catch (e) {
      throw isVidStegaError(e, 'browser-decoder') ? e : failure(String(e));
    } finally {
      f.close();
    }
    onFrame(done, packets.framePts[done], frame);
    done++;
  };
  const drain = async () => {
    while (ready.length) await take(ready.shift()!);
    if (error) throw error;
  };
  const waitForDecoder = () => new Promise<void>((resolve) => (wake = resolve));

  try {
    try {
      decoder.configure({ ...decoding.config, hardwareAcceleration: 'prefer-software' });
    } catch (e) {
      throw failure(String(e));
    }
    const read = new PacketReader(file, packets);
    for (let i = 0; i < packets.pts.length; i++) {
      const data = await read.packet(i);
      decoder.decode(new EncodedVideoChunk({ type: packets.flags[i] & KEY ? 'key' : 'delta', timestamp: packets.pts[i], data }));
      await drain();
      while (decoder.decodeQueueSize > MAX_QUEUE && !error) {
        await waitForDecoder();
        await drain();
      }
    }
    try {
      await decoder.flush();
    } catch (e) {
      throw error ?? failure(String(e));
    }
    await drain();
    if (done !== packets.framePts.length) throw failure(`${done} frames came out of ${packets.framePts.length} packets`);
    return done;
  } finally {
    for (const f of ready) f.close();
    if (decoder.state !== 'closed') decoder.close();
  }
}
