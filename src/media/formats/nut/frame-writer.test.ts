/**
 * The NUT frame writer against the real ffmpeg.wasm core: frames taken out
 * of a stream FFmpeg wrote, written again after FFmpeg's own headers with
 * this writer's syncpoints and frame headers, must decode to the same frames
 * at the same timestamps; and the FFV1 encoder must accept the stream.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { frameHashes, loadFFmpegCore, run, type Core } from '../../../../test-support/ffmpeg-node.ts';
import { NutFrameTap } from './frame-tap.ts';
import { NutFrameWriter, nutChecksum, readNutHeaders } from './frame-writer.ts';
import { FILE_ID, Reader, readPacketHeader } from './syntax.ts';
import { probePackets } from '../../worker/ffmpeg/ffprobe.ts';
import { FIXTURES } from '../../../../test-support/paths.ts';

let core: Core;
beforeAll(async () => {
  core = await loadFFmpegCore();
});

function rawNut(inputArgs: string[], pixFmt?: string): Uint8Array {
  run(core, ['-copyts', ...inputArgs, '-map', '0:v:0', ...(pixFmt ? ['-pix_fmt', pixFmt] : []), '-c:v', 'rawvideo', '-fps_mode', 'passthrough', '-enc_time_base', '-1', '-f', 'nut', '/raw.nut']);
  const bytes = core.FS.readFile('/raw.nut');
  core.FS.unlink('/raw.nut');
  return bytes;
}

/** The raw frames of a NUT stream, in order. */
function framesOf(stream: Uint8Array, frameBytes: number): Uint8Array[] {
  const frames: Uint8Array[] = [];
  const tap = new NutFrameTap(frameBytes, { wants: () => true, edit: (_, f) => void frames.push(f.slice()), out: () => undefined });
  tap.push(stream);
  tap.end();
  return frames;
}

function rewrite(stream: Uint8Array, frameBytes: number, pts: readonly number[]): Uint8Array {
  const headers = readNutHeaders(stream);
  const writer = new NutFrameWriter(headers);
  const parts = [headers.bytes];
  for (const [i, frame] of framesOf(stream, frameBytes).entries()) parts.push(writer.frameHeader(pts[i], frame.length), frame);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('NutFrameWriter', () => {
  it('computes NUT checksums as FFmpeg writes them', () => {
    // Every header packet of a stream FFmpeg wrote ends with the checksum of its body.
    const stream = rawNut(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=5:duration=1']);
    const headers = readNutHeaders(stream);
    let pos = FILE_ID.length;
    let packets = 0;
    while (pos < headers.bytes.length) {
      const r = new Reader(headers.bytes.subarray(pos));
      const { forward } = readPacketHeader(r);
      const body = headers.bytes.subarray(pos + r.pos, pos + r.pos + forward - 4);
      const stored = new DataView(headers.bytes.buffer, headers.bytes.byteOffset + pos + r.pos + forward - 4, 4).getUint32(0);
      expect(nutChecksum(body)).toBe(stored);
      pos += r.pos + forward;
      packets++;
    }
    expect(packets).toBeGreaterThanOrEqual(2); // main and stream headers at least
    expect(nutChecksum(new Uint8Array([]))).toBe(0);
    // Generator 0x04C11DB7, MSB first, from 0, no final inversion: CRC-32/POSIX's check value 0x765e7680 before it is inverted.
    expect(nutChecksum(new TextEncoder().encode('123456789'))).toBe(~0x765e7680 >>> 0);
  });

  const cases: [string, () => Uint8Array, number][] = [
    ['H.264 960x540 with B-frames (mdn_flower.mp4)', () => (core.FS.writeFile('/in.mp4', readFileSync(join(FIXTURES, 'mdn_flower.mp4'))), rawNut(['-i', '/in.mp4', '-t', '1'])), 960 * 540 * 1.5],
    ['full-range 4:2:0 MKV (intel_asl_again.mkv)', () => (core.FS.writeFile('/in.mkv', readFileSync(join(FIXTURES, 'intel_asl_again.mkv'))), rawNut(['-i', '/in.mkv', '-t', '1'])), 640 * 480 * 1.5],
    ['small 4:2:0, odd chroma', () => rawNut(['-f', 'lavfi', '-i', 'testsrc2=size=66x46:rate=7:duration=2']), 66 * 46 + 2 * 33 * 23],
  ];
  for (const [name, make, bytes] of cases) {
    it(`writes frames FFmpeg decodes exactly as its own stream: ${name}`, () => {
      const stream = make();
      core.FS.writeFile('/a.nut', stream);
      const pts = probePackets(core, '/a.nut').pts;
      const written = rewrite(stream, bytes, pts);
      core.FS.writeFile('/b.nut', written);
      const a = frameHashes(core, '/a.nut', '0:v:0', false);
      const b = frameHashes(core, '/b.nut', '0:v:0', false);
      expect(a.length).toBe(pts.length);
      expect(b).toEqual(a);
      expect(probePackets(core, '/b.nut').pts).toEqual(pts);
      // The FFV1 encoder takes it, frame for frame.
      run(core, ['-f', 'nut', '-i', '/b.nut', '-c:v', 'ffv1', '-level', '3', '-g', '1', '-fps_mode', 'passthrough', '-enc_time_base', '-1', '-f', 'matroska', '/b.mkv']);
      expect(frameHashes(core, '/b.mkv', '0:v:0', false).map((f) => f.hash)).toEqual(a.map((f) => f.hash));
      for (const f of ['/a.nut', '/b.nut', '/b.mkv']) core.FS.unlink(f);
    });
  }

  it('carries timestamps that jump about (variable frame rate)', () => {
    const stream = rawNut(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=10:duration=1']);
    const pts = [0, 1, 3, 4, 9, 10, 11, 30, 31, 1000];
    const written = rewrite(stream, 64 * 48 * 1.5, pts);
    core.FS.writeFile('/v.nut', written);
    expect(probePackets(core, '/v.nut').pts).toEqual(pts);
    expect(frameHashes(core, '/v.nut', '0:v:0', false)).toHaveLength(10);
    core.FS.unlink('/v.nut');
  });

  it('refuses a timestamp NUT cannot carry', () => {
    const writer = new NutFrameWriter(readNutHeaders(rawNut(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=10:duration=0.2'])));
    expect(() => writer.frameHeader(-1, 4608)).toThrow(RangeError);
    expect(() => writer.frameHeader(0.5, 4608)).toThrow(RangeError);
  });

  it('refuses a stream that is not NUT', () => {
    expect(() => readNutHeaders(new Uint8Array(64))).toThrow(/not a NUT stream/);
  });
});

