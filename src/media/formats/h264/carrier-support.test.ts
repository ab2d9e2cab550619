/**
 * What cannot carry, and the words that say so. Interlaced streams and
 * NAL lengths come from real encodes (ipcm-carrier.test.ts); the rest are
 * parameter sets and headers written by hand, since no encoder at hand makes
 * them.
 */
import { describe, expect, it } from 'vitest';
import { syntheticPps, syntheticSliceHeader, syntheticSps } from '../../../../test-support/h264-synthetic.ts';
import {
  BitWriter,
  ParameterSets,
  describeAccessUnit,
  pictureCarrierSupport,
  ppsCarrierSupport,
  rbspToNal,
  spsCarrierSupport,
  streamCarrierSupport,
  parsePps,
  parseSps,
} from './index.ts';

const reason = (r: { supported: boolean; reason?: string }) => (r.supported ? 'supported' : r.reason);

/** A PPS for SPS 0 with the given slice groups and redundant_pic_cnt_present_flag. */
function pps(sliceGroups: number, redundant: boolean): Uint8Array {
  const w = new BitWriter();
  w.ue(0);
  w.ue(0);
  w.u(1, 0);
  w.u(1, 0);
  w.ue(sliceGroups - 1);
  if (sliceGroups > 1) {
    w.ue(4); // slice_group_map_type: raster scan
    w.u(1, 0);
    w.ue(9); // slice_group_change_rate_minus1
  }
  w.ue(0);
  w.ue(0);
  w.u(1, 0);
  w.u(2, 0);
  w.se(0);
  w.se(0);
  w.se(0);
  w.u(1, 1);
  w.u(1, 0);
  w.u(1, redundant ? 1 : 0);
  w.trailingBits();
  return rbspToNal(0x68, w.view());
}

describe('carrier support', () => {
  const sps420 = syntheticSps({ profileIdc: 100, chromaFormatIdc: 1, bitDepth: 8, widthInMbs: 4, heightInMbs: 3 });

  it('plain progressive streams of every chroma format and depth can carry', () => {
    for (const chromaFormatIdc of [0, 1, 2, 3]) {
      for (const bitDepth of [8, 10, 14]) {
        const params = ParameterSets.from([syntheticSps({ chromaFormatIdc, bitDepth, widthInMbs: 2, heightInMbs: 2 }), syntheticPps({ cabac: true, deblockingFilterControlPresent: true })]);
        expect(streamCarrierSupport(params, 4)).toEqual({ supported: true });
      }
    }
  });

  it('slice groups (FMO) and redundant pictures are refused in plain words', () => {
    const fmo = ParameterSets.from([sps420, pps(2, false)]);
    expect(parsePps(pps(2, false), () => parseSps(sps420)).numSliceGroups).toBe(2);
    expect(reason(streamCarrierSupport(fmo))).toMatch(/^This video uses slice groups \(flexible macroblock ordering/);
    expect(reason(streamCarrierSupport(ParameterSets.from([sps420, pps(1, true)])))).toMatch(/^This video may carry redundant copies of its pictures/);
    expect(reason(ppsCarrierSupport(parsePps(pps(1, false), () => parseSps(sps420))))).toBe('supported');
  });

  it('separate colour planes, layered profiles and unknown profiles are refused', () => {
    const w = new BitWriter();
    // High 4:4:4 with separate_colour_plane_flag = 1.
    w.u(8, 244); w.u(8, 0); w.u(8, 51); w.ue(0); w.ue(3); w.u(1, 1); w.ue(0); w.ue(0); w.u(1, 0); w.u(1, 0);
    w.ue(0); w.ue(2); w.ue(1); w.u(1, 0); w.ue(1); w.ue(1); w.u(1, 1); w.u(1, 1); w.u(1, 0); w.u(1, 0);
    w.trailingBits();
    const separate = parseSps(rbspToNal(0x67, w.view()));
    expect([separate.separateColourPlane, separate.chromaArrayType]).toEqual([true, 0]);
    expect(reason(spsCarrierSupport(separate))).toMatch(/codes its three colour planes separately/);
    expect(reason(spsCarrierSupport({ ...parseSps(sps420), profileIdc: 118 }))).toMatch(/scalable or multiview/);
    expect(reason(spsCarrierSupport({ ...parseSps(sps420), profileIdc: 99 }))).toMatch(/profile VidStega does not know \(profile 99\)/);
  });

  it('a stream without parameter sets cannot be judged, so it is refused', () => {
    expect(reason(streamCarrierSupport(new ParameterSets()))).toMatch(/no H.264 parameter sets/);
  });

  it('pictures: slices out of order, redundant slices and data partitions are refused', () => {
    const params = ParameterSets.from([sps420, syntheticPps({ cabac: false, deblockingFilterControlPresent: true })]);
    const slice = (firstMb: number) => {
      const w = new BitWriter();
      w.ue(firstMb); w.ue(5); w.ue(0); w.u(4, 1); w.u(8, 2); w.u(1, 0); w.u(1, 0); w.u(1, 0); w.se(0); w.ue(1);
      w.trailingBits();
      return rbspToNal(0x41, w.view());
    };
    expect(pictureCarrierSupport(describeAccessUnit([slice(0), slice(6)], params))).toEqual({ supported: true });
    expect(reason(pictureCarrierSupport(describeAccessUnit([slice(6), slice(0)], params)))).toMatch(/out of order \(arbitrary slice order\)/);
    const partitionA = slice(0).slice();
    partitionA[0] = 0x42;
    expect(reason(pictureCarrierSupport(describeAccessUnit([partitionA], params)))).toMatch(/data partitions/);
    const idr = syntheticSliceHeader({ idr: true, nalRefIdc: 3, frameNum: 0, pocLsb: 0, cabac: false, deblockingFilterControlPresent: true });
    expect(pictureCarrierSupport(describeAccessUnit([idr], params))).toEqual({ supported: true });
  });
});
