/**
 * The MP4/MOV reader and rewriter on real files, judged by FFmpeg's own
 * demuxer (the ffmpeg.wasm core's ffprobe, in Node): every H.264 MP4/MOV of
 * the shared corpus, a moov-first file and a file with two audio tracks
 * made here with the core.
 *
 * readMovie must list what ffprobe lists for every track (byte position,
 * size, decode and presentation time, keyframe flag). A rewrite that puts
 * random bytes of other lengths in two or three video samples must leave
 * every other packet of every stream as it was (bytes, timestamps, flags,
 * with edit lists applied and without), give the replaced packets exactly
 * the new bytes, and keep stream count, durations, rotation and edit lists.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../../../test-support/byte-sources.ts';
import { type Core, loadFFmpegCore, run } from '../../../../test-support/ffmpeg-node.ts';
import { checkRewrite } from '../../../../test-support/mp4-check.ts';
import { mulberry32 } from '../../../../test-support/seeded-random.ts';
import { type Movie, planRewrite, readMovie, sampleTable, writeRewrite } from './index.ts';

const CORPUS = join(import.meta.dirname, '../../../../../shared/videos');
const haveCorpus = existsSync(CORPUS);
const corpusFiles = haveCorpus ? readdirSync(CORPUS).filter((f) => /\.(mp4|mov|m4v)$/i.test(f)).sort() : [];

let core: Core;
const generated = new Map<string, Uint8Array>();

beforeAll(async () => {
  core = await loadFFmpegCore();
  // A moov-first MP4 with B-frames (ctts, an edit list) and sound.
  run(core, ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '2', '-g', '12', '-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart', '/faststart.mp4']);
  // A MOV (moov last) with two audio tracks and a display rotation.
  run(core, ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2',
    '-f', 'lavfi', '-i', 'sine=frequency=660:sample_rate=44100:duration=2', '-map', '0', '-map', '1', '-map', '2',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-b:a', '48k', '/encoded.mov']);
  // FFmpeg 5.1 writes a rotation tag into the display matrix only when copying.
  run(core, ['-i', '/encoded.mov', '-map', '0', '-c', 'copy', '-metadata:s:v:0', 'rotate=90', '/two-audio.mov']);
  core.FS.unlink('/encoded.mov');
  for (const name of ['faststart.mp4', 'two-audio.mov']) {
    generated.set(name, core.FS.readFile(`/${name}`).slice());
    core.FS.unlink(`/${name}`);
  }
}, 120_000);

interface Packet {
  pts: string;
  dts: string;
  size: number;
  pos: number;
  flags: string;
  hash: string;
  /** Packet side data FFmpeg attaches (an edit list's skip samples), as text. */
  side: string;
}

/**
 * Every packet of every stream, in decode order per stream. `rawTables`
 * turns edit lists off, so times are the sample tables' own.
 */
