/**
 * How a picture's samples sit in I_PCM macroblocks (7.3.5, 8.3.5): each
 * macroblock holds its 16x16 luma samples in raster order, then
 * MbWidthC x MbHeightC samples of Cb, then of Cr, each sample u(v) with v the
 * plane's bit depth. The frame VidStega works on is the visible (cropped)
 * one; the macroblocks cover the coded size.
 */
import type { PlaneGeometry } from '../../../core/geometry.ts';
import type { SequenceParameterSet } from './parameter-sets.ts';

/** A frame's visible planes as the core sees them: luma first, one bit depth (the luma's). */
export interface VisibleGeometry {
  readonly bitDepth: number;
  readonly planes: readonly PlaneGeometry[];
}

/** Bytes of one I_PCM macroblock's samples (without mb_type and alignment). */
export function ipcmMacroblockBytes(sps: SequenceParameterSet): number {
  return (256 * sps.bitDepthLuma + 2 * sps.mbWidthC * sps.mbHeightC * sps.bitDepthChroma) / 8;
}

/** The visible planes of a picture under this SPS: the luma crop, and two chroma planes unless 4:0:0. */
export function visibleGeometry(sps: SequenceParameterSet): VisibleGeometry {
  const luma = { width: sps.crop.width, height: sps.crop.height };
  if (sps.chromaArrayType === 0) return { bitDepth: sps.bitDepthLuma, planes: [luma] };
  const chroma = { width: sps.chromaCrop.width, height: sps.chromaCrop.height };
  return { bitDepth: sps.bitDepthLuma, planes: [luma, chroma, chroma] };
}

/** Whether `g` is exactly the visible geometry of pictures under `sps`. */
export function matchesVisibleGeometry(sps: SequenceParameterSet, g: VisibleGeometry): boolean {
  const v = visibleGeometry(sps);
  if (g.bitDepth !== v.bitDepth || g.planes.length !== v.planes.length) return false;
  for (let i = 0; i < v.planes.length; i++) {
    if (g.planes[i].width !== v.planes[i].width || g.planes[i].height !== v.planes[i].height) return false;
  }
  return true;
}
