/**
 * The engine worker's API: what the page may ask of an engine worker, with
 * the plain data that crosses (structured clones, SharedArrayBuffers).
 * `src/media/worker/engine.ts` builds an object of this type and the worker
 * entry exposes it over Comlink; the page wraps a worker as
 * `Remote<EngineApi>` (src/media/page/workers.ts). Neither side imports the
 * other's code.
 */
import type { Payload } from '../../core/container.ts';
import type { VideoGeometry } from '../../core/geometry.ts';
import type { HideSettings } from '../../core/settings.ts';
import type { BodyReader, HidePlan } from '../../core/stego.ts';
import type { VideoPackets } from '../plan/packet-table.ts';
import type { Segment, SegmentPackets } from '../plan/segments.ts';
import type { ColourTags } from '../plan/video-info.ts';
import type { VideoInfo } from '../plan/video-info.ts';
import type { BytePipeBuffers } from './byte-pipe.ts';
import type { DisplayFrame, FrameComparison } from './jobs.ts';

/** How workers decode with the browser's decoder (WebCodecs), as the trial found it. */
export interface BrowserDecoding {
  readonly config: { codec: string; description: Uint8Array; codedWidth: number; codedHeight: number };
  /** What FFmpeg's NUT muxer writes before the first frame of this video's raw frames. */
  readonly nutHeaders: Uint8Array;
  /** Source timestamps become NUT's (whose time base FFmpeg chooses) by × mul / div, exactly. */
  readonly ptsScale: { readonly mul: number; readonly div: number };
}

/** One segment for a decoder worker: decode, hide in the frames that carry data, send down the pipe. */
export interface DecodeJob {
  readonly file: File;
  readonly segment: Segment;
  readonly plan: HidePlan;
  readonly pipe: BytePipeBuffers;
  /** Frames done so far are written to `progress[slot]` (Int32). */
  readonly progress: SharedArrayBuffer;
  readonly slot: number;
}

/** As {@link DecodeJob}, with the browser's decoder reading the segment's packets straight from the file. */
export interface BrowserDecodeJob extends DecodeJob {
  readonly decoding: BrowserDecoding;
  readonly packets: SegmentPackets;
}

/** One segment for an encoder worker: frames from the pipe to FFV1, into a file of the job. */
export interface EncodeJob {
  readonly colour: ColourTags;
  readonly jobId: string;
  readonly name: string;
  readonly pipe: BytePipeBuffers;
}

/** The joiner's job: the encoded segments and the source's other streams, into the output. */
export interface MuxJob {
  readonly jobId: string;
  readonly file: File;
  readonly info: VideoInfo;
  readonly segmentNames: readonly string[];
  readonly durationsMs: readonly number[];
  readonly firstFrameMs: number;
  readonly outName: string;
}

/** Symbols read from one body frame by a helper worker of a reveal. */
export interface FrameSymbols {
  readonly frame: number;
  readonly symbols: Uint8Array;
}

export interface EngineApi {
  /** What is inside a video, read in place. */
  probeFile(file: File): Promise<VideoInfo>;

  // A hide, lossless path (src/media/page/hide-job.ts runs these in order).
  /** The video stream's packets: timestamps, keyframes, and where each lies in the file. */
  videoPackets(file: File): Promise<VideoPackets>;
  /** Compresses, encrypts and lays out the payload (Argon2id runs here, off the page's thread). */
  makePlan(payload: Payload, password: string, geometry: VideoGeometry, settings: HideSettings): Promise<HidePlan>;
  /** Whether the browser's decoder may read this video for a hide, and how; undefined when not. */
  browserDecoding(file: File, info: VideoInfo, packets: VideoPackets): Promise<BrowserDecoding | undefined>;
  decodeSegment(job: DecodeJob): Promise<{ frames: number }>;
  decodeSegmentInBrowser(job: BrowserDecodeJob): Promise<{ frames: number }>;
  /** Encodes the frames coming down the pipe; resolves with the bytes written. */
  encodeSegment(job: EncodeJob): Promise<number>;
  /** Joins the segments with the source's other streams; resolves with the frames the written file holds. */
  muxOutput(job: MuxJob): Promise<number>;

  // A reveal (src/media/page/reveal-job.ts): every worker opens the video, one leads.
  openFrames(file: File, progress: SharedArrayBuffer): Promise<void>;
  revealLocate(password: string): Promise<BodyReader>;
  revealReadFrames(queue: SharedArrayBuffer): Promise<void>;
  readBodySymbols(reader: BodyReader, queue: SharedArrayBuffer): Promise<FrameSymbols[]>;
  revealFinish(helped: readonly FrameSymbols[]): Promise<Payload>;

  // Pictures for people.
  displayFrame(file: File, maxWidth?: number): Promise<DisplayFrame>;
  compareFrames(original: File, stego: File, frameIndex: number): Promise<FrameComparison>;
}
