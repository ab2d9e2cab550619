/**
 * Syndrome-trellis codes and HILL costs (`npm run bench -- stc`):
 *
 * - embedding efficiency e = message bits per changed cover bit, with
 *   uniform costs (the usual measure), at relative payloads 0.05 .. 1, for
 *   constraint heights 7, 8 and 10, beside plain LSB matching (each bit in
 *   its own sample: e = 2) and the bound for any binary code,
 *   α / H⁻¹(α); covers and messages differ from those the submatrix seeds
 *   were chosen on;
 * - what the seed table gains over seed 0, and what chunking costs;
 * - the Viterbi embedder's and the extractor's time per cover bit;
 * - HILL's time on a 1080p 4:2:0 frame, and one frame's adaptive
 *   embedding end to end.
 *
 * Times are CPU time (see {@link cpuMs}), best of a few runs.
 */
import { AdaptiveEmbedder } from '../src/core/adaptive-embed.ts';
import { HillCost } from '../src/core/embedding-cost.ts';
import { yuvGeometry } from '../src/core/geometry.ts';
import { KeyedPermutation } from '../src/core/keyed-permutation.ts';
import { Xorshift } from '../src/core/prng.ts';
import { eligibleSpace } from '../src/core/sample-order.ts';
import { generateSubmatrix, StcEmbedder, stcExtract, stcLayout, stcParams, type StcParams } from '../src/core/stc/index.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../test-support/seeded-random.ts';

interface Figure { value: number; unit: string; target?: string }

const PAYLOADS: readonly [string, number][] = [
  ['0.05', 0.05],
  ['0.1', 0.1],
  ['0.25', 0.25],
  ['1/3', 1 / 3],
  ['0.5', 0.5],
  ['1', 1],
];
const HEIGHTS = [7, 8, 10];

function bits(n: number, rnd: () => number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rnd() < 0.5 ? 1 : 0;
  return out;
}

/** Binary entropy. */
function entropy(p: number): number {
  return p <= 0 || p >= 1 ? 0 : -p * Math.log2(p) - (1 - p) * Math.log2(1 - p);
}

/** The most efficient any binary code can be at relative payload α: α / H⁻¹(α). */
function efficiencyBound(alpha: number): number {
  let lo = 0;
  let hi = 0.5;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (entropy(mid) < alpha) lo = mid;
    else hi = mid;
  }
  return alpha / ((lo + hi) / 2);
}

/**
 * CPU time of `fn` in ms: user + system time of this process, which on a
 * shared machine varies far less than wall time with what else runs (all
 * of this is single-threaded).
 */
function cpuMs(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000;
}

