/**
 * The engine worker's API: what the page may ask of an engine worker, with
 * the plain data that crosses (structured clones, SharedArrayBuffers).
 * `src/media/worker/engine.ts` builds an object of this type and the worker
 * entry exposes it over Comlink; the page wraps a worker as
 * `Remote<EngineApi>` (src/media/page/workers.ts). Neither side imports the
 * other's code.
 */
import type { PlaneEvidence, Verdict, VideoVerdict } from '../../core/analysis/index.ts';
import type { Payload } from '../../core/container.ts';
import type { VideoGeometry } from '../../core/geometry.ts';
import type { HideSettings } from '../../core/settings.ts';
import type { BodyReader, DecoyRequest, HidePlan } from '../../core/stego.ts';
import type { VideoPackets } from '../plan/packet-table.ts';
import type { Segment, SegmentPackets } from '../plan/segments.ts';
import type { ColourTags, VideoInfo } from '../plan/video-info.ts';
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

/** An H.264 video's carrier candidates, for the person's capacity meter. */
export interface CarrierScan {
  /** The frames a same-format hide works on; `frameCount` is the number of carrier candidates. */
  readonly geometry: VideoGeometry;
  /** Pictures in the video. */
  readonly pictures: number;
  /** Bytes one carrier picture takes in the output (its raw samples and a little framing). */
  readonly carrierBytes: number;
}

/** A same-format hide's plan, and where its carriers are. */
export interface CarrierPlan {
  readonly plan: HidePlan;
  /** Each carrier: its place in the candidate list (the plan's frame index), the IDR picture it is decoded from, its cost, its place in display order. */
  readonly carriers: readonly { readonly position: number; readonly idr: number; readonly cost: number; readonly displayIndex: number }[];
  readonly pictures: number;
  readonly carrierBytes: number;
}

/** One worker's share of a same-format hide: the carriers it decodes, changes and writes raw. */
export interface CarrierEmbedJob {
  readonly jobId: string;
  readonly file: File;
  readonly plan: HidePlan;
  /** Carriers by list position (the plan's frame indices), grouped by the IDR picture they are decoded from. */
  readonly carriers: readonly number[];
  /** This worker's scratch file in the job, where the carrier pictures go as they are made. */
  readonly scratch: string;
  readonly decoder: 'auto' | 'ffmpeg';
}

/** Where a carrier picture's new bytes wait in a scratch file of the job. */
export interface CarrierPiece {
  /** The picture's sample index (decode order). */
  readonly sample: number;
  readonly scratch: string;
  readonly offset: number;
  readonly length: number;
}

/** Writing the same-format output: the source with the carrier pictures replaced. */
export interface CarrierWriteJob {
  readonly jobId: string;
  readonly file: File;
  readonly pieces: readonly CarrierPiece[];
  readonly outName: string;
}

/** One analysed frame: its verdict, the detectors that flagged it, and each plane's scores (src/core/analysis/). */
export interface AnalyzedFrame {
  /** Display index. */
  readonly index: number;
  readonly verdict: Verdict;
  readonly flagged: readonly string[];
  readonly planes: readonly PlaneEvidence[];
}

/** What the analysis of a video found. */
export interface AnalysisReport {
  readonly frameCount: number;
  readonly frames: readonly AnalyzedFrame[];
  readonly video: VideoVerdict;
  /** For an H.264 MP4/MOV: display indices of the pictures coded raw (I_PCM), which ordinary encoders do not write. */
  readonly rawPictures: readonly number[] | undefined;
}

export interface EngineApi {
  /** What is inside a video, read in place. */
  probeFile(file: File): Promise<VideoInfo>;

  // A hide, lossless path (src/media/page/lossless-hide-job.ts runs these in order).
  /** The video stream's packets: timestamps, keyframes, and where each lies in the file. */
  videoPackets(file: File): Promise<VideoPackets>;
  /** Compresses, encrypts and lays out the payload (Argon2id runs here, off the page's thread). */
  makePlan(payload: Payload, password: string, geometry: VideoGeometry, settings: HideSettings, decoy?: DecoyRequest): Promise<HidePlan>;
  /** Whether the browser's decoder may read this video for a hide, and how; undefined when not. */
  browserDecoding(file: File, info: VideoInfo, packets: VideoPackets): Promise<BrowserDecoding | undefined>;
  decodeSegment(job: DecodeJob): Promise<{ frames: number }>;
  decodeSegmentInBrowser(job: BrowserDecodeJob): Promise<{ frames: number }>;
  /** Encodes the frames coming down the pipe; resolves with the bytes written. */
  encodeSegment(job: EncodeJob): Promise<number>;
  /** Joins the segments with the source's other streams; resolves with the frames the written file holds. */
  muxOutput(job: MuxJob): Promise<number>;

  // A hide, same-format path (src/media/page/same-format-hide-job.ts).
  /** How many pictures of an H.264 MP4/MOV can carry data, or why it takes the lossless path. */
  scanCarriers(file: File): Promise<CarrierScan | { readonly reason: string }>;
  /** Plans the payload over the carrier candidates (Argon2id runs here). */
  planCarriers(file: File, payload: Payload, password: string, settings: HideSettings, decoy?: DecoyRequest): Promise<CarrierPlan>;
  /** Decodes, changes and writes raw this worker's carriers; resolves with where each went and how many the browser decoded. */
  /** `onProgress` (a Comlink proxy from the page: it cannot travel inside `job`) hears the carriers done so far. */
  embedCarriers(job: CarrierEmbedJob, onProgress?: (done: number) => void): Promise<{ readonly pieces: readonly CarrierPiece[]; readonly browserDecoded: number }>;
  /** Writes the output and reads it back; resolves with its size in bytes. */
  writeCarrierOutput(job: CarrierWriteJob): Promise<number>;

  // A reveal (src/media/page/reveal-job.ts): every worker opens the video, one leads.
  /** Opens a stego video: its carrier pictures (an H.264 MP4/MOV) or its lossless frames. Frames read are counted in `progress[0]` when given. */
  openFrames(file: File, progress?: SharedArrayBuffer): Promise<'carriers' | 'frames'>;
  revealLocate(password: string): Promise<BodyReader>;
  /** Reads body frames taken from `queue` (an Int32 counter shared by the workers of a reveal; the lead's own when alone). */
  revealReadFrames(queue: SharedArrayBuffer | ArrayBuffer): Promise<void>;
  readBodySymbols(reader: BodyReader, queue: SharedArrayBuffer): Promise<FrameSymbols[]>;
  revealFinish(helped: readonly FrameSymbols[]): Promise<Payload>;

  // Steganalysis (src/media/worker/analysis/).
  /** Analyses a video: frames spread over it (and `wanted` with their neighbours); `onProgress` (a Comlink proxy) hears frames done of total. */
  analyzeVideo(file: File, wanted?: readonly number[], onProgress?: (done: number, total: number) => void): Promise<AnalysisReport>;

  // Pictures for people.
  displayFrame(file: File, maxWidth?: number): Promise<DisplayFrame>;
  compareFrames(original: File, stego: File, frameIndex: number): Promise<FrameComparison>;
}
