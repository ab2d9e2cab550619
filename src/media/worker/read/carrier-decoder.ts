/**
 * Decoding the pictures a same-format hide changes: for one decode run
 * (src/media/plan/carriers.ts: an IDR picture, the reference pictures on the
 * way, the carriers), the visible planes of each carrier as any decoder shows
 * them. The browser's own decoder (WebCodecs, native code) decodes where it
 * takes the stream's format; FFmpeg's wasm decoder everywhere else and when
 * the browser's fails. H.264 decoding is exact by its standard, and the
 * hidden data never depends on it: a carrier's samples are written raw and
 * read back raw. The decoder only gives the picture the data is hidden in.
 */
import { isVidStegaError, VidStegaError } from '../../../core/errors.ts';
import { rawFrameBytes, type FramePlanes, type VideoGeometry } from '../../../core/geometry.ts';
import type { ByteSource } from '../../formats/byte-source.ts';
import { joinAnnexB, splitLengthPrefixed } from '../../formats/h264/index.ts';
import type { DecodeRun } from '../../plan/carriers.ts';
import { planesOfRawFrame } from '../../plan/pixel-formats.ts';
import type { Core } from '../ffmpeg/core-types.ts';
import { createDeviceFile } from '../ffmpeg/devices.ts';
import { logTail, runFfmpeg } from '../ffmpeg/run.ts';
import { readSample, type H264Track } from './h264-track.ts';

/** Receives a carrier's visible planes (valid until it returns), by decode index. */
export type CarrierSink = (sample: number, planes: FramePlanes) => void;

/** The WebCodecs pixel format that holds this video's planes as they are, or undefined when none does. */
function webCodecsFormat(g: VideoGeometry, chromaArrayType: number): VideoPixelFormat | undefined {
  if (chromaArrayType === 0 || (g.bitDepth !== 8 && g.bitDepth !== 10)) return undefined;
  const base = chromaArrayType === 1 ? 'I420' : chromaArrayType === 2 ? 'I422' : 'I444';
  return (g.bitDepth === 8 ? base : `${base}P10`) as VideoPixelFormat;
}

/** The codec string WebCodecs wants for H.264 (`avc1.PPCCLL`). */
export function avcCodec(t: H264Track): string {
  const hex = (b: number) => b.toString(16).padStart(2, '0');
  return `avc1.${hex(t.config.profileIdc)}${hex(t.config.profileCompatibility)}${hex(t.config.levelIdc)}`;
}

function failure(detail: string): VidStegaError {
  return new VidStegaError('browser-decoder', { detail });
}

/**
 * One browser decoder for the runs of a hide: configured once, fed each run
 * from its IDR picture, flushed at the run's end.
 */
export class BrowserCarrierDecoder {
  private decoder: VideoDecoder | undefined;
  private readonly format: VideoPixelFormat;
  private readonly layout: PlaneLayout[];
  private readonly frame: Uint8Array;
  private error: Error | undefined;
  private readonly pending: VideoFrame[] = [];
  private wake: (() => void) | undefined;

  private constructor(
    private readonly t: H264Track,
    format: VideoPixelFormat,
  ) {
    this.format = format;
    const g = t.geometry;
    const bytes = g.bitDepth > 8 ? 2 : 1;
    let offset = 0;
    this.layout = g.planes.map((p) => {
      const l = { offset, stride: p.width * bytes };
      offset += p.width * p.height * bytes;
      return l;
    });
    this.frame = new Uint8Array(rawFrameBytes(g));
  }

  /** A decoder for this track, or undefined when the browser cannot decode it as it is. */
  static async open(t: H264Track): Promise<BrowserCarrierDecoder | undefined> {
    if (typeof VideoDecoder === 'undefined') return undefined;
    const format = webCodecsFormat(t.geometry, t.sps.chromaArrayType);
    if (!format) return undefined;
    const config = this.config(t);
    try {
      if (!(await VideoDecoder.isConfigSupported(config)).supported) return undefined;
    } catch {
      return undefined;
    }
    const d = new BrowserCarrierDecoder(t, format);
    d.decoder = new VideoDecoder({
      output: (f) => {
        d.pending.push(f);
        d.signal();
      },
      error: (e) => {
        d.error = failure(e.message);
        d.signal();
      },
    });
    d.decoder.configure(config);
    return d;
  }

  private static config(t: H264Track): VideoDecoderConfig {
    return {
      codec: avcCodec(t),
      description: t.track.sampleEntries[0].avcC,
      codedWidth: t.sps.codedWidth,
      codedHeight: t.sps.codedHeight,
      hardwareAcceleration: 'prefer-software',
    };
  }

  private signal(): void {
    this.wake?.();
    this.wake = undefined;
  }

