/**
 * Where a lossless copy goes: Matroska for most videos, QuickTime for a
 * rotated one, and which of the source's other streams each can carry.
 */
import type { StreamInfo, VideoInfo } from './video-info.ts';

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

/** Streams of the source the output leaves out, for telling the person. */
export function streamsLeftOut(info: VideoInfo): StreamInfo[] {
  const container = outputContainer(info);
  return info.streams.filter((s) => s.index !== info.video.index && !carriesStream(container, s));
}
