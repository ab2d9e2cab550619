/**
 * ffprobe through a core instance, in one place for workers and Node tests:
 * it writes its answer to a MEMFS file, which is read and removed here.
 * (The core's ffprobe returns -1 even on success, so the answer is judged by
 * its content, and it keeps earlier calls' section choices: the parsers
 * below read only what they asked for.)
 */
import type { FFmpegCore } from './core-types.ts';
import { extradataArgs, probeArgs, videoPacketArgs } from './commands.ts';
import { parseProbe, type VideoInfo } from '../../plan/video-info.ts';
import { parsePacketListing, type VideoPackets } from '../../plan/packet-table.ts';

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

/** The first video stream's codec extradata (for H.264 in MP4, its avcC record). */
export function probeExtradata(core: FFmpegCore, input: string): Uint8Array {
  const text = ffprobeText(core, extradataArgs(input, '/extradata.txt'), '/extradata.txt');
  return parseHexDump(text, 'extradata');
}

/** Every video packet: timestamps and keyframes, and in decode order where its bytes are. Reads the whole file. */
export function probePackets(core: FFmpegCore, input: string): VideoPackets {
  return parsePacketListing(ffprobeText(core, videoPacketArgs(input, '/packets.csv'), '/packets.csv'));
}

/** The bytes of ffprobe's `-show_data` hex dump that follows `key=` (for example `extradata=`). */
export function parseHexDump(text: string, key: string): Uint8Array {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => l === `${key}=`);
  if (at < 0) return new Uint8Array(0);
  let hex = '';
  for (const line of lines.slice(at + 1)) {
    const m = /^[0-9a-f]{8}: ((?:[0-9a-f]{2,4} ?)+)/.exec(line);
    if (!m) break;
    hex += m[1].slice(0, 40).replace(/ /g, '');
  }
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}
