/**
 * The pure parts of the browser decoder path: the codec string and timestamp
 * conversion it configures WebCodecs and the NUT stream with, and the
 * extradata read from ffprobe. (Decoding itself needs Chromium: the engine
 * specs run it on the whole corpus and compare every frame with FFmpeg's.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFFmpegCore } from '../../../../test-support/ffmpeg-node.ts';
import { isVidStegaError, VidStegaError } from '../../../core/errors.ts';
import { avcCodecString, nutPts } from './browser-decoder.ts';
import { parseHexDump, probeExtradata } from '../ffmpeg/ffprobe.ts';
import { FIXTURES } from '../../../../test-support/paths.ts';

describe('browser decoder', () => {
  it('reads the extradata ffprobe dumps, and names the H.264 profile and level from it', async () => {
    const core = await loadFFmpegCore();
    core.FS.writeFile('/in.mp4', readFileSync(join(FIXTURES, 'mdn_flower.mp4')));
    const avcC = probeExtradata(core, '/in.mp4');
    expect(avcC[0]).toBe(1); // avcC version
    expect(avcC.length).toBeGreaterThan(10);
    // Profile, compatibility and level bytes, as in the SPS the record carries (its first NAL after the header).
    const spsLength = (avcC[6] << 8) | avcC[7];
    expect(spsLength).toBeGreaterThan(3);
    expect(avcC[8] & 0x1f).toBe(7); // NAL type 7: SPS
    expect([avcC[9], avcC[10], avcC[11]]).toEqual([avcC[1], avcC[2], avcC[3]]);
    expect(avcCodecString(avcC)).toMatch(/^avc1\.[0-9a-f]{6}$/);
    expect(avcCodecString(Uint8Array.of(1, 0x64, 0x00, 0x32, 0xff, 0xe1, 0))).toBe('avc1.640032');
    expect(() => avcCodecString(Uint8Array.of(0, 0, 0, 1, 0x67, 0, 0))).toThrow(/avcC/);
  });

  it('parses the hex dump and stops at its end', () => {
    const text = [
      '[STREAM]',
      'extradata=',
      '00000000: 0164 0032 ffe1 001a 6764 0032 acd9 4028  .d.2....gd.2..@(',
      '00000010: f800                                     ..',
      '[/STREAM]',
    ].join('\n');
    expect([...parseHexDump(text, 'extradata')]).toEqual([0x01, 0x64, 0x00, 0x32, 0xff, 0xe1, 0x00, 0x1a, 0x67, 0x64, 0x00, 0x32, 0xac, 0xd9, 0x40, 0x28, 0xf8, 0x00]);
    expect(parseHexDump('nothing here', 'extradata').length).toBe(0);
  });

  it('moves timestamps into the NUT time base only where they land exactly', () => {
    // 1/30000 → 1/60000 (what FFmpeg's NUT muxer chose for mdn_flower.mp4)
    const scale = { mul: 1 * 60000, div: 30000 * 1 };
    expect(nutPts(1001, scale)).toBe(2002);
    expect(nutPts(0, scale)).toBe(0);
    const coarser = { mul: 1 * 1000, div: 90000 * 1 }; // 1/90000 → 1/1000
    expect(nutPts(90, coarser)).toBe(1);
    expect(() => nutPts(3003, coarser)).toThrow('no exact place');
    const caught = (() => {
      try {
        nutPts(1, coarser);
      } catch (e) {
        return e;
      }
    })();
    // The kind that sends a part of the hide back to FFmpeg's decoder, and no other.
    expect(isVidStegaError(caught, 'browser-decoder')).toBe(true);
    expect(isVidStegaError(new VidStegaError('not-enough-room', {}), 'browser-decoder')).toBe(false);
  });
});
