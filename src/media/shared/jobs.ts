/**
 * Hide and reveal jobs, as the UI starts them: plain inputs, progress events,
 * cancel through an AbortSignal, and a result or a VidStegaError
 * (src/core/errors.ts) whose message is written for a person.
 */
import type { Payload } from '../../core/container.ts';
import type { HideSettings } from '../../core/settings.ts';
import type { DecoyRequest } from '../../core/stego.ts';
import type { StreamInfo, VideoInfo } from '../plan/video-info.ts';

export type JobStage =
  /** Deriving keys, laying the payload out, checking free space. */
  | 'preparing'
  /** Decoding, hiding and writing lossless frames. */
  | 'hiding'
  /** Joining the parts and copying sound and subtitles. */
  | 'finishing'
  /** Reading the frames that carry data. */
  | 'reading';

export interface JobProgress {
  readonly stage: JobStage;
  /** Frames done and in total for this stage (0 of 0 when it is not counted in frames). */
  readonly done: number;
  readonly total: number;
  /** Frames per second over the stage so far; 0 until measured. */
  readonly fps: number;
  /** Estimated seconds left for the whole job; undefined until it can be estimated. */
  readonly secondsLeft: number | undefined;
}

export interface JobOptions {
  readonly onProgress?: (p: JobProgress) => void;
  /** Aborting stops the workers at once and removes temporary files; the job rejects with a CancelledError. */
  readonly signal?: AbortSignal;
  /** A hide splits the video into at most this many parallel segments (default: one per core, as memory allows). */
  readonly maxSegments?: number;
  /**
   * Which decoder reads the source for a hide: 'auto' (the default) uses the
   * browser's (WebCodecs) where a trial proves it gives FFmpeg's frames, and
   * FFmpeg's everywhere else; 'ffmpeg' uses FFmpeg's throughout.
   */
  readonly decoder?: 'auto' | 'ffmpeg';
}

/**
 * What a hide writes. `same-format`: an H.264 MP4/MOV comes back as the same
 * kind of file, only a few pictures rewritten raw (where VideoInfo.sameFormat
 * says it can). `lossless`: a lossless copy of the whole video (FFV1), for
 * every video.
 */
export type OutputKind = 'same-format' | 'lossless';

export interface HideRequest {
  readonly file: File;
  readonly info: VideoInfo;
  readonly payload: Payload;
  readonly password: string;
  readonly settings: HideSettings;
  /**
   * A decoy: a second, harmless payload that its own password reveals. The
   * video then holds both, and either password finds only its own; nothing
   * shows that the other exists. Needs adaptive embedding.
   */
  readonly decoy?: DecoyRequest;
  /** Default: the same format where the video allows it, else the lossless copy. */
  readonly output?: OutputKind;
}

export interface HideResult {
  /** The stego video, on this device's disk (origin private file system). */
  readonly file: File;
  /** A suggested name for saving, e.g. "holiday-hidden.mkv". */
  readonly name: string;
  readonly output: OutputKind;
  /** The lossless copy's container; for the same format, the source's (MP4 or QuickTime). */
  readonly container: 'matroska' | 'mov' | 'mp4';
  readonly frames: number;
  /** Streams of the original that the output could not carry (listed to the person). */
  readonly leftOut: readonly StreamInfo[];
  readonly seconds: number;
  /** Identifies the output's place on disk (for discardResult). */
  readonly jobId: string;
  /** Frames (lossless copy) or carrier pictures (same format) the browser's own decoder (WebCodecs) read; FFmpeg's read the rest. */
  readonly browserDecodedFrames: number;
  /** The frames that carry data, in display order (the first is the one worth comparing). */
  readonly carrierFrames: readonly number[];
  /** Size of the hidden payload (message and files, packed). */
  readonly payloadBytes: number;
}

/** A frame as RGBA pixels for display only (hiding and measuring never use RGB). */
export interface DisplayFrame {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray<ArrayBuffer>;
}

/** One frame of the original beside the same frame of the stego video. */
export interface FrameComparison {
  readonly frameIndex: number;
  readonly before: DisplayFrame;
  readonly after: DisplayFrame;
  /** Where samples changed, amplified so a single-step change is plainly visible. */
  readonly difference: DisplayFrame;
  /** PSNR over every plane's native samples, in dB; Infinity when the frames are identical. */
  readonly psnrDb: number;
  readonly changedSamples: number;
  readonly totalSamples: number;
}