/** Best CPU time of `reps` runs after one warm-up, in ms. */
function timeBest(reps: number, fn: () => void): number {
  fn();
  let best = Infinity;
  for (let r = 0; r < reps; r++) best = Math.min(best, cpuMs(fn));
  return best;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** A 1080p 4:2:0 frame of natural texture: the foreman frame's planes tiled. */
function tiledFrame(): Uint8Array[] {
  const raw = readFileSync(join(import.meta.dirname, '../../shared/videos/foreman_cif_2frames.yuv'));
  const fw = 352;
  const fh = 288;
  const planes = [
    { w: 1920, h: 1080, src: raw.subarray(0, fw * fh), sw: fw, sh: fh },
    { w: 960, h: 540, src: raw.subarray(fw * fh, fw * fh * 1.25), sw: fw / 2, sh: fh / 2 },
    { w: 960, h: 540, src: raw.subarray(fw * fh * 1.25, fw * fh * 1.5), sw: fw / 2, sh: fh / 2 },
  ];
  return planes.map(({ w, h, src, sw, sh }) => {
    const out = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = src[(y % sh) * sw + (x % sw)];
    return out;
  });
}

/** Runs the syndrome-trellis and cost benchmarks; figures keyed by name. */
export function benchStc(): Record<string, Figure> {
  const figures: Record<string, Figure> = {};
  const rnd = mulberry32(0xbe4c);

  // Efficiency, uniform costs.
  const n = 1 << 17;
  const cover = bits(n, rnd);
  const ones = new Float32Array(n).fill(1);
  const stego = new Uint8Array(n);
  for (const [label, alpha] of PAYLOADS) {
    const m = Math.round(alpha * n);
    const message = bits(m, rnd);
    let plainChanges = 0;
    for (let i = 0; i < m; i++) if (cover[i] !== message[i]) plainChanges++;
    figures[`stc_e_plain_lsb_a${label}`] = { value: round(m / plainChanges, 3), unit: 'bits/change' };
    figures[`stc_e_bound_a${label}`] = { value: round(efficiencyBound(alpha), 3), unit: 'bits/change' };
    for (const h of HEIGHTS) {
      const params = stcParams(h);
      const r = new StcEmbedder(params).embed(cover, ones, message, stego);
      if (!stcExtract(stego, m, params).every((b, i) => b === message[i])) throw new Error('benchStc: a message did not come back');
      figures[`stc_e_h${h}_a${label}`] = {
        value: round(m / r.changes, 3),
        unit: 'bits/change',
        target: alpha === 0.5 ? '> 2 (plain LSB matching), well above' : undefined,
      };
    }
  }

  // The seed table against seed 0, at h = 7.
  {
    const e7 = new StcEmbedder(stcParams(7));
    for (const [label, alpha] of [['0.5', 0.5], ['1/3', 1 / 3], ['0.25', 0.25], ['0.1', 0.1]] as const) {
      const m = Math.round(alpha * n);
      const message = bits(m, rnd);
      const table = e7.embed(cover, ones, message, stego).changes;
      const seed0 = e7.embedLayout(stcLayout(n, m, stcParams(7), (h, w) => generateSubmatrix(h, w, 0)), cover, ones, message, stego).changes;
      figures[`stc_seed_table_gain_h7_a${label}`] = { value: round((100 * (seed0 - table)) / seed0, 2), unit: '% fewer changes' };
    }
  }

  // Chunking at h = 10 (chunks of 65536 cover bits) against one trellis over the cover.
  {
    const nc = 1 << 18;
    const c = bits(nc, rnd);
    const u = new Float32Array(nc).fill(1);
    const message = bits(nc / 4, rnd);
    const chunked = new StcEmbedder(stcParams(10)).embed(c, u, message).changes;
    const whole: StcParams = { height: 10, chunkColumns: nc };
    const single = new StcEmbedder(whole).embed(c, u, message).changes;
    figures.stc_chunk_loss_h10_a0_25 = { value: round((100 * (chunked - single)) / single, 3), unit: '% more changes' };
  }

  // Time per cover bit, random costs.
  {
    const nt = 1 << 18;
    const c = bits(nt, rnd);
    const costs = new Float32Array(nt);
    for (let i = 0; i < nt; i++) costs[i] = rnd();
    const out = new Uint8Array(nt);
    for (const h of HEIGHTS) {
      const e = new StcEmbedder(stcParams(h));
      for (const [label, alpha] of [['0.5', 0.5], ['0.1', 0.1]] as const) {
        const message = bits(Math.round(alpha * nt), rnd);
        const ms = timeBest(h >= 10 ? 1 : 3, () => e.embed(c, costs, message, out));
        figures[`stc_embed_h${h}_a${label}_ns_per_bit`] = { value: Math.round((ms * 1e6) / nt), unit: 'ns/cover bit' };
      }
    }
    const m = nt / 2;
    const buf = new Uint8Array(m);
    const ms = timeBest(5, () => stcExtract(out, m, stcParams(7), buf));
    figures.stc_extract_h7_a0_5_ns_per_bit = { value: round((ms * 1e6) / nt, 1), unit: 'ns/cover bit' };
  }

  // HILL on a 1080p 4:2:0 frame, and one frame's adaptive embedding end to end.
  {
    const planes = tiledFrame();
    const g = yuvGeometry(1920, 1080, '420', 1);
    const samples = planes.reduce((s, p) => s + p.length, 0);
    const hill = new HillCost();
    const costs: Float32Array[] = [];
    const ms = timeBest(3, () => hill.frame(planes, g, costs));
    figures.hill_1080p_frame_ms = { value: Math.round(ms), unit: 'ms' };
    figures.hill_ms_per_megasample = { value: round(ms / (samples / 1e6), 1), unit: 'ms/Msample' };

    // One frame's adaptive embedding and extraction, end to end: (a) format 1's automatic density, 1/8 of
    // the samples as cover, at relative payload 1/4; (b) every sample of the frame as cover at 0.05.
    const space = eligibleSpace(g, 7);
    const embedder = new AdaptiveEmbedder();
    for (const [label, coverShare, alpha] of [['eighth_a0_25', 1 / 8, 0.25], ['full_a0_05', 1, 0.05]] as const) {
      const positions = new Uint32Array(Math.floor(space.size * coverShare));
      new KeyedPermutation(new Uint8Array(32).fill(5), space.size, 0).writeRange(0, positions.length, positions);
      const message = bits(Math.round(positions.length * alpha), rnd);
      const work = planes.map((p) => p.slice());
      let r = { changed: 0, cost: 0 };
      const total = cpuMs(() => {
        hill.frame(work, g, costs);
        r = embedder.embed(work, space, costs, positions, message, { maxValue: 255, rng: new Xorshift(1) });
      });
      const read = timeBest(3, () => embedder.extract(work, space, positions, message.length));
      const what = `${message.length} bits in ${positions.length} samples`;
      figures[`adaptive_1080p_${label}_embed_ms`] = { value: Math.round(total), unit: `ms (HILL + STC h=7, ${what})` };
      figures[`adaptive_1080p_${label}_extract_ms`] = { value: round(read, 1), unit: 'ms (gather LSBs + H·y)' };
      figures[`adaptive_1080p_${label}_changes`] = { value: r.changed, unit: 'samples changed' };
    }
  }
  return figures;
}
