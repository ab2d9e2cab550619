/**
 * `npm run bench`: prints figures and writes them as JSON to
 * bench-results/bench.json (ignored by git). Benchmarks are commands, not
 * timed tests: shared machines make timed assertions flaky.
 *
 * `npm run bench -- <part>` runs one part; no argument runs them all, in the
 * order below. `-- media --quick` times the 30 s clip only; `-- media
 * --noisy` only compares the decoders on a noisy clip; `-- same-format
 * --matching` hides with LSB matching instead of the default adaptive embedding.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

interface Figure { value: number; unit: string; target?: string }
type Figures = Record<string, Figure>;

const RS_TARGETS: Record<string, string> = {
  rs255_223_encode_MBps: '>= 200',
  rs255_223_decode_clean_MBps: '>= 300',
  rs255_223_decode_16err_MBps: '>= 20',
};

// Per 1080p luma plane, so the Analyze screen keeps up with decoding in a worker (tens of ms per detector).
const ANALYSIS_TARGETS: Record<string, string> = {
  analysis_chi_square_scan_1080p_ms: '<= 50',
  analysis_rs_1080p_ms: '<= 50',
  analysis_spa_1080p_ms: '<= 50',
  analysis_ws_1080p_ms: '<= 50',
  analysis_residual_spam_1080p_ms: '<= 50',
  analysis_temporal_flat_share_1080p_ms: '<= 50',
};

const quick = process.argv.includes('--quick');
const noisy = process.argv.includes('--noisy');

/**
 * Each part, loaded only when it runs: with Playwright and its dependencies
 * in the process (the media part), the Reed-Solomon figures came out a
 * quarter lower, so media runs last.
 */
const parts: Record<string, () => Promise<Figures>> = {
  rs: async () => {
    const { benchReedSolomon } = await import('./rs.bench.ts');
    const out: Figures = {};
    for (const [name, value] of Object.entries(await benchReedSolomon())) out[name] = { value: Math.round(value * 10) / 10, unit: 'MB/s', target: RS_TARGETS[name] };
    return out;
  },
  analysis: async () => {
    const { benchAnalysis } = await import('./analysis.bench.ts');
    const out: Figures = {};
    for (const [name, value] of Object.entries(await benchAnalysis())) out[name] = { value: Math.round(value * 10) / 10, unit: 'ms', target: ANALYSIS_TARGETS[name] };
    return out;
  },
  positions: async () => (await import('./positions.bench.ts')).benchPositions(),
  stc: async () => (await import('./stc.bench.ts')).benchStc(),
  h264: async () => (await import('./h264.bench.ts')).benchH264(),
  mp4: async () => (await import('./mp4.bench.ts')).benchMp4(),
  'same-format': async () => (await import('./same-format.bench.ts')).benchSameFormat(process.argv.includes('--matching') ? 'matching' : 'adaptive'),
  media: async () => (await import('./media.bench.ts')).benchMedia(quick, noisy),
};

async function main(): Promise<void> {
  const only = process.argv.slice(2).find((a) => !a.startsWith('--'));
  if (only && !(only in parts)) throw new Error(`no bench part "${only}"; the parts are: ${Object.keys(parts).join(', ')}`);
  const figures: Figures = {};
  for (const [name, run] of Object.entries(parts)) if (!only || only === name) Object.assign(figures, await run());
  const result = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    figures,
  };
  for (const [name, f] of Object.entries(figures)) {
    console.log(`${name.padEnd(40)} ${String(f.value).padStart(10)} ${f.unit}${f.target ? `   (target ${f.target})` : ''}`);
  }
  mkdirSync('bench-results', { recursive: true });
  const flags = process.argv.slice(2).filter((a) => a.startsWith('--')).map((a) => a.slice(1));
  const out = `bench-results/bench${only ? `-${only}` : ''}${flags.join('')}.json`;
  writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`\nwritten to ${out}`);
}

await main();
