/**
 * Frames as pictures for people: a poster for a chosen video, and one frame
 * of the original beside the stego frame with an amplified difference and
 * PSNR. The measurements use the native planes; RGB is for display only.
 */
import { VidStegaError } from '../../core/errors.ts';
import type { FramePlanes, VideoGeometry } from '../../core/geometry.ts';
import { floorMicros, microsToSeconds } from '../plan/time-base.ts';
import type { DisplayFrame, FrameComparison } from '../shared/jobs.ts';
import type { EngineEnv } from './env.ts';
import { pictureArgs } from './ffmpeg/commands.ts';
import type { Core } from './ffmpeg/core-types.ts';
import { mountInput } from './ffmpeg/mounts.ts';
import { runFfmpeg } from './ffmpeg/run.ts';
import { openFrameReader, type FrameReader } from './read/frame-reader.ts';

/** Parses a PAM image (P7) with RGB_ALPHA tuples. */
export function parsePam(bytes: Uint8Array): DisplayFrame {
  const headerEnd = findHeaderEnd(bytes);
  const header = new TextDecoder().decode(bytes.subarray(0, headerEnd));
  const field = (k: string) => Number(new RegExp(`^${k} (\\d+)$`, 'm').exec(header)?.[1]);
  const width = field('WIDTH');
  const height = field('HEIGHT');
  if (!(width > 0 && height > 0) || field('DEPTH') !== 4) throw new Error('unexpected PAM header');
  const rgba = new Uint8ClampedArray(width * height * 4);
  rgba.set(bytes.subarray(headerEnd, headerEnd + rgba.length));
  return { width, height, rgba };
}

function findHeaderEnd(bytes: Uint8Array): number {
  const marker = 'ENDHDR\n';
  for (let i = 0; i + marker.length <= Math.min(bytes.length, 512); i++) {
    let ok = true;
    for (let k = 0; k < marker.length && ok; k++) ok = bytes[i + k] === marker.charCodeAt(k);
    if (ok) return i + marker.length;
  }
  throw new Error('not a PAM image');
}

function picture(core: Core, input: string, seek: string | undefined, maxWidth: number, rotate: boolean): DisplayFrame {
  const rc = runFfmpeg(core, pictureArgs(input, '/picture.pam', seek, maxWidth, rotate));
  if (rc !== 0) throw new VidStegaError('video-damaged', { what: 'This frame could not be shown' });
  const frame = parsePam(core.FS.readFile('/picture.pam'));
  core.FS.unlink('/picture.pam');
  return frame;
}

/** The video's first frame, the right way up, at most `maxWidth` wide. */
export async function displayFrame(env: EngineEnv, file: File, maxWidth = 640): Promise<DisplayFrame> {
  const core = await env.core();
  return picture(core, mountInput(core, file), undefined, maxWidth, true);
}

/**
 * Frame `frameIndex` of the original and of the stego video. The two files
 * are read by one core in turn (mounted one after the other).
 */
export async function compareFrames(env: EngineEnv, original: File, stego: File, frameIndex: number, maxWidth = 960): Promise<FrameComparison> {
  const core = await env.core();
  const a = await openFrameReader(env, original, '/original');
  const b = await openFrameReader(env, stego, '/stego');
  if (frameIndex >= a.pts.length || frameIndex >= b.pts.length) throw new VidStegaError('unsupported-input', { reason: 'That frame is past the end of the video.' });
  const g = a.info.geometry;
  const seekOf = (v: FrameReader) => microsToSeconds(floorMicros(v.pts[frameIndex], v.tb) - v.info.startMicros);
  const before = picture(core, a.input, seekOf(a), maxWidth, false);
  const after = picture(core, b.input, seekOf(b), maxWidth, false);
  const pa = a.readFrame(frameIndex);
  const pb = b.readFrame(frameIndex);
  const { psnrDb, changed, total, map } = difference(g, pa, pb);
  return { frameIndex, before, after, difference: downscaleMap(map, g.planes[0].width, g.planes[0].height, before.width, before.height), psnrDb, changedSamples: changed, totalSamples: total };
}

/** PSNR over every plane's samples, and a luma-sized map of where anything changed. */
export function difference(g: VideoGeometry, a: FramePlanes, b: FramePlanes): { psnrDb: number; changed: number; total: number; map: Uint8Array } {
  const w = g.planes[0].width;
  const h = g.planes[0].height;
  const map = new Uint8Array(w * h);
  let sq = 0;
  let changed = 0;
  let total = 0;
  for (const [p, plane] of g.planes.entries()) {
    const sx = Math.round(w / plane.width) || 1;
    const sy = Math.round(h / plane.height) || 1;
    const x = a[p];
    const y = b[p];
    total += x.length;
    for (let i = 0; i < x.length; i++) {
      const d = x[i] - y[i];
      if (d === 0) continue;
      sq += d * d;
      changed++;
      const px = (i % plane.width) * sx;
      const py = Math.floor(i / plane.width) * sy;
      for (let yy = py; yy < Math.min(h, py + sy); yy++) for (let xx = px; xx < Math.min(w, px + sx); xx++) map[yy * w + xx] = 1;
    }
  }
  const peak = 2 ** g.bitDepth - 1;
  const psnrDb = sq === 0 ? Infinity : 10 * Math.log10((peak * peak * total) / sq);
  return { psnrDb, changed, total, map };
}

/** The change map at display size: a pixel lights up when any sample under it changed. */
export function downscaleMap(map: Uint8Array, w: number, h: number, dw: number, dh: number): DisplayFrame {
  const rgba = new Uint8ClampedArray(dw * dh * 4);
  for (let y = 0; y < dh; y++) {
    const y0 = Math.floor((y * h) / dh);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * h) / dh));
    for (let x = 0; x < dw; x++) {
      const x0 = Math.floor((x * w) / dw);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * w) / dw));
      let hit = 0;
      for (let yy = y0; yy < y1 && !hit; yy++) for (let xx = x0; xx < x1 && !hit; xx++) hit = map[yy * w + xx];
      const o = (y * dw + x) * 4;
      rgba[o] = hit ? 255 : 16;
      rgba[o + 1] = hit ? 40 : 16;
      rgba[o + 2] = hit ? 200 : 24;
      rgba[o + 3] = 255;
    }
  }
  return { width: dw, height: dh, rgba };
}
