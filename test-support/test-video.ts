/**
 * Frames for core tests, held in memory: real camera texture (the corpus's
 * foreman frames, tiled and shifted to any size, frame count and bit depth)
 * and synthetic pictures with what decoded video has (flat letterbox bars,
 * smooth gradients, textured and noisy patches).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlaneSamples, VideoGeometry } from '../src/core/geometry.ts';
import { CORPUS } from './paths.ts';
import { mulberry32 } from './seeded-random.ts';

const FOREMAN_W = 352;
const FOREMAN_H = 288;

let foreman: Uint8Array | undefined;

/** The corpus's two foreman CIF frames, 4:2:0, as raw planes. */
function foremanBytes(): Uint8Array {
  foreman ??= new Uint8Array(readFileSync(join(CORPUS, 'foreman_cif_2frames.yuv')));
  return foreman;
}

function newPlane(g: VideoGeometry, p: number): PlaneSamples {
  const n = g.planes[p].width * g.planes[p].height;
  return g.bitDepth > 8 ? new Uint16Array(n) : new Uint8Array(n);
}

/**
 * A video of real camera texture: foreman's planes tiled over each plane of
 * `g` (chroma of any subsampling read from foreman's 4:2:0 chroma), shifted
 * a little from frame to frame, scaled up to the bit depth with seeded noise
 * in the new low bits.
 */
export function foremanVideo(g: VideoGeometry, seed = 1): PlaneSamples[][] {
  const src = foremanBytes();
  const rnd = mulberry32(seed);
  const y = FOREMAN_W * FOREMAN_H;
  const c = y / 4;
  const shift = g.bitDepth - 8;
  return Array.from({ length: g.frameCount }, (_, f) => {
    const base = (f % 2) * (y + 2 * c);
    return g.planes.map((pg, p) => {
      const out = newPlane(g, p);
      const sw = p === 0 ? FOREMAN_W : FOREMAN_W / 2;
      const sh = p === 0 ? FOREMAN_H : FOREMAN_H / 2;
      const at = base + (p === 0 ? 0 : y + (p - 1) * c);
      const dx = (f * 3) % sw;
      const dy = (f * 2) % sh;
      for (let r = 0; r < pg.height; r++) {
        const row = ((r + dy) % sh) * sw + at;
        for (let x = 0; x < pg.width; x++) {
          const v = src[row + ((x + dx) % sw)];
          out[r * pg.width + x] = shift > 0 ? (v << shift) | Math.floor(rnd() * (1 << shift)) : v;
        }
      }
      return out;
    });
  });
}

/**
 * A synthetic video with what frames decoded from compressed video have:
 * flat black bars top and bottom (exactly constant), a smooth gradient, and
 * a band of noisy texture, different in every frame.
 */
export function syntheticVideo(g: VideoGeometry, seed = 1): PlaneSamples[][] {
  const rnd = mulberry32(seed);
  const max = 2 ** g.bitDepth - 1;
  return Array.from({ length: g.frameCount }, (_, f) =>
    g.planes.map((pg, p) => {
      const out = newPlane(g, p);
      const bar = Math.floor(pg.height / 8);
      for (let r = 0; r < pg.height; r++) {
        for (let x = 0; x < pg.width; x++) {
          let v: number;
          if (r < bar || r >= pg.height - bar) v = p === 0 ? 16 : 128;
          else if (x < pg.width / 2) v = 40 + (150 * (x + r + f)) / (pg.width / 2 + pg.height);
          else v = 60 + 120 * rnd() + 20 * Math.sin((x + f) / 7) * Math.cos(r / 5);
          out[r * pg.width + x] = Math.max(0, Math.min(max, Math.round((v / 255) * max)));
        }
      }
      return out;
    }),
  );
}

/** A deep copy of a video's planes. */
export function cloneVideo(v: readonly (readonly PlaneSamples[])[]): PlaneSamples[][] {
  return v.map((f) => f.map((p) => p.slice()));
}

/** Samples that differ between two videos, and the largest difference. */
export function differences(a: readonly (readonly PlaneSamples[])[], b: readonly (readonly PlaneSamples[])[]): { changed: number; maxStep: number; frames: Set<number> } {
  let changed = 0;
  let maxStep = 0;
  const frames = new Set<number>();
  a.forEach((fa, f) =>
    fa.forEach((pa, p) => {
      const pb = b[f][p];
      for (let i = 0; i < pa.length; i++) {
        const d = Math.abs(pa[i] - pb[i]);
        if (d) {
          changed++;
          frames.add(f);
          if (d > maxStep) maxStep = d;
        }
      }
    }),
  );
  return { changed, maxStep, frames };
}
