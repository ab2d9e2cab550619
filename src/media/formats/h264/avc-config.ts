/**
 * The AVCDecoderConfigurationRecord (ISO/IEC 14496-15, 5.3.3.1): the `avcC`
 * box of an H.264 track in MP4/MOV. It gives the NAL length size of every
 * sample and the stream's parameter sets.
 */
import { H264SyntaxError } from './bit-reader.ts';

/** An avcC record, parsed. Parameter set entries are views into the record. */
export interface AvcDecoderConfig {
  readonly configurationVersion: number;
  /** AVCProfileIndication: the profile_idc of the SPS. */
  readonly profileIdc: number;
  /** profile_compatibility: the constraint_set flags byte of the SPS. */
  readonly profileCompatibility: number;
  /** AVCLevelIndication: the level_idc of the SPS. */
  readonly levelIdc: number;
  /** Bytes of each NAL unit's length prefix in a sample: 1, 2 or 4. */
  readonly lengthSize: 1 | 2 | 4;
  /** Sequence parameter set NAL units. */
  readonly sps: readonly Uint8Array[];
  /** Picture parameter set NAL units. */
  readonly pps: readonly Uint8Array[];
  /** The High-profile extension, when the record carries it. */
  readonly chromaFormatIdc?: number;
  readonly bitDepthLuma?: number;
  readonly bitDepthChroma?: number;
  /** Sequence parameter set extension NAL units (High-profile extension). */
  readonly spsExt: readonly Uint8Array[];
}

/** Profiles whose avcC records may carry the chroma format and bit depth extension. */
const EXTENDED_RECORD_PROFILES = new Set([100, 110, 122, 144]);

/**
 * Parses an avcC record.
 * @throws H264SyntaxError when the record is truncated or malformed.
 */
export function parseAvcDecoderConfig(record: Uint8Array): AvcDecoderConfig {
  const n = record.length;
  if (n < 7) throw new H264SyntaxError('avcC record too short');
  const configurationVersion = record[0];
  if (configurationVersion !== 1) throw new H264SyntaxError(`avcC configurationVersion ${configurationVersion} is not 1`);
  const profileIdc = record[1];
  const profileCompatibility = record[2];
  const levelIdc = record[3];
  const lengthSizeMinusOne = record[4] & 3;
  if (lengthSizeMinusOne === 2) throw new H264SyntaxError('avcC NAL length size 3 is not allowed');
  const lengthSize = (lengthSizeMinusOne + 1) as 1 | 2 | 4;
  let p = 5;
  const readList = (count: number, what: string): Uint8Array[] => {
    const list: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      if (p + 2 > n) throw new H264SyntaxError(`avcC ${what} list truncated`);
      const len = (record[p] << 8) | record[p + 1];
      p += 2;
      if (len === 0 || p + len > n) throw new H264SyntaxError(`avcC ${what} entry truncated`);
      list.push(record.subarray(p, p + len));
      p += len;
    }
    return list;
  };
  const sps = readList(record[p++] & 0x1f, 'SPS');
  if (p >= n) throw new H264SyntaxError('avcC record has no PPS count');
  const pps = readList(record[p++], 'PPS');
  // Many writers leave the extension out even for High profiles; read it only when it is all there.
  if (EXTENDED_RECORD_PROFILES.has(profileIdc) && p + 4 <= n) {
    const chromaFormatIdc = record[p] & 3;
    const bitDepthLuma = (record[p + 1] & 7) + 8;
    const bitDepthChroma = (record[p + 2] & 7) + 8;
    const extCount = record[p + 3];
    p += 4;
    let spsExt: Uint8Array[] = [];
    try {
      spsExt = readList(extCount, 'SPS extension');
    } catch {
      spsExt = [];
    }
    return { configurationVersion, profileIdc, profileCompatibility, levelIdc, lengthSize, sps, pps, chromaFormatIdc, bitDepthLuma, bitDepthChroma, spsExt };
  }
  return { configurationVersion, profileIdc, profileCompatibility, levelIdc, lengthSize, sps, pps, spsExt: [] };
}
