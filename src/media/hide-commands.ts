/**
 * The ffmpeg command lines of a hide, in one place for the browser workers
 * and the Node tests alike.
 *
 * A segment runs as two ffmpeg instances joined by a pipe: the decoder writes
 * raw frames in their own pixel format (`rawvideo` in NUT, which holds any
 * pixel format and each frame's timestamp), the frames that carry data are
 * changed on the way, and the encoder writes them as FFV1. `-fps_mode passthrough -enc_time_base -1`
 * on both sides keeps every frame and every timestamp as the source has them
 * (FFmpeg would otherwise make a variable frame rate constant).
 */
import { microsToSeconds, type Segment } from './segments.ts';
import type { StreamInfo, VideoInfo } from './probe.ts';

const KEEP_FRAMES = ['-fps_mode', 'passthrough', '-enc_time_base', '-1'];

/** Decoder: one segment of the first video stream → raw frames in NUT, unrotated, timestamps as in the source; `frames` stops early. */
export function decodeSegmentArgs(input: string, output: string, segment: Segment, frames?: number): string[] {
  return [
    '-nostdin', '-v', 'error',
    '-copyts', '-noautorotate',
    ...(segment.seekMicros === undefined ? [] : ['-ss', microsToSeconds(segment.seekMicros)]),
    '-i', input,
    '-map', '0:v:0', '-an', '-sn', '-dn',
    '-c:v', 'rawvideo', ...KEEP_FRAMES,
    ...(segment.durationMicros === undefined ? [] : ['-t', microsToSeconds(segment.durationMicros)]),
    ...(frames === undefined ? [] : ['-frames:v', String(frames)]),
    '-f', 'nut', output,
  ];
}

/** The source's colour description, which NUT does not carry: the encoder writes it back. */
export interface ColourTags {
  readonly colorRange?: string;
  readonly colorPrimaries?: string;
  readonly colorTransfer?: string;
  readonly colorSpace?: string;
}

function colourArgs(c: ColourTags): string[] {
  const known = (v: string | undefined) => v !== undefined && v !== 'unknown' && v !== 'reserved';
  return [
    ...(known(c.colorRange) ? ['-color_range', c.colorRange!] : []),
    ...(known(c.colorPrimaries) ? ['-color_primaries', c.colorPrimaries!] : []),
    ...(known(c.colorTransfer) ? ['-color_trc', c.colorTransfer!] : []),
    ...(known(c.colorSpace) ? ['-colorspace', c.colorSpace!] : []),
  ];
}

/**
 * Encoder: raw frames in NUT → FFV1 in Matroska, colour tags as in the source.
 * Level 3 with slice CRCs; `-g 1` makes every frame a keyframe (FFV1 otherwise
 * carries its coder state across 12 frames), so a reveal seeks straight to a
 * frame and decodes only that one.
 */
export function encodeSegmentArgs(input: string, output: string, colour: ColourTags): string[] {
  return [
    '-nostdin', '-v', 'error',
    '-f', 'nut', '-i', input,
    '-map', '0:v:0', '-c:v', 'ffv1', '-level', '3', '-g', '1', '-slicecrc', '1', ...KEEP_FRAMES, ...colourArgs(colour),
    '-f', 'matroska', output,
  ];
}

export type OutputContainer = 'matroska' | 'mov';

/**
 * Matroska keeps most streams but, in this FFmpeg, not a display matrix;
 * QuickTime keeps the matrix. A rotated video goes to MOV so it still plays
 * the right way up; every other video to Matroska.
 */
export function outputContainer(info: VideoInfo): OutputContainer {
  return info.video.rotation % 360 === 0 ? 'matroska' : 'mov';
}

const MATROSKA_SUBTITLES = new Set(['subrip', 'ass', 'ssa', 'webvtt', 'hdmv_pgs_subtitle', 'dvd_subtitle', 'dvb_subtitle', 'text']);
const MOV_AUDIO = new Set(['aac', 'mp3', 'alac', 'ac3', 'eac3', 'opus', 'flac', 'pcm_s16le', 'pcm_s16be', 'pcm_s24le', 'pcm_s24be', 'pcm_f32le', 'pcm_s32le', 'pcm_u8', 'pcm_mulaw', 'pcm_alaw']);

/** Whether a stream of the source can be copied, packet for packet, into the output container. */
export function carriesStream(container: OutputContainer, s: StreamInfo): boolean {
  if (s.type === 'audio') return container === 'matroska' ? s.codec !== 'unknown' : MOV_AUDIO.has(s.codec);
  if (s.type === 'subtitle') return container === 'matroska' ? MATROSKA_SUBTITLES.has(s.codec) : s.codec === 'mov_text';
  return false;
}

/** The ffconcat list that joins the encoded segments, each with its exact length in milliseconds. */
export function concatList(paths: readonly string[], durationsMs: readonly number[]): string {
  const lines = ['ffconcat version 1.0'];
  paths.forEach((p, i) => {
    lines.push(`file '${p}'`);
    if (i < durationsMs.length) lines.push(`duration ${(durationsMs[i] / 1000).toFixed(3)}`);
  });
  return lines.join('\n') + '\n';
}

/**
 * Joiner: the encoded segments (stream copy) with every audio and subtitle
 * stream of the source the container can carry (stream copy), timestamps
 * kept as in the source, rotation kept as a display matrix.
 */
export function muxArgs(opts: {
  concatList: string;
  source: string;
  output: string;
  info: VideoInfo;
  /** Timestamp of the first frame in the segments, in milliseconds. */
  firstFrameMs: number;
}): string[] {
  const container = outputContainer(opts.info);
  const copied = opts.info.streams.filter((s) => carriesStream(container, s));
  const rotate = ((-opts.info.video.rotation % 360) + 360) % 360;
  return [
    '-nostdin', '-v', 'error',
    '-copyts',
    '-itsoffset', (opts.firstFrameMs / 1000).toFixed(3),
    '-f', 'concat', '-safe', '0', '-i', opts.concatList,
    '-i', opts.source,
    '-map', '0:v:0', ...copied.flatMap((s) => ['-map', `1:${s.index}`]),
    '-c', 'copy',
    '-map_metadata', '1',
    ...(rotate === 0 ? [] : ['-metadata:s:v:0', `rotate=${rotate}`, '-movflags', '+write_colr']),
    '-f', container === 'mov' ? 'mov' : 'matroska', opts.output,
  ];
}

/** Streams of the source the output leaves out, for telling the person. */
export function streamsLeftOut(info: VideoInfo): StreamInfo[] {
  const container = outputContainer(info);
  return info.streams.filter((s) => s.index !== info.video.index && !carriesStream(container, s));
}
