/**
 * The NUT frame tap on real streams written by the ffmpeg.wasm core: every
 * frame found, whatever the chunking; bytes passed through unchanged; edited
 * frames land exactly where FFmpeg reads them back, and nowhere else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { frameHashes, loadFFmpegCore, run, type Core } from '../../../../test-support/ffmpeg-node.ts';
import { mulberry32 } from '../../../../test-support/seeded-random.ts';
import { NutFrameTap } from './frame-tap.ts';
import { FIXTURES } from '../../../../test-support/paths.ts';

let core: Core;
beforeAll(async () => {
  core = await loadFFmpegCore();
});

function rawNut(inputArgs: string[], pixFmt?: string): Uint8Array {
  run(core, [...inputArgs, '-map', '0:v:0', ...(pixFmt ? ['-pix_fmt', pixFmt] : []), '-c:v', 'rawvideo', '-fps_mode', 'passthrough', '-enc_time_base', '-1', '-f', 'nut', '/raw.nut']);
  const bytes = core.FS.readFile('/raw.nut');
  core.FS.unlink('/raw.nut');
  return bytes;
}

function tapThrough(stream: Uint8Array, frameBytes: number, edit: Set<number>, seed: number): { out: Uint8Array; frames: number } {
  const out = new Uint8Array(stream.length);
  let filled = 0;
  const tap = new NutFrameTap(frameBytes, {
    wants: (i) => edit.has(i),
    edit: (_, frame) => {
      for (let k = 0; k < frame.length; k += 97) frame[k] ^= 1;
    },
    out: (b) => {
      out.set(b, filled);
      filled += b.length;
    },
  });
  const rnd = mulberry32(seed);
  for (let at = 0; at < stream.length; ) {
    const n = 1 + Math.floor(rnd() ** 3 * 300_000); // many tiny chunks, some large
    tap.push(stream.subarray(at, at + n));
    at += n;
  }
  tap.end();
  expect(filled).toBe(stream.length);
  return { out, frames: tap.frames };
}

describe('NutFrameTap', () => {
  const cases: [string, () => Uint8Array, number, number][] = [
    ['H.264 960x540 with B-frames (mdn_flower.mp4)', () => (core.FS.writeFile('/in.mp4', readFileSync(join(FIXTURES, 'mdn_flower.mp4'))), rawNut(['-i', '/in.mp4', '-t', '1'])), 960 * 540 * 1.5, 30],
    ['10-bit 4:2:0, odd chroma height', () => rawNut(['-f', 'lavfi', '-i', 'testsrc2=size=66x46:rate=7:duration=2'], 'yuv420p10le'), (66 * 46 + 2 * 33 * 23) * 2, 14],
    ['4:4:4', () => rawNut(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=5:duration=2'], 'yuv444p'), 64 * 48 * 3, 10],
  ];
  for (const [name, make, frameBytes, frames] of cases) {
    it(`finds every frame and changes only the chosen ones: ${name}`, () => {
      const stream = make();
      for (const seed of [1, 2, 3]) {
        const same = tapThrough(stream, frameBytes, new Set(), seed);
        expect(same.frames).toBe(frames);
        expect(Buffer.from(same.out.buffer).equals(Buffer.from(stream.buffer, stream.byteOffset, stream.length))).toBe(true);
      }
      const edited = tapThrough(stream, frameBytes, new Set([0, 3, frames - 1]), 9);
      core.FS.writeFile('/a.nut', stream);
      core.FS.writeFile('/b.nut', edited.out);
      const a = frameHashes(core, '/a.nut', '0:v:0', false);
      const b = frameHashes(core, '/b.nut', '0:v:0', false);
      expect(b.length).toBe(frames);
      b.forEach((f, i) => {
        expect(f.time).toBe(a[i].time);
        if ([0, 3, frames - 1].includes(i)) expect(f.hash).not.toBe(a[i].hash);
        else expect(f.hash).toBe(a[i].hash);
      });
    });
  }

  it('refuses a stream cut in the middle of a frame', () => {
    const stream = rawNut(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=5:duration=1']);
    const tap = new NutFrameTap(64 * 48 * 1.5, { wants: () => false, edit: () => undefined, out: () => undefined });
    tap.push(stream.subarray(0, stream.length - 100));
    expect(() => tap.end()).toThrow(/ended inside/);
  });

  it('refuses frames of the wrong size', () => {
    const stream = rawNut(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=5:duration=1']);
    const tap = new NutFrameTap(64 * 48 * 3, { wants: () => false, edit: () => undefined, out: () => undefined });
    expect(() => tap.push(stream)).toThrow(/bytes where/);
  });
});
