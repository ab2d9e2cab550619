/**
 * Every ffmpeg and ffprobe command line the engine runs, in one place for the
 * browser workers and the Node tests alike.
 *
 * A segment runs as two ffmpeg instances joined by a pipe: the decoder writes
 * raw frames in their own pixel format (`rawvideo` in NUT, which holds any
 * pixel format and each frame's timestamp), the frames that carry data are
 * changed on the way, and the encoder writes them as FFV1. `-fps_mode passthrough -enc_time_base -1`
 * on both sides keeps every frame and every timestamp as the source has them
 * (FFmpeg would otherwise make a variable frame rate constant).
 */
import type { Segment } from '../../plan/segments.ts';
import { floorMicros, microsToSeconds, type TimeBase } from '../../plan/time-base.ts';
import type { ColourTags, VideoInfo } from '../../plan/video-info.ts';
import { carriesStream, outputContainer } from '../../plan/output-container.ts';

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

/** Raw frame `pts` (in the stream's time base) of the first video stream, in its own pixel format, unrotated. */
export function readFrameArgs(input: string, output: string, pts: number, tb: TimeBase, startMicros: number): string[] {
  return [
    '-nostdin', '-v', 'error',
    '-noautorotate',
    '-ss', microsToSeconds(floorMicros(pts, tb) - startMicros),
    '-i', input,
    '-map', '0:v:0', '-frames:v', '1', '-c:v', 'rawvideo', '-f', 'rawvideo', output,
  ];
}

/**
 * One frame as an RGBA picture for people (PAM), at most `maxWidth` wide:
 * the first frame the right way up, or the frame at `seek` unrotated (beside
 * its samples, which are never rotated).
 */
export function pictureArgs(input: string, output: string, seek: string | undefined, maxWidth: number, rotate: boolean): string[] {
  return [
    '-v', 'error', ...(rotate ? [] : ['-noautorotate']), ...(seek ? ['-ss', seek] : []), '-i', input,
    '-map', '0:v:0', '-frames:v', '1', '-vf', `scale='min(${maxWidth},iw)':-2:flags=area`, '-pix_fmt', 'rgba',
    '-c:v', 'pam', '-f', 'image2', '-update', '1', output,
  ];
}

/** ffprobe: streams and format as JSON (src/media/plan/video-info.ts reads it); counting packets reads the whole file. */
export function probeArgs(input: string, output: string, countPackets = true): string[] {
  return ['-v', 'error', ...(countPackets ? ['-count_packets'] : []), '-show_streams', '-show_format', '-of', 'json', '-o', output, input];
}

/** ffprobe: every video packet in decode order (src/media/plan/packet-table.ts reads it). */
export function videoPacketArgs(input: string, output: string): string[] {
  return ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts,size,pos,flags,data_hash', '-show_data_hash', 'adler32', '-of', 'csv=p=0', '-o', output, input];
}

/** ffprobe: the first video stream's codec extradata as a hex dump. */
export function extradataArgs(input: string, output: string): string[] {
  return ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=extradata', '-show_data', '-of', 'default=nw=1', '-o', output, input];
}
