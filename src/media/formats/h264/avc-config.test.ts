/**
 * avcC records as FFmpeg's MP4 muxer and Apple's camera write them, and
 * hand-made ones for the cases they do not cover.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFFmpegCore, run } from '../../../../test-support/ffmpeg-node.ts';
import { encodeStream, type Core } from '../../../../test-support/h264-streams.ts';
import { probeExtradata } from '../../worker/ffmpeg/ffprobe.ts';
import { H264SyntaxError, NalType, nalUnitType, parseAvcDecoderConfig, parseSps, splitAnnexB } from './index.ts';

let core: Core;
beforeAll(async () => {
  core = await loadFFmpegCore();
});

function mp4Record(stream: Uint8Array): Uint8Array {
  core.FS.writeFile('/in.h264', stream);
  run(core, ['-f', 'h264', '-i', '/in.h264', '-c', 'copy', '/out.mp4']);
  const record = probeExtradata(core, '/out.mp4');
  core.FS.unlink('/in.h264');
  core.FS.unlink('/out.mp4');
  return record;
}

describe('avcC', () => {
  for (const [name, pixFmt, profile] of [
    ['High 4:2:0 8-bit', 'yuv420p', 100],
    ['High 4:2:2 10-bit', 'yuv422p10le', 122],
  ] as const) {
    it(`FFmpeg's MP4 muxer: ${name}`, () => {
      const stream = encodeStream(core, { size: '160x96', seconds: 0.2, pixFmt, x264: [] });
      const nals = splitAnnexB(stream);
      const sps = nals.find((n) => nalUnitType(n) === NalType.sps)!;
      const pps = nals.find((n) => nalUnitType(n) === NalType.pps)!;
      const c = parseAvcDecoderConfig(mp4Record(stream));
      const s = parseSps(sps);
      expect(c.lengthSize).toBe(4);
      expect([c.profileIdc, c.levelIdc, c.profileCompatibility]).toEqual([profile, s.levelIdc, s.constraintFlags]);
      expect(c.sps.map((x) => [...x])).toEqual([[...sps]]);
      expect(c.pps.map((x) => [...x])).toEqual([[...pps]]);
      // The High-profile extension repeats the SPS's chroma format and bit depths.
      expect([c.chromaFormatIdc, c.bitDepthLuma, c.bitDepthChroma]).toEqual([s.chromaFormatIdc, s.bitDepthLuma, s.bitDepthChroma]);
    });
  }

  it("an iPhone's MOV (Main profile: no extension)", () => {
    core.FS.writeFile('/iphone.mov', readFileSync(join(import.meta.dirname, '../../../../test-fixtures/fluentffmpeg_IMG_0034.MOV')));
    const c = parseAvcDecoderConfig(probeExtradata(core, '/iphone.mov'));
    core.FS.unlink('/iphone.mov');
    expect([c.profileIdc, c.lengthSize, c.sps.length, c.pps.length, c.chromaFormatIdc]).toEqual([77, 4, 1, 1, undefined]);
    expect(parseSps(c.sps[0]).crop).toEqual({ left: 0, top: 0, width: 568, height: 320 });
  });

  it('hand-made records: every length size, and malformed ones refused', () => {
    const sps = [0x67, 0x42, 0xc0, 0x1e, 0xda];
    const pps = [0x68, 0xce, 0x38, 0x80];
    const record = (lengthByte: number, tail: number[] = []) =>
      Uint8Array.of(1, 0x42, 0xc0, 0x1e, lengthByte, 0xe1, 0, sps.length, ...sps, 1, 0, pps.length, ...pps, ...tail);
    expect(parseAvcDecoderConfig(record(0xfc)).lengthSize).toBe(1);
    expect(parseAvcDecoderConfig(record(0xfd)).lengthSize).toBe(2);
    expect(parseAvcDecoderConfig(record(0xff)).lengthSize).toBe(4);
    expect([...parseAvcDecoderConfig(record(0xff)).pps[0]]).toEqual(pps);
    expect(() => parseAvcDecoderConfig(record(0xfe))).toThrow(/length size 3/);
    expect(() => parseAvcDecoderConfig(record(0xff).subarray(0, 12))).toThrow(H264SyntaxError);
    expect(() => parseAvcDecoderConfig(Uint8Array.of(0, 0x42, 0xc0, 0x1e, 0xff, 0xe0, 0))).toThrow(/configurationVersion/);
  });
});
