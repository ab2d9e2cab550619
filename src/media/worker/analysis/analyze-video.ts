/**
 * Steganalysis of a video in a worker, for the Analyze screen and for the
 * check after a hide: frames decoded by FFmpeg in their own pixel format (a
 * run of consecutive frames, so each has its neighbours for the temporal
 * check), every detector of src/core/analysis/ on each, and a plain verdict
 * per frame and for the video. For an H.264 MP4/MOV it also looks for
 * pictures coded raw (I_PCM), which is what a same-format hide leaves and
 * what an editor with a bitstream parser would see first.
 */
import { createFrameAnalyzer, frameVerdict, VERDICT_THRESHOLDS, videoVerdict, withTemporal, type PlaneScores } from '../../../core/analysis/index.ts';
import { VidStegaError } from '../../../core/errors.ts';
import { rawFrameBytes, type VideoGeometry } from '../../../core/geometry.ts';
import { IpcmPictureReader, readCarrierSample } from '../../formats/h264/index.ts';
import { planesOfRawFrame } from '../../plan/pixel-formats.ts';
import type { AnalysisReport, AnalyzedFrame } from '../../shared/engine-api.ts';
import type { EngineEnv } from '../env.ts';
import type { Core } from '../ffmpeg/core-types.ts';
import { createDeviceFile } from '../ffmpeg/devices.ts';
import { probeInfo } from '../ffmpeg/ffprobe.ts';
import { mountInput } from '../ffmpeg/mounts.ts';
import { logTail, runFfmpeg } from '../ffmpeg/run.ts';
import { isMp4Family, openH264Track, readSample } from '../read/h264-track.ts';

/** Frames analysed at most; beyond, frames are taken in evenly spaced runs of three. */
export const MAX_ANALYZED_FRAMES = 120;

/**
 * The frames to analyse: all of them for a short video; otherwise runs of
 * three consecutive frames (each middle one has both neighbours) evenly over
 * the video, as many as MAX_ANALYZED_FRAMES allows, plus any frames asked for
 * by name with their neighbours.
 */
export function framesToAnalyze(frameCount: number, wanted: readonly number[] = []): number[] {
  const out = new Set<number>();
  if (frameCount <= MAX_ANALYZED_FRAMES && wanted.length === 0) for (let i = 0; i < frameCount; i++) out.add(i);
  else {
    const runs = Math.max(0, Math.floor((MAX_ANALYZED_FRAMES - 3 * wanted.length) / 3));
    for (let r = 0; r < runs; r++) {
      const mid = Math.min(frameCount - 1, Math.max(0, Math.round(((r + 0.5) * frameCount) / runs)));
      for (const i of [mid - 1, mid, mid + 1]) if (i >= 0 && i < frameCount) out.add(i);
    }
  }
  for (const w of wanted) for (const i of [w - 1, w, w + 1]) if (i >= 0 && i < frameCount) out.add(i);
  return [...out].sort((a, b) => a - b);
}

/** Decodes the frames at `indices` (display order, ascending) and hands each to `onFrame`. */
function decodeFrames(core: Core, input: string, g: VideoGeometry, indices: readonly number[], onFrame: (index: number, planes: ReturnType<typeof planesOfRawFrame>) => void): void {
  const frameBytes = rawFrameBytes({ ...g, frameCount: 1 });
  const frame = new Uint8Array(frameBytes);
  let filled = 0;
  let k = 0;
  let error: unknown;
  createDeviceFile(core, '/analysis.raw', {
    seekable: false,
    write: (bytes) => {
      for (let at = 0; at < bytes.length; ) {
        const n = Math.min(bytes.length - at, frameBytes - filled);
        frame.set(bytes.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === frameBytes) {
          filled = 0;
          try {
            onFrame(indices[k++], planesOfRawFrame(g, frame));
          } catch (e) {
            error = e;
            return false;
          }
        }
      }
      return true;
    },
  });
  // FFmpeg's select filter keeps the frames asked for, in order, unconverted.
  const select = indices.map((i) => `eq(n\\,${i})`).join('+');
  const rc = runFfmpeg(core, ['-nostdin', '-v', 'error', '-noautorotate', '-i', input, '-map', '0:v:0', '-vf', `select='${select}'`, '-fps_mode', 'passthrough', '-c:v', 'rawvideo', '-f', 'rawvideo', '/analysis.raw']);
  core.FS.unlink('/analysis.raw');
  if (error) throw error;
  if (rc !== 0) throw new VidStegaError('video-damaged', { what: 'The video could not be decoded for analysis', log: logTail(core) });
}

/**
 * Analyses `file`: frames chosen by {@link framesToAnalyze} (with `wanted`
 * among them), each frame's scores and verdict, the video's verdict, and its
 * raw pictures. `onProgress` hears frames done of frames to do.
 */
export async function analyzeVideo(env: EngineEnv, file: File, wanted: readonly number[] = [], onProgress?: (done: number, total: number) => void): Promise<AnalysisReport> {
  const core = await env.core();
  const input = mountInput(core, file, '/analysis');
  const info = probeInfo(core, input);
  const g = info.geometry;
  const indices = framesToAnalyze(info.video.frameCount, wanted);
  const analyzer = createFrameAnalyzer(g);
  const scores: PlaneScores[][] = [];
  decodeFrames(core, input, g, indices, (_, planes) => {
    scores.push(analyzer.analyze(planes));
    void onProgress?.(scores.length, indices.length);
  });
  if (scores.length !== indices.length) throw new VidStegaError('video-damaged', { what: `${scores.length} of ${indices.length} frames could be decoded for analysis` });
  const frames: AnalyzedFrame[] = indices.map((index, k) => {
    // The temporal check reads only true neighbours: a frame between two frames of the run.
    const neighbours = k > 0 && k + 1 < indices.length && indices[k - 1] === index - 1 && indices[k + 1] === index + 1;
    const run = neighbours ? [scores[k - 1], scores[k], scores[k + 1]] : [scores[k]];
    const evidence = withTemporal(run, neighbours ? 1 : 0);
    const v = frameVerdict(evidence, VERDICT_THRESHOLDS, g.bitDepth);
    return { index, verdict: v.verdict, flagged: [...v.flagged], planes: evidence.map((p) => ({ ...p })) };
  });
  return {
    frameCount: info.video.frameCount,
    frames,
    video: videoVerdict(frames.map((f) => f.verdict), VERDICT_THRESHOLDS),
    rawPictures: info.video.codec === 'h264' && isMp4Family(info.container) ? rawPictures(env, file) : undefined,
  };
}

/**
 * Display indices of the pictures coded entirely raw (I_PCM). Only samples
 * about the size of a raw picture are parsed: every other one is far
 * smaller, so the file is read only where it matters.
 */
function rawPictures(env: EngineEnv, file: File): number[] | undefined {
  const src = env.source(file);
  const t = openH264Track(src);
  if ('reason' in t) return undefined;
  const rawSize = 0.9 * t.sps.picSizeInMbs * 384 * (t.sps.bitDepthLuma / 8);
  const reader = new IpcmPictureReader();
  const out: number[] = [];
  for (let i = 0; i < t.samples.count; i++) {
    if (t.samples.size[i] < rawSize) continue;
    if (readCarrierSample(readSample(src, t, i), t.config.lengthSize, t.params, t.geometry, { reader })) out.push(t.displayIndex[i]);
  }
  return out.sort((a, b) => a - b);
}
