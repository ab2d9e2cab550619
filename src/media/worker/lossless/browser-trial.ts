/** The trial that decides whether the browser's own decoder (WebCodecs) may read a video for a hide. */
import { rawFrameBytes } from '../../../core/geometry.ts';
import { NutFrameTap } from '../../formats/nut/frame-tap.ts';
import { readNutHeaders } from '../../formats/nut/frame-writer.ts';
import { KEY, sliceTable, type VideoPackets } from '../../plan/packet-table.ts';
import type { SegmentPackets } from '../../plan/segments.ts';
import { parseTimeBase } from '../../plan/time-base.ts';
import type { VideoInfo } from '../../plan/video-info.ts';
import type { BrowserDecoding } from '../../shared/engine-api.ts';
import type { EngineEnv } from '../env.ts';
import { decodeSegmentArgs } from '../ffmpeg/commands.ts';
import { probeExtradata, probePackets } from '../ffmpeg/ffprobe.ts';
import { mountInput } from '../ffmpeg/mounts.ts';
import { runFfmpeg } from '../ffmpeg/run.ts';
import { avcCodecString, browserDecodable, decodeInBrowser, nutPts } from '../read/browser-decoder.ts';

/**
 * Whether this video's frames can be decoded by the browser (WebCodecs) for a
 * hide, and how. The first frames are decoded both ways, by FFmpeg as the
 * rest of the engine does and by the browser, and must be byte-identical.
 * Undefined when the video is not one the browser path takes, or the trial
 * differs in any way: the hide then decodes with FFmpeg alone. Run it in a
 * worker of its own: it leaves ffprobe options set in that worker's core.
 */
export async function browserDecoding(env: EngineEnv, file: File, info: VideoInfo, packets: VideoPackets): Promise<BrowserDecoding | undefined> {
  const t = packets.table;
  if (!t || !browserDecodable(info.video.codec, info.video.pixFmt, info.container) || !(t.flags[0] & KEY)) return undefined;
  const geometry = { ...info.geometry, frameCount: packets.pts.length };
  if (geometry.bitDepth !== 8 || packets.pts[0] < 0) return undefined;
  const core = await env.core();
  const input = mountInput(core, file);
  const avcC = probeExtradata(core, input);
  if (avcC[0] !== 1) return undefined;
  const config = { codec: avcCodecString(avcC), description: avcC, codedWidth: info.video.width, codedHeight: info.video.height };
  if (!(await VideoDecoder.isConfigSupported({ ...config, hardwareAcceleration: 'prefer-software' })).supported) return undefined;

  // FFmpeg's first frames, and the NUT headers it writes for them.
  const count = Math.min(TRIAL_FRAMES, packets.pts.length);
  const whole = { startPts: packets.pts[0], firstFrame: 0, frames: packets.pts.length, seekMicros: undefined, durationMicros: undefined };
  const rc = runFfmpeg(core, decodeSegmentArgs(input, '/trial.nut', whole, count));
  if (rc !== 0) return undefined;
  const nut = core.FS.readFile('/trial.nut');
  const headers = readNutHeaders(nut);
  const nutTb = headers.main.timeBases[headers.timeBaseId];
  const srcTb = parseTimeBase(info.video.timeBase);
  const ptsScale = { mul: srcTb.num * nutTb.den, div: srcTb.den * nutTb.num };
  core.FS.writeFile('/trial.nut', nut);
  const nutTimes = probePackets(core, '/trial.nut').pts;
  core.FS.unlink('/trial.nut');
  try {
    if (nutTimes.length !== count || nutTimes.some((p, i) => p !== nutPts(packets.pts[i], ptsScale))) return undefined;
  } catch {
    return undefined;
  }
  const expected: Uint8Array[] = [];
  const tap = new NutFrameTap(rawFrameBytes(geometry), { wants: () => true, edit: (_, f) => void expected.push(f.slice()), out: () => undefined });
  tap.push(nut);
  tap.end();
  if (expected.length !== count) return undefined;

  // The browser's, from the fewest packets in decode order that hold them.
  let end = 0;
  for (let have = 0; have < count && end < t.pts.length; end++) if (t.pts[end] <= packets.pts[count - 1]) have++;
  const first = sliceTable(t, 0, end);
  const trial: SegmentPackets = { ...first, framePts: first.pts.slice().sort() };
  const decoding: BrowserDecoding = { config, nutHeaders: headers.bytes, ptsScale };
  let same = true;
  try {
    await decodeInBrowser(file, trial, decoding, geometry, (i, _, frame) => {
      if (i < count && !sameBytes(frame, expected[i])) same = false;
    });
  } catch {
    return undefined;
  }
  return same ? decoding : undefined;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Frames a trial decodes both ways before a hide lets the browser decode. */
const TRIAL_FRAMES = 3;
