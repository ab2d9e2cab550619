/**
 * Whether a stream, and a picture of it, can be rewritten as an I_PCM
 * carrier, and when not, why, in words a person can read.
 *
 * The carrier is one frame picture of I_PCM macroblocks in raster order
 * under the stream's own SPS and PPS. That rules out what changes the
 * macroblock layout (field and MBAFF coding, slice groups, separate colour
 * planes), what this library does not rewrite (redundant pictures, data
 * partitioning, scalable and multiview layers), and a NAL length too short
 * for a single raw macroblock. Every chroma format and bit depth 8 to 14 is
 * fine.
 */
import type { AccessUnitInfo } from './access-units.ts';
import { NalType } from './nal-units.ts';
import type { ParameterSets, PictureParameterSet, SequenceParameterSet } from './parameter-sets.ts';
import { ipcmMacroblockBytes } from './ipcm-layout.ts';

export type CarrierSupport = { readonly supported: true } | { readonly supported: false; readonly reason: string };

const SUPPORTED: CarrierSupport = { supported: true };

function refuse(reason: string): CarrierSupport {
  return { supported: false, reason };
}

/** Profiles of plain (single-layer) H.264. */
const KNOWN_PROFILES = new Set([66, 77, 88, 100, 110, 122, 244, 44]);
/** Scalable, multiview and 3D profiles: their extra layers are not rewritten. */
const LAYERED_PROFILES = new Set([83, 86, 118, 128, 138, 139, 134, 135]);

/** Whether pictures under this SPS can be I_PCM carriers. */
export function spsCarrierSupport(sps: SequenceParameterSet): CarrierSupport {
  if (LAYERED_PROFILES.has(sps.profileIdc)) {
    return refuse('This video uses scalable or multiview H.264 (extra layers or views), which cannot be rewritten in its own format.');
  }
  if (!KNOWN_PROFILES.has(sps.profileIdc)) {
    return refuse(`This video uses an H.264 profile VidStega does not know (profile ${sps.profileIdc}), so it cannot be rewritten in its own format.`);
  }
  if (!sps.frameMbsOnly) {
    return refuse('This video is interlaced (field or MBAFF coding); hiding in it in its own format needs progressive video.');
  }
  if (sps.separateColourPlane) {
    return refuse('This video codes its three colour planes separately (4:4:4 with separate planes), which cannot be rewritten in its own format.');
  }
  if (sps.bitDepthLuma > 14 || sps.bitDepthChroma > 14) {
    return refuse(`This video has ${Math.max(sps.bitDepthLuma, sps.bitDepthChroma)}-bit samples, more than H.264 allows.`);
  }
  return SUPPORTED;
}

/** Whether pictures under this PPS can be I_PCM carriers. */
export function ppsCarrierSupport(pps: PictureParameterSet): CarrierSupport {
  if (pps.numSliceGroups > 1) {
    return refuse('This video uses slice groups (flexible macroblock ordering, a rare Baseline feature), which cannot be rewritten in its own format.');
  }
  if (pps.redundantPicCntPresent) {
    return refuse('This video may carry redundant copies of its pictures, which cannot be rewritten in its own format.');
  }
  return SUPPORTED;
}

/**
 * Whether a stream can take I_PCM carriers: every parameter set it has, and
 * the NAL length size of its samples (MP4/MOV; leave it out for Annex B).
 */
export function streamCarrierSupport(params: ParameterSets, lengthSize?: number): CarrierSupport {
  const { sps, pps } = params.all();
  if (sps.length === 0 || pps.length === 0) return refuse('This video has no H.264 parameter sets, so it cannot be rewritten in its own format.');
  for (const s of sps) {
    const r = spsCarrierSupport(s);
    if (!r.supported) return r;
    if (lengthSize !== undefined && lengthSize < 4 && ipcmMacroblockBytes(s) + 16 > 2 ** (8 * lengthSize) - 1) {
      return refuse(`This video's container stores H.264 units with ${lengthSize}-byte lengths, too short for one raw macroblock, so it cannot be rewritten in its own format.`);
    }
  }
  for (const p of pps) {
    const r = ppsCarrierSupport(p);
    if (!r.supported) return r;
  }
  return SUPPORTED;
}

/** Whether one picture (an access unit, described) can be replaced by an I_PCM carrier. */
export function pictureCarrierSupport(au: AccessUnitInfo): CarrierSupport {
  for (const t of au.vclNalTypes) {
    if (t >= NalType.partitionA && t <= NalType.partitionC) {
      return refuse('This video splits its pictures into data partitions (Extended profile), which cannot be rewritten in its own format.');
    }
  }
  const first = au.slices[0];
  const s = spsCarrierSupport(first.sps);
  if (!s.supported) return s;
  const p = ppsCarrierSupport(first.pps);
  if (!p.supported) return p;
  let nextMb = -1;
  for (const slice of au.slices) {
    if (slice.fieldPic || slice.mbaffFrame) return refuse('This picture is interlaced (a field, or MBAFF), so it cannot carry data in the video\'s own format.');
    if (slice.redundantPicCnt > 0) return refuse('This picture has a redundant copy, so it cannot carry data in the video\'s own format.');
    if (slice.firstMbInSlice <= nextMb) {
      return refuse('This picture sends its slices out of order (arbitrary slice order), so it cannot carry data in the video\'s own format.');
    }
    nextMb = slice.firstMbInSlice;
  }
  return SUPPORTED;
}
