/**
 * `npx tsx scripts/stealth-budget.ts [--frames N] [--rates 0.01,0.02,...]`:
 * what the shipped steganalysis (src/core/analysis/, its thresholds and
 * classifier as `npm run calibrate` set them) reads on frames carrying data
 * at low rates, by format v2's adaptive embedding and by format v1's LSB
 * matching at the same number of message bits, on the natural videos the
 * calibration held out of training (docs/CALIBRATION.md, split "test").
 * The figures choose STEALTH_DENSITY (src/core/adaptive-format.ts).
 *
 * Each sampled frame is read clean and with each embedding at each rate
 * (message bits per sample of the frame), its neighbours clean, as the
 * calibration does; a frame counts as flagged by a detector when any plane
 * is above that detector's threshold, and by the verdict when the verdict
 * is not "clean". Frames are decoded by native FFmpeg one at a time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createFrameAnalyzer, frameVerdict, VERDICT_THRESHOLDS, withTemporal, type PlaneScores } from '../src/core/analysis/index.ts';
import { HillCost } from '../src/core/embedding-cost.ts';
import { rawFrameBytes, type FramePlanes, type VideoGeometry } from '../src/core/geometry.ts';
import { geometryFor, planesOfRawFrame } from '../src/media/plan/pixel-formats.ts';
import { adaptiveEmbedding } from '../test-support/adaptive-embedding.ts';
import { ensureNativeFfmpeg } from '../test-support/native-ffmpeg.ts';
import { lsbMatching, type Embedder } from '../test-support/synthetic-embedding.ts';

const ROOT = resolve(import.meta.dirname, '..');
const VIDEOS = resolve(ROOT, '../shared/videos');

/** The natural videos the calibration held out of training, as docs/CALIBRATION.md lists them. */
function heldOutVideos(): string[] {
  const doc = readFileSync(join(ROOT, 'docs/CALIBRATION.md'), 'utf8');
  return [...doc.matchAll(/^\| ([^|]+?) \| test \| (\d+)x(\d+) /gm)].map((m) => m[1]).filter((n) => !n.endsWith('.yuv'));
}

function probe(path: string): { width: number; height: number; pixFmt: string; frames: number } {
  const r = spawnSync('ffprobe', ['-v', 'error', '-of', 'json', '-select_streams', 'v:0', '-count_packets', '-show_entries', 'stream=width,height,pix_fmt,nb_read_packets', path], { encoding: 'utf8' });
  const s = (JSON.parse(r.stdout) as { streams: Record<string, string | number>[] }).streams[0];
  return { width: Number(s.width), height: Number(s.height), pixFmt: String(s.pix_fmt), frames: Number(s.nb_read_packets) };
}

