/**
 * The H.264 I_PCM carrier library's speed: writing a carrier picture (every
 * macroblock I_PCM, emulation prevention included) and reading it back, in
 * CPU ms per frame, at 1920x1080 and 2560x1440 4:2:0 8-bit, CAVLC and CABAC,
 * on random samples and on a flat black frame (all zeros: the most
 * emulation prevention bytes there can be). Parameter sets and the replaced
 * picture's header are written by hand (test-support/h264-synthetic.ts).
 */
import type { PlaneSamples } from '../src/core/geometry.ts';
import { IpcmPictureReader, IpcmPictureWriter, ParameterSets, readSliceHeader, visibleGeometry } from '../src/media/formats/h264/index.ts';
import { syntheticPps, syntheticSliceHeader, syntheticSps } from '../test-support/h264-synthetic.ts';
import { mulberry32 } from '../test-support/seeded-random.ts';

export interface H264Figure {
  value: number;
  unit: string;
}

/**
 * Median CPU time (this process's user and system time) of `reps` runs,
 * after two untimed warm-up runs, in ms. CPU time rather than wall time: on
 * a machine shared with other work, waiting for a core is not the code's cost.
 */
function cpuMedian(reps: number, fn: () => void): number {
  fn();
  fn();
  const t: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t0);
    t.push((d.user + d.system) / 1000);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1];
}

/** Writer and reader figures, keyed by name. */
export function benchH264(): Record<string, H264Figure> {
  const figures: Record<string, H264Figure> = {};
  for (const [label, width, height] of [['1080p', 1920, 1080], ['1440p', 2560, 1440]] as const) {
    const mbw = width / 16;
    const mbh = Math.ceil(height / 16);
    const crop = { left: 0, right: 0, top: 0, bottom: (mbh * 16 - height) / 2 };
    const sps = syntheticSps({ profileIdc: 100, chromaFormatIdc: 1, bitDepth: 8, widthInMbs: mbw, heightInMbs: mbh, crop });
    for (const cabac of [false, true]) {
      const params = ParameterSets.from([sps, syntheticPps({ cabac, deblockingFilterControlPresent: true })]);
      const header = readSliceHeader(syntheticSliceHeader({ idr: false, nalRefIdc: 0, frameNum: 1, pocLsb: 2, cabac, deblockingFilterControlPresent: true }), params);
      const geometry = visibleGeometry(header.sps);
      for (const content of ['random', 'flat'] as const) {
        const rnd = mulberry32(7);
        const planes: PlaneSamples[] = geometry.planes.map((p) => {
          const a = new Uint8Array(p.width * p.height);
          if (content === 'random') for (let i = 0; i < a.length; i++) a[i] = (rnd() * 256) | 0;
          return a;
        });
        const writer = new IpcmPictureWriter();
        let nals: Uint8Array[] = [];
        const writeMs = cpuMedian(15, () => {
          nals = writer.write(header, planes);
        });
        const copy = nals.map((n) => n.slice());
        const reader = new IpcmPictureReader();
        const out = geometry.planes.map((p) => new Uint8Array(p.width * p.height));
        let ok = true;
        const readMs = cpuMedian(15, () => {
          ok = reader.read(copy, params, geometry, out) !== undefined && ok;
        });
        if (!ok || out.some((p, i) => !p.every((v, k) => v === planes[i][k]))) throw new Error('benchH264: the reader did not give back the planes');
        const name = `h264_${label}_${cabac ? 'cabac' : 'cavlc'}_${content}`;
        figures[`${name}_write_ms`] = { value: Math.round(writeMs * 10) / 10, unit: 'ms CPU/frame' };
        figures[`${name}_read_ms`] = { value: Math.round(readMs * 10) / 10, unit: 'ms CPU/frame' };
        figures[`${name}_MB`] = { value: Math.round(copy.reduce((t, n) => t + n.length, 0) / 1e4) / 100, unit: 'MB/frame' };
      }
    }
  }
  return figures;
}
