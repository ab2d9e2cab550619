/**
 * `npm run bench`: prints figures and writes them as JSON to
 * bench-results/bench.json (ignored by git). Benchmarks are commands, not
 * timed tests: shared machines make timed assertions flaky.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchReedSolomon } from './rs.bench.ts';

interface Figure { value: number; unit: string; target?: string }

const targets: Record<string, string> = {
  rs255_223_encode_MBps: '>= 200',
  rs255_223_decode_clean_MBps: '>= 300',
  rs255_223_decode_16err_MBps: '>= 20',
};

// Per 1080p luma plane, so the Analyze screen keeps up with decoding in a worker (tens of ms per detector).
const analysisTargets: Record<string, string> = {
  analysis_chi_square_scan_1080p_ms: '<= 50',
  analysis_rs_1080p_ms: '<= 50',
  analysis_spa_1080p_ms: '<= 50',
  analysis_ws_1080p_ms: '<= 50',
  analysis_residual_spam_1080p_ms: '<= 50',
  analysis_temporal_flat_share_1080p_ms: '<= 50',
};

async function main(): Promise<void> {
  const figures: Record<string, Figure> = {};
  // `npm run bench -- rs`, `-- analysis` or `-- media` runs one part; no argument runs all.
  // `-- media --quick` times the 30 s clip only; `-- media --noisy` only
  // compares the decoders on a noisy clip.
  const only = process.argv.slice(2).find((a) => !a.startsWith('--'));
  const quick = process.argv.includes('--quick');
  if (!only || only === 'rs') {
    const rs = await benchReedSolomon();
    for (const [name, value] of Object.entries(rs)) {
      figures[name] = { value: Math.round(value * 10) / 10, unit: 'MB/s', target: targets[name] };
    }
  }
  if (!only || only === 'analysis') {
    const { benchAnalysis } = await import('./analysis.bench.ts');
    for (const [name, value] of Object.entries(await benchAnalysis())) {
      figures[name] = { value: Math.round(value * 10) / 10, unit: 'ms', target: analysisTargets[name] };
    }
  }
  if (!only || only === 'media') {
    // Loaded only now: with Playwright and its dependencies in the process, the
    // Reed-Solomon figures above came out a quarter lower.
    const { benchMedia } = await import('./media.bench.ts');
    Object.assign(figures, await benchMedia(quick, process.argv.includes('--noisy')));
  }
  const result = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30) },
    figures,
  };
  for (const [name, f] of Object.entries(figures)) {
    console.log(`${name.padEnd(34)} ${String(f.value).padStart(10)} ${f.unit}${f.target ? `   (target ${f.target})` : ''}`);
  }
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/bench.json', JSON.stringify(result, null, 2));
  console.log('\nwritten to bench-results/bench.json');
}

await main();
