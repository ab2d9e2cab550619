/**
 * MP4 reader and rewriter figures: a two-hour 1080p60 movie's tables
 * (virtual: its 13.5 GB of media exist only as a formula) read, expanded and
 * planned for 200 carrier pictures of an I_PCM frame's size; and the
 * streaming writer's copy rate from a file descriptor (a sparse 2 GiB file,
 * so no disk is worn) into a sink that only counts.
 */
import { closeSync, ftruncateSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSource } from '../test-support/byte-sources.ts';
import { type MdatItem, type SyntheticTrack, buildFile, syntheticSource } from '../test-support/mp4-builder.ts';
import { mulberry32 } from '../test-support/seeded-random.ts';
import { planRewrite, readMovie, sampleTable, writeRewrite } from '../src/media/formats/mp4/index.ts';

interface Figure { value: number; unit: string }

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

function best(runs: number, f: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/** Two hours at 60 fps with AAC: 432,000 video and 337,500 audio samples, chunks of half a second, interleaved. */
function twoHourMovie(): { tracks: SyntheticTrack[]; items: MdatItem[] } {
  const r = mulberry32(7);
  const frames = 2 * 3600 * 60;
  const sizes = Array.from({ length: frames }, (_, i) => (i % 120 === 0 ? 150_000 : 10_000 + Math.floor(r() * 40_000)));
  const video: SyntheticTrack = {
    id: 1, handler: 'vide', timescale: 15360, sizes, chunkSamples: Array(frames / 30).fill(30),
    deltas: Array(frames).fill(256), compositionOffsets: sizes.map((_, i) => (i % 3) * 256), sync: sizes.flatMap((_, i) => (i % 120 === 0 ? [i] : [])), co64: true,
  };
  const audioSamples = 337_500;
  const audio: SyntheticTrack = {
    id: 2, handler: 'soun', timescale: 48000, sizes: Array(audioSamples).fill(0).map(() => 300 + Math.floor(r() * 100)),
    chunkSamples: [...Array(14_400).fill(23), audioSamples - 23 * 14_400].filter((n) => n > 0), deltas: Array(audioSamples).fill(1024), co64: true,
  };
  const items: MdatItem[] = [];
  for (let c = 0; c < Math.max(video.chunkSamples.length, audio.chunkSamples.length); c++) {
    if (c < video.chunkSamples.length) items.push({ track: 0, chunk: c });
    if (c < audio.chunkSamples.length) items.push({ track: 1, chunk: c });
  }
  return { tracks: [video, audio], items };
}

export function benchMp4(): Record<string, Figure> {
  const figures: Record<string, Figure> = {};
  const { tracks, items } = twoHourMovie();
  const file = buildFile(tracks, [{ kind: 'ftyp' }, { kind: 'mdat', items, largeSize: true }, { kind: 'moov' }]);
  const src = syntheticSource(file);
  let movie = readMovie(src);
  figures.mp4_2h_file_GB = { value: round(file.size / 1e9), unit: 'GB' };
  figures.mp4_2h_moov_MB = { value: round(movie.moov.size / 1e6, 2), unit: 'MB' };
  figures.mp4_2h_readMovie_ms = { value: round(best(5, () => (movie = readMovie(src)))), unit: 'ms' };
  figures.mp4_2h_sampleTable_video_ms = { value: round(best(5, () => sampleTable(movie.tracks[0]))), unit: 'ms' };
  // 200 carriers, each an I_PCM 1080p picture (8160 macroblocks of 386 bytes).
  const carriers = new Map<number, number>();
  for (let i = 0; i < 200; i++) carriers.set(1 + i * 2150, 8160 * 386);
  let outputSize = 0;
  figures.mp4_2h_plan_200_carriers_ms = { value: round(best(5, () => (outputSize = planRewrite(movie, 1, carriers).outputSize))), unit: 'ms' };
  figures.mp4_2h_output_growth_MB = { value: round((outputSize - file.size) / 1e6), unit: 'MB' };

  // Copy rate: the same kind of movie box after a sparse 2 GiB media data box, on disk.
  const small = buildFile(
    [{ id: 1, handler: 'vide', sizes: [1000, 1000], chunkSamples: [1, 1], sync: [0] }],
    [{ kind: 'ftyp' }, { kind: 'mdat', items: [{ track: 0, chunk: 0 }, { gap: 2 * 2 ** 30 }, { track: 0, chunk: 1 }] }, { kind: 'moov' }],
  );
  const path = join(tmpdir(), `vidstega-mp4-bench-${process.pid}.mp4`);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, small.size);
  for (const region of small.regions) writeSync(fd, region.bytes, 0, region.bytes.length, region.offset);
  closeSync(fd);
  try {
    const disk = fileSource(path);
    const m = readMovie(disk);
    const replacement = new Uint8Array(8160 * 386);
    const plan = planRewrite(m, 1, new Map([[0, replacement.length]]));
    let written = 0;
    const ms = best(2, () => {
      written = 0;
      writeRewrite(plan, disk, () => replacement, (b) => (written += b.length));
    });
    disk.close();
    figures.mp4_writeRewrite_fd_copy_MBps = { value: round(written / 1e6 / (ms / 1000), 0), unit: 'MB/s' };
  } finally {
    unlinkSync(path);
  }
  return figures;
}
