/**
 * H.264 I_PCM carriers: the public surface of `src/media/formats/h264/`.
 *
 * A carrier is one picture of an H.264 stream rewritten as I slices of
 * I_PCM macroblocks (raw samples) under the stream's own parameter sets,
 * with the original picture's reference fields, so that, on a picture no
 * other picture references, every other frame decodes exactly as before.
 * The reveal reads the samples back from the carrier's slices directly.
 *
 * Pure TypeScript (ES2022 only: no DOM, no worker globals).
 */
export { BitReader, H264SyntaxError } from './bit-reader.ts';
export { BitWriter } from './bit-writer.ts';
export {
  NalType,
  forbiddenZeroBit,
  isVclNalType,
  joinAnnexB,
  joinLengthPrefixed,
  joinParts,
  lengthPrefixedParts,
  nalRefIdc,
  nalToRbsp,
  nalUnitType,
  rbspToNal,
  removeEmulationPrevention,
  splitAnnexB,
  splitLengthPrefixed,
  EmulationPreventionWriter,
  maxEscapedLength,
} from './nal-units.ts';
export { parseAvcDecoderConfig, type AvcDecoderConfig } from './avc-config.ts';
export {
  ParameterSets,
  parsePps,
  parseSps,
  type CropRectangle,
  type PictureParameterSet,
  type SequenceParameterSet,
  type VuiParameters,
} from './parameter-sets.ts';
export { SliceKind, parseSliceHeader, readSliceHeader, type DecRefPicMarking, type MemoryManagementOperation, type SliceHeader } from './slice-header.ts';
export { PictureOrderCounter, outputOrder, type PictureOrder } from './picture-order.ts';
export {
  AccessUnitAssembler,
  describeAccessUnit,
  describeSample,
  groupAccessUnits,
  isUnreferenced,
  startsNewPicture,
  type AccessUnitInfo,
} from './access-units.ts';
export {
  pictureCarrierSupport,
  ppsCarrierSupport,
  spsCarrierSupport,
  streamCarrierSupport,
  type CarrierSupport,
} from './carrier-support.ts';
export { ipcmMacroblockBytes, matchesVisibleGeometry, visibleGeometry, type VisibleGeometry } from './ipcm-layout.ts';
export { IpcmPictureWriter, carrierSampleParts, replaceVcl, replaceVclNals, writeCarrierSample, type IpcmWriteOptions } from './ipcm-writer.ts';
export { IpcmPictureReader, readCarrierSample } from './ipcm-reader.ts';
