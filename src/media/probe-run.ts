/**
 * ffprobe through a core instance, in one place for workers and Node tests:
 * it writes its answer to a MEMFS file, which is read and removed here.
 * (The core's ffprobe returns -1 even on success, so the answer is judged by
 * its content, and it keeps earlier calls' section choices: the parsers
 * below read only what they asked for.)
 */
import type { FFmpegCore } from './ffmpeg-core-types.ts';
import { parseProbe, probeArgs, type VideoInfo } from './probe.ts';
import { parseVideoPackets, videoPacketArgs, type VideoPackets } from './segments.ts';

function ffprobeText(core: FFmpegCore, args: string[], output: string): string {
  core.ffprobe(...args);
  core.reset();
  const text = core.FS.readFile(output, { encoding: 'utf8' });
  core.FS.unlink(output);
  return text;
}

/** ffprobe's JSON for `input` (streams and format; packets counted unless told not to). */
export function probeJson(core: FFmpegCore, input: string, countPackets = true): string {
  return ffprobeText(core, probeArgs(input, '/probe.json', countPackets), '/probe.json');
}

/** What is inside `input`, packets counted. */
export function probeInfo(core: FFmpegCore, input: string): VideoInfo {
  return parseProbe(probeJson(core, input));
}

/** Every video packet's timestamp and the keyframes, read from the whole file. */
export function probePackets(core: FFmpegCore, input: string): VideoPackets {
  return parseVideoPackets(ffprobeText(core, videoPacketArgs(input, '/packets.csv'), '/packets.csv'));
}