  /**
   * Decodes `runs` one after the other, without a flush between them (each
   * starts at its IDR picture), handing each carrier to `sink` as it comes out.
   */
  async decode(src: ByteSource, runs: readonly DecodeRun[], sink: CarrierSink): Promise<void> {
    const decoder = this.decoder!;
    const { samples } = this.t;
    const byTime = new Map<number, number>();
    const wanted = new Set(runs.flatMap((r) => [...r.carriers]));
    const carriers = wanted.size;
    let got = 0;
    const take = async (f: VideoFrame) => {
      try {
        const sample = byTime.get(f.timestamp);
        if (sample === undefined) throw failure(`a frame came out at ${f.timestamp}, which no picture fed has`);
        if (!wanted.has(sample)) return;
        if (f.format !== this.format) throw failure(`the decoder gave ${f.format ?? 'opaque'} frames, not ${this.format}`);
        const g = this.t.geometry;
        if (f.visibleRect?.width !== g.planes[0].width || f.visibleRect.height !== g.planes[0].height) {
          throw failure(`the decoder gave ${f.visibleRect?.width}x${f.visibleRect?.height} frames, not ${g.planes[0].width}x${g.planes[0].height}`);
        }
        await f.copyTo(this.frame, { layout: this.layout });
        wanted.delete(sample);
        got++;
        sink(sample, planesOfRawFrame(g, this.frame));
      } finally {
        f.close();
      }
    };
    const drain = async () => {
      while (this.pending.length) await take(this.pending.shift()!);
      if (this.error) throw this.error;
    };
    try {
      for (const run of runs) for (const i of run.feed) {
        const time = samples.compositionTime[i];
        if (byTime.has(time)) throw failure('two pictures share a presentation time');
        byTime.set(time, i);
        decoder.decode(new EncodedVideoChunk({ type: i === run.feed[0] ? 'key' : 'delta', timestamp: time, data: readSample(src, this.t, i) }));
        await drain();
        while (decoder.decodeQueueSize > 4 && !this.error) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            decoder.addEventListener('dequeue', () => this.signal(), { once: true });
          });
          await drain();
        }
      }
      await decoder.flush().catch((e: unknown) => {
        throw this.error ?? failure(String(e));
      });
      await drain();
    } catch (e) {
      for (const f of this.pending.splice(0)) f.close();
      throw isVidStegaError(e, 'browser-decoder') ? e : failure(String(e));
    }
    if (got !== carriers) throw failure(`${got} of ${carriers} carrier pictures came out`);
  }

  close(): void {
    for (const f of this.pending.splice(0)) f.close();
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
  }
}

/**
 * Decodes `run` with FFmpeg's decoder: the run's pictures as a raw H.264
 * stream (the parameter sets first) in memory, every frame out in display
 * order, the carriers picked out by their place in it.
 */
export function decodeRunWithFfmpeg(core: Core, src: ByteSource, t: H264Track, run: DecodeRun, sink: CarrierSink): void {
  const nals: Uint8Array[] = [...t.config.sps, ...t.config.pps];
  for (const i of run.feed) nals.push(...splitLengthPrefixed(readSample(src, t, i), t.config.lengthSize));
  core.FS.writeFile('/run.h264', joinAnnexB(nals));
  const g = t.geometry;
  const frameBytes = rawFrameBytes(g);
  // Frames come out in display order: the carriers' places among the pictures fed.
  const display = [...run.feed].sort((a, b) => t.samples.compositionTime[a] - t.samples.compositionTime[b] || a - b);
  const wanted = new Set(run.carriers);
  const frame = new Uint8Array(frameBytes);
  let filled = 0;
  let out = 0;
  let handed = 0;
  let error: unknown;
  createDeviceFile(core, '/run.raw', {
    seekable: false,
    write: (bytes) => {
      for (let at = 0; at < bytes.length; ) {
        const n = Math.min(bytes.length - at, frameBytes - filled);
        frame.set(bytes.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === frameBytes) {
          const sample = display[out++];
          filled = 0;
          if (sample !== undefined && wanted.has(sample)) {
            try {
              sink(sample, planesOfRawFrame(g, frame));
              handed++;
            } catch (e) {
              error = e;
              return false;
            }
          }
        }
      }
      return true;
    },
  });
  const rc = runFfmpeg(core, ['-nostdin', '-v', 'error', '-f', 'h264', '-i', '/run.h264', '-map', '0:v:0', '-fps_mode', 'passthrough', '-c:v', 'rawvideo', '-f', 'rawvideo', '/run.raw']);
  core.FS.unlink('/run.raw');
  core.FS.unlink('/run.h264');
  if (error) throw error;
  if (rc !== 0) throw new VidStegaError('video-damaged', { what: 'The pictures around a carrier could not be decoded', log: logTail(core) });
  if (out !== run.feed.length || filled !== 0 || handed !== run.carriers.length) {
    throw new VidStegaError('video-damaged', { what: `${out} frames came out of ${run.feed.length} pictures around a carrier` });
  }
}