async function* decode(path: string, g: VideoGeometry, pixFmt: string): AsyncGenerator<Uint8Array> {
  const p = spawn('ffmpeg', ['-v', 'error', '-noautorotate', '-i', path, '-map', '0:v:0', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', pixFmt, '-'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const size = rawFrameBytes(g);
  let frame = new Uint8Array(size);
  let filled = 0;
  for await (const chunk of p.stdout as AsyncIterable<Buffer>) {
    for (let at = 0; at < chunk.length; ) {
      const n = Math.min(size - filled, chunk.length - at);
      frame.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === size) {
        yield frame;
        frame = new Uint8Array(size); // the caller may keep the last one
        filled = 0;
      }
    }
  }
}

interface Tally {
  frames: number;
  residual: number;
  temporal: number;
  verdict: number;
  lumaResidual: number;
  changed: number;
  /** Total HILL cost of the changed samples. */
  cost: number;
  /** Every frame's luma residual score. */
  readonly lumaScores: number[];
}

const newTally = (): Tally => ({ frames: 0, residual: 0, temporal: 0, verdict: 0, lumaResidual: 0, changed: 0, cost: 0, lumaScores: [] });

/** 1 - P_E: the best a threshold on the score separates clean from stego, (1 - false alarms + detections) / 2 at the best threshold. */
function accuracy(clean: readonly number[], stego: readonly number[]): number {
  const all = [...clean.map((v) => [v, 0] as const), ...stego.map((v) => [v, 1] as const)].sort((a, b) => a[0] - b[0]);
  let cleanBelow = 0;
  let stegoBelow = 0;
  let best = 0.5;
  for (const [, kind] of all) {
    if (kind === 0) cleanBelow++;
    else stegoBelow++;
    // Threshold just above this score: "stego" when above.
    const correct = (cleanBelow / clean.length + (stego.length - stegoBelow) / stego.length) / 2;
    best = Math.max(best, correct, 1 - correct);
  }
  return best;
}

/** The share of `values` above the q-quantile of `reference`. */
function shareAbove(values: readonly number[], reference: readonly number[], q: number): number {
  const sorted = [...reference].sort((a, b) => a - b);
  const t = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return values.filter((v) => v > t).length / Math.max(1, values.length);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const perVideo = Number(opt('--frames') ?? 12);
  const rates = (opt('--rates') ?? '0.01,0.02,0.03,0.05,0.1').split(',').map(Number);
  ensureNativeFfmpeg();
  const embedders: Embedder[] = [lsbMatching, adaptiveEmbedding];
  const tallies = new Map<string, Tally>();
  const tally = (key: string) => {
    let t = tallies.get(key);
    if (!t) tallies.set(key, (t = newTally()));
    return t;
  };
  const hill = new HillCost();
  const videos = heldOutVideos();
  const started = performance.now();
  for (const name of videos) {
    const path = join(VIDEOS, name);
    const info = probe(path);
    const g = geometryFor(info.width, info.height, info.pixFmt, 1);
    if (!g || g.bitDepth !== 8) continue;
    const shape = { planes: g.planes, bitDepth: g.bitDepth };
    const analyzer = createFrameAnalyzer(shape);
    // Sampled frames with a neighbour on each side.
    const wanted = new Set<number>();
    const k = Math.min(perVideo, Math.max(0, info.frames - 2));
    for (let i = 0; i < k; i++) wanted.add(1 + Math.floor(((i + 0.5) * (info.frames - 2)) / k));
    let index = 0;
    let previous: PlaneScores[] | undefined;
    let pending: { variants: Map<string, { scores: PlaneScores[]; changed: number; cost: number }>; previous: PlaneScores[] } | undefined;
    for await (const bytes of decode(path, g, info.pixFmt)) {
      const planes = planesOfRawFrame(g, bytes);
      const scores = analyzer.analyze(planes).map((s) => ({ ...s }));
      if (pending) {
        for (const [key, v] of pending.variants) {
          const evidence = withTemporal([pending.previous, v.scores, scores], 1);
          const verdict = frameVerdict(evidence, VERDICT_THRESHOLDS, g.bitDepth);
          const t = tally(key);
          t.frames++;
          if (verdict.flagged.includes('residual')) t.residual++;
          if (verdict.flagged.includes('temporal')) t.temporal++;
          if (verdict.verdict !== 'clean') t.verdict++;
          t.lumaResidual += evidence[0].residual;
          t.lumaScores.push(evidence[0].residual);
          t.changed += v.changed;
          t.cost += v.cost;
        }
        pending = undefined;
      }
      if (wanted.has(index) && previous) {
        const variants = new Map<string, { scores: PlaneScores[]; changed: number; cost: number }>();
        variants.set('clean', { scores, changed: 0, cost: 0 });
        const costs = hill.frame(planes, g).map((c) => c.slice());
        for (const e of embedders) {
          for (const rate of rates) {
            const stego: FramePlanes = e.embed(planes, shape, rate, (index * 7919) ^ Math.round(rate * 1e6));
            let changed = 0;
            let cost = 0;
            stego.forEach((p, pi) => {
              for (let i = 0; i < p.length; i++) {
                if (p[i] !== planes[pi][i]) {
                  changed++;
                  cost += costs[pi][i];
                }
              }
            });
            variants.set(`${e.name}@${rate}`, { scores: analyzer.analyze(stego).map((s) => ({ ...s })), changed: changed / (g.planes.reduce((n, p) => n + p.width * p.height, 0)), cost });
          }
        }
        pending = { variants, previous };
      }
      previous = scores;
      index++;
    }
    console.error(`${name}: ${wanted.size} frames, ${((performance.now() - started) / 1000).toFixed(0)} s so far`);
  }

  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
  const clean = tally('clean');
  const lines = [
    `Held-out natural videos: ${videos.join(', ')}; ${clean.frames} frames (up to ${perVideo} per video, each with clean neighbours).`,
    '',
    '| embedding | bits per sample | samples changed | residual flagged | temporal flagged | verdict flagged | mean luma residual score | luma residual accuracy (1 - P_E) | luma score above clean 95th percentile | HILL cost of the changes (mean per frame) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    `| clean | 0 | 0 | ${pct(clean.residual, clean.frames)} | ${pct(clean.temporal, clean.frames)} | ${pct(clean.verdict, clean.frames)} | ${(clean.lumaResidual / clean.frames).toFixed(3)} | | 5% | 0 |`,
  ];
  for (const rate of rates) {
    for (const e of embedders) {
      const t = tally(`${e.name}@${rate}`);
      lines.push(
        `| ${e.name} | ${rate} | ${(100 * (t.changed / t.frames)).toFixed(2)}% | ${pct(t.residual, t.frames)} | ${pct(t.temporal, t.frames)} | ${pct(t.verdict, t.frames)} | ${(t.lumaResidual / t.frames).toFixed(3)} | ${accuracy(clean.lumaScores, t.lumaScores).toFixed(3)} | ${(100 * shareAbove(t.lumaScores, clean.lumaScores, 0.95)).toFixed(1)}% | ${(t.cost / t.frames).toExponential(2)} |`,
      );
    }
  }
  console.log(lines.join('\n'));
}

await main();