function probePackets(path: string, rawTables: boolean): Packet[][] {
  core.ffprobe('-v', 'error', '-ignore_editlist', rawTables ? '1' : '0', '-show_entries', 'packet=stream_index,pts,dts,size,pos,flags,data_hash:packet_side_data',
    '-show_data_hash', 'MD5', '-of', 'compact=p=1', '-o', '/packets.txt', path);
  core.reset();
  const text = core.FS.readFile('/packets.txt', { encoding: 'utf8' });
  core.FS.unlink('/packets.txt');
  const streams: Packet[][] = [];
  // A packet with side data continues on the next line (which starts with '|'). Sections an earlier call asked
  // for may show up too: the core's ffprobe keeps them.
  for (const record of text.split(/\n(?=[a-z_]+\|)/)) {
    if (!record.startsWith('packet|')) continue;
    const fields = record.replace(/\n/g, '').slice(7).split('|');
    const f = Object.fromEntries(fields.filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    const side = fields.filter((kv) => /^(side_data|skip|discard)/.test(kv)).join('|');
    (streams[Number(f.stream_index)] ??= []).push({ pts: f.pts, dts: f.dts, size: Number(f.size), pos: Number(f.pos), flags: f.flags, hash: f.data_hash.replace(/^MD5:/, ''), side });
  }
  return streams;
}

/** What the container says about each stream and the whole file: what a rewrite must keep. */
function probeStreams(path: string): { streams: Record<string, unknown>[]; format: Record<string, unknown> } {
  core.ffprobe('-v', 'error', '-show_entries',
    'stream=index,codec_type,codec_name,codec_tag_string,width,height,time_base,start_pts,start_time,duration_ts,duration,nb_frames,r_frame_rate,avg_frame_rate:stream_side_data:stream_tags:stream_disposition:format=nb_streams,format_name,start_time,duration:format_tags',
    '-of', 'json', '-o', '/streams.json', path);
  core.reset();
  const json = JSON.parse(core.FS.readFile('/streams.json', { encoding: 'utf8' })) as { streams: Record<string, unknown>[]; format: Record<string, unknown> };
  core.FS.unlink('/streams.json');
  return { streams: json.streams, format: json.format };
}

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

function randomBytes(n: number, seed: number): Uint8Array {
  const r = mulberry32(seed);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (r() * 256) | 0;
  return b;
}

/** readMovie's tables of every track against ffprobe's packets with edit lists off. */
function expectTablesMatchProbe(movie: Movie, packets: Packet[][]): void {
  expect(packets.length).toBe(movie.tracks.length);
  movie.tracks.forEach((t, i) => {
    const s = sampleTable(t);
    const p = packets[i];
    expect(p.length, `track ${t.id} packets`).toBe(s.count);
    const mine = Array.from({ length: s.count }, (_, k) => `${s.offset[k]} ${s.size[k]} ${s.decodeTime[k]} ${s.compositionTime[k]} ${s.sync[k] ? 'K' : '_'}`);
    const theirs = p.map((q) => `${q.pos} ${q.size} ${q.dts} ${q.pts} ${q.flags[0]}`);
    expect(mine, `track ${t.id}`).toEqual(theirs);
  });
}

function rewriteAndCheck(name: string, bytes: Uint8Array): void {
  const src = bufferSource(bytes);
  const movie = readMovie(src);
  core.FS.writeFile('/in.mp4', bytes);
  const rawIn = probePackets('/in.mp4', true);
  expectTablesMatchProbe(movie, rawIn);

  const vi = movie.tracks.findIndex((t) => t.handler === 'vide' && /^avc[13]$/.test(t.sampleEntries[0]?.type ?? ''));
  expect(vi, 'an H.264 video track').toBeGreaterThanOrEqual(0);
  const video = movie.tracks[vi];
  expect(video.sampleEntries[0].avcC?.[0]).toBe(1); // configurationVersion of an AVCDecoderConfigurationRecord
  const n = video.sampleCount;
  const { size: sizes, sync } = sampleTable(video);
  // Non-sync samples, as carriers are: FFmpeg's H.264 parser judges a packet's keyframe flag by its bytes too.
  const candidates = [...sync.keys()].filter((k) => !sync[k]);
  const picks = [...new Set([candidates[0], candidates[candidates.length >> 1], candidates[candidates.length - 1]])];
  expect(picks.length).toBeGreaterThanOrEqual(2);
  // Larger, smaller, larger: by up to 3 MB, as an I_PCM picture of a 1080p frame would be.
  const rnd = mulberry32(n);
  const replacements = new Map(picks.map((k, i) => [k, randomBytes(i % 2 ? Math.max(1, sizes[k] >> 1) : sizes[k] + 1 + Math.floor(rnd() * (i === 0 ? 3_000_000 : 40_000)), k)]));
  const plan = planRewrite(movie, video.id, new Map([...replacements].map(([k, b]) => [k, b.length])));
  const output = new Uint8Array(plan.outputSize);
  let at = 0;
  writeRewrite(plan, src, (k) => replacements.get(k)!, (b) => {
    output.set(b, at);
    at += b.length;
  });
  expect(at).toBe(plan.outputSize);
  core.FS.writeFile('/out.mp4', output);

  // The sample tables, every box and every byte: as the source but the replaced samples.
  const after = checkRewrite({ input: src, output: bufferSource(output), track: vi, replacements, everyByte: true });
  movie.tracks.forEach((t, i) => {
    expect(after.tracks[i].edits).toEqual(t.edits);
    expect(after.tracks[i].matrix).toEqual(t.matrix);
  });

  // FFmpeg's view, edit lists off: the replaced packets hold the new bytes; every other packet is as it was.
  const rawOut = probePackets('/out.mp4', true);
  expectTablesMatchProbe(after, rawOut);
  const hashes = new Map([...replacements].map(([k, b]) => [k, md5(b)]));
  for (let s = 0; s < rawIn.length; s++) {
    expect(rawOut[s].length).toBe(rawIn[s].length);
    for (let k = 0; k < rawIn[s].length; k++) {
      const a = rawIn[s][k];
      const b = rawOut[s][k];
      const r = s === vi ? replacements.get(k) : undefined;
      expect([b.pts, b.dts, b.flags, b.side]).toEqual([a.pts, a.dts, a.flags, a.side]);
      if (r) expect([b.size, b.hash]).toEqual([r.length, hashes.get(k)]);
      else expect([b.size, b.hash], `stream ${s} packet ${k}`).toEqual([a.size, a.hash]);
    }
  }

  // Edit lists applied: the same packets, timestamps and flags (discarded ones included).
  const editedIn = probePackets('/in.mp4', false);
  const editedOut = probePackets('/out.mp4', false);
  const replacedHashes = new Set(hashes.values());
  let replacedSeen = 0;
  for (let s = 0; s < editedIn.length; s++) {
    expect(editedOut[s].length).toBe(editedIn[s].length);
    for (let k = 0; k < editedIn[s].length; k++) {
      const a = editedIn[s][k];
      const b = editedOut[s][k];
      expect([b.pts, b.dts, b.flags, b.side]).toEqual([a.pts, a.dts, a.flags, a.side]);
      if (s === vi && replacedHashes.has(b.hash)) replacedSeen++;
      else expect([b.size, b.hash]).toEqual([a.size, a.hash]);
    }
  }
  expect(replacedSeen).toBe(replacements.size);

  // Streams, durations, rotation, tags: as the container gave them.
  const infoIn = probeStreams('/in.mp4');
  const infoOut = probeStreams('/out.mp4');
  expect(infoOut).toEqual(infoIn);
  const rotation = { 'fluentffmpeg_IMG_0034.MOV': 180, 'two-audio.mov': 90 }[name];
  if (rotation) {
    const sides = infoOut.streams.flatMap((s) => (s.side_data_list as { rotation?: number }[] | undefined) ?? []);
    expect(sides.map((d) => Math.abs(d.rotation ?? 0))).toContain(rotation);
  }
  core.FS.unlink('/in.mp4');
  core.FS.unlink('/out.mp4');
}

describe.skipIf(!haveCorpus)(`every H.264 MP4/MOV of the shared corpus${haveCorpus ? '' : ` (skipped: no corpus at ${CORPUS})`}`, () => {
  it('holds H.264 MP4/MOV files to test', () => {
    expect(corpusFiles.length).toBeGreaterThanOrEqual(15);
  });
  for (const name of corpusFiles) {
    it(`${name}: tables as ffprobe lists them; three samples replaced, every other packet kept`, () => {
      rewriteAndCheck(name, new Uint8Array(readFileSync(join(CORPUS, name))));
    });
  }
});

describe('files made with the core', () => {
  it('a moov-first MP4 (faststart): offsets behind each replaced sample follow it, the movie box before them', () => {
    const bytes = generated.get('faststart.mp4')!;
    const movie = readMovie(bufferSource(bytes));
    const types = movie.topLevel.map((b) => b.type);
    expect(types.indexOf('moov')).toBeLessThan(types.indexOf('mdat'));
    expect(movie.tracks[0].compositionOffsets).toBeDefined();
    expect(movie.tracks[0].edits?.length).toBeGreaterThan(0);
    rewriteAndCheck('faststart.mp4', bytes);
  });

  it('a MOV with two audio tracks and a rotation: all three tracks keep their packets', () => {
    const bytes = generated.get('two-audio.mov')!;
    const movie = readMovie(bufferSource(bytes));
    expect(movie.tracks.map((t) => t.handler)).toEqual(['vide', 'soun', 'soun']);
    expect(movie.tracks[0].matrix[1]).not.toBe(0);
    rewriteAndCheck('two-audio.mov', bytes);
  });
});
