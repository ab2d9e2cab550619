/**
 * The parsers on damaged input: every failure is an H264SyntaxError (which
 * callers that must not throw catch), never a TypeError or RangeError from
 * reading what is not there.
 */
import { describe, expect, it } from 'vitest';
import { syntheticPps, syntheticSliceHeader, syntheticSps } from '../../../../test-support/h264-synthetic.ts';
import { mulberry32 } from '../../../../test-support/seeded-random.ts';
import { H264SyntaxError, ParameterSets, describeAccessUnit, groupAccessUnits, parseAvcDecoderConfig, parseSps, readSliceHeader } from './index.ts';

/** Runs `fn`; an H264SyntaxError counts as an answer, anything else fails the test. */
function answers(fn: () => unknown): 'parsed' | 'refused' {
  try {
    fn();
    return 'parsed';
  } catch (e) {
    if (e instanceof H264SyntaxError) return 'refused';
    throw e;
  }
}

describe('parsers on damaged input (seeded)', () => {
  const sps = syntheticSps({ chromaFormatIdc: 1, bitDepth: 8, widthInMbs: 4, heightInMbs: 3, crop: { left: 1, right: 1, top: 1, bottom: 1 } });
  const pps = syntheticPps({ cabac: true, deblockingFilterControlPresent: true });
  const slice = syntheticSliceHeader({ idr: false, nalRefIdc: 2, frameNum: 3, pocLsb: 6, cabac: true, deblockingFilterControlPresent: true });

  it('SPS, PPS, slice headers and access units with flipped bits and cuts', () => {
    const rnd = mulberry32(77);
    const seen = { parsed: 0, refused: 0 };
    for (let t = 0; t < 3000; t++) {
      const parts = [sps.slice(), pps.slice(), slice.slice()];
      const k = t % 3;
      const target = parts[k];
      for (let f = 0; f < 1 + (t % 3); f++) target[1 + Math.floor(rnd() * (target.length - 1))] ^= 1 << Math.floor(rnd() * 8);
      if (rnd() < 0.3) parts[k] = target.subarray(0, 1 + Math.floor(rnd() * (target.length - 1)));
      const params = new ParameterSets();
      seen[answers(() => params.add(parts[0]))]++;
      seen[answers(() => params.add(parts[1]))]++;
      seen[answers(() => readSliceHeader(parts[2], params))]++;
      answers(() => describeAccessUnit(parts, new ParameterSets()));
      answers(() => groupAccessUnits(parts, new ParameterSets()));
    }
    expect(seen.parsed).toBeGreaterThan(1000);
    expect(seen.refused).toBeGreaterThan(100);
  });

  it('random bytes as SPS, slices and avcC records', () => {
    const rnd = mulberry32(78);
    for (let t = 0; t < 3000; t++) {
      const b = Uint8Array.from({ length: 1 + Math.floor(rnd() * 60) }, () => (rnd() < 0.3 ? 0 : Math.floor(rnd() * 256)));
      answers(() => parseSps(b, true));
      b[0] = [0x67, 0x68, 0x65, 0x41][t % 4];
      answers(() => ParameterSets.from([sps, pps]).add(b));
      answers(() => readSliceHeader(b, ParameterSets.from([sps, pps])));
      b[0] = 1;
      answers(() => parseAvcDecoderConfig(b));
    }
  });
});
