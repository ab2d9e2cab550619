/**
 * What VidStega learns about a video before hiding in it, from ffprobe's JSON
 * (`-show_streams -show_format -count_packets -of json`).
 */
import { UnsupportedInputError } from '../../core/errors.ts';
import type { VideoGeometry } from '../../core/geometry.ts';
import { geometryFor } from './pixel-formats.ts';
import { frameRate } from './time-base.ts';

export interface StreamInfo {
  readonly index: number;
  readonly type: 'video' | 'audio' | 'subtitle' | 'data' | 'attachment' | 'unknown';
  readonly codec: string;
  /** Human words, e.g. "aac 48000 Hz stereo". */
  readonly description: string;
}

/** The source's colour description, which NUT does not carry: the encoder writes it back. */
export interface ColourTags {
  readonly colorRange?: string;
  readonly colorPrimaries?: string;
  readonly colorTransfer?: string;
  readonly colorSpace?: string;
}

export interface VideoInfo {
  readonly container: string;
  readonly durationSeconds: number;
  readonly video: {
    readonly index: number;
    readonly codec: string;
    readonly width: number;
    readonly height: number;
    readonly pixFmt: string;
    readonly bitDepth: number;
    readonly colorRange?: string;
    readonly colorPrimaries?: string;
    readonly colorTransfer?: string;
    readonly colorSpace?: string;
    /** Nominal frame rate as FFmpeg reports it (r_frame_rate). */
    readonly frameRate: string;
    readonly averageFrameRate: string;
    /** True when the average and nominal rates differ: timestamps must be kept one by one. */
    readonly variableFrameRate: boolean;
    readonly frameCount: number;
    /** Display rotation in degrees (from the display matrix), 0 when none. */
    readonly rotation: number;
    /** The stream's time base, e.g. "1/30000": packet timestamps count in it. */
    readonly timeBase: string;
  };
  /** When the file's timeline starts, in microseconds (FFmpeg's AV_TIME_BASE units). */
  readonly startMicros: number;
  readonly streams: readonly StreamInfo[];
  readonly geometry: VideoGeometry;
  /**
   * Whether a hide can give back the same format (an H.264 MP4/MOV with only
   * a few pictures rewritten raw): how many pictures may carry data and what
   * one weighs, or, in plain words, why this video gets a lossless copy.
   */
  readonly sameFormat: SameFormat;
}

export type SameFormat =
  | {
      readonly carriers: number;
      readonly carrierBytes: number;
      /**
       * The frames a same-format hide works on: the whole picture the stream
       * codes (which can be a little larger than what `geometry` says where
       * the container crops it), `frameCount` being the carriers.
       */
      readonly geometry: VideoGeometry;
    }
  | { readonly reason: string };

interface ProbeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  bits_per_raw_sample?: string;
  color_range?: string;
  color_primaries?: string;
  color_transfer?: string;
  color_space?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  time_base?: string;
  nb_read_packets?: string;
  nb_frames?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
  disposition?: Record<string, number>;
}
interface ProbeJson {
  streams?: ProbeStream[];
  format?: { format_name?: string; duration?: string; start_time?: string };
}

function describe(s: ProbeStream): string {
  const codec = s.codec_name ?? 'unknown codec';
  if (s.codec_type === 'audio') {
    const ch = s.channel_layout ?? (s.channels ? `${s.channels} channels` : '');
    return [codec, s.sample_rate ? `${s.sample_rate} Hz` : '', ch].filter(Boolean).join(' ');
  }
  if (s.codec_type === 'video') return `${codec} ${s.width}x${s.height}`;
  const handler = s.tags?.handler_name?.trim();
  return handler ? `${codec} (${handler})` : codec;
}

/**
 * Turns ffprobe's JSON into a VideoInfo. Throws UnsupportedInputError, in
 * plain words, when there is no video stream, or one VidStega cannot hide in.
 */
export function parseProbe(json: string, knownFrameCount?: number): VideoInfo {
  let parsed: ProbeJson;
  try {
    parsed = JSON.parse(json) as ProbeJson;
  } catch {
    throw new UnsupportedInputError('This file could not be read as a video. It may be damaged or not a video at all. Choose a video file.');
  }
  const streams = parsed.streams ?? [];
  // Cover art is a video stream with the attached_pic disposition: not the video.
  const v = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!v) {
    const hasAudio = streams.some((s) => s.codec_type === 'audio');
    throw new UnsupportedInputError(
      hasAudio
        ? 'This file has sound but no picture. Choose a video file.'
        : 'This file could not be read as a video. It may be damaged, cut short, or not a video at all. Choose a video file.',
    );
  }
  const width = v.width ?? 0;
  const height = v.height ?? 0;
  const pixFmt = v.pix_fmt ?? '';
  const frameCount = knownFrameCount ?? Number(v.nb_read_packets ?? v.nb_frames ?? 0);
  if (!width || !height || !frameCount) {
    throw new UnsupportedInputError('This video has no readable frames. It may be damaged or cut short. Choose the complete file.');
  }
  // The container's header says how many frames there are; fewer can be read when the file was cut short.
  const declared = Number(v.nb_frames ?? 0);
  const readable = Number(v.nb_read_packets ?? 0);
  if (declared > 0 && v.nb_read_packets !== undefined && readable < declared) {
    throw new UnsupportedInputError(
      `This video is cut short or damaged: only ${readable} of its ${declared} frames can be read. Use the complete file.`,
    );
  }
  const geometry = geometryFor(width, height, pixFmt, frameCount);
  if (!geometry) {
    throw new UnsupportedInputError(
      `This video stores its picture as "${pixFmt || 'unknown'}", which VidStega cannot hide data in without changing the video. ` +
        'Convert it to an ordinary YUV video (for example H.264) first.',
    );
  }
  const matrix = v.side_data_list?.find((d) => d.side_data_type === 'Display Matrix');
  const rotation = matrix?.rotation ?? Number(v.tags?.rotate ?? 0);
  const type = (s: ProbeStream): StreamInfo['type'] =>
    (['video', 'audio', 'subtitle', 'data', 'attachment'] as const).find((t) => t === s.codec_type) ?? 'unknown';
  return {
    container: parsed.format?.format_name ?? 'unknown',
    durationSeconds: Number(parsed.format?.duration ?? 0) || frameCount / (frameRate(v.avg_frame_rate) || 30),
    video: {
      index: v.index,
      codec: v.codec_name ?? 'unknown',
      width,
      height,
      pixFmt,
      bitDepth: geometry.bitDepth,
      colorRange: v.color_range,
      colorPrimaries: v.color_primaries,
      colorTransfer: v.color_transfer,
      colorSpace: v.color_space,
      frameRate: v.r_frame_rate ?? '0/0',
      averageFrameRate: v.avg_frame_rate ?? '0/0',
      variableFrameRate: Math.abs(frameRate(v.r_frame_rate) - frameRate(v.avg_frame_rate)) > 0.01 * frameRate(v.r_frame_rate),
      frameCount,
      rotation: Number.isFinite(rotation) ? rotation : 0,
      timeBase: v.time_base ?? '1/1000',
    },
    startMicros: Math.round(Number(parsed.format?.start_time ?? 0) * 1e6) || 0,
    streams: streams.map((s) => ({ index: s.index, type: type(s), codec: s.codec_name ?? 'unknown', description: describe(s) })),
    geometry,
    sameFormat: { reason: sameFormatReason(v.codec_name ?? 'unknown', parsed.format?.format_name ?? 'unknown') },
  };
}

/**
 * Why a video gets the lossless copy, going by its codec and container; for
 * an H.264 MP4/MOV the engine looks closer (src/media/worker/probe-file.ts)
 * and replaces this with what it found.
 */
export function sameFormatReason(codec: string, container: string): string {
  const mp4 = /^(mov|mp4|m4a|3gp|3g2|mj2)/.test(container);
  if (codec === 'h264' && mp4) return 'This video has not been looked at closely yet.';
  if (codec === 'h264') return 'This H.264 video is in a Matroska or WebM file; VidStega gives back the same format for MP4 and MOV files only, so it makes a lossless copy.';
  const name = ({ hevc: 'H.265 (HEVC)', vp8: 'VP8', vp9: 'VP9', av1: 'AV1', ffv1: 'FFV1 (already lossless)', mpeg4: 'MPEG-4 Part 2', prores: 'ProRes' } as Record<string, string>)[codec] ?? codec;
  return `This video is ${name}; VidStega rewrites only H.264 videos in their own format, so it makes a lossless copy.`;
}
