/**
 * The planar pixel formats VidStega hides in, as FFmpeg names them. Data goes
 * into the decoded native planes; a video in any other format is refused in
 * plain words rather than converted (a conversion after embedding would
 * destroy the hidden bits, and one before would change the video).
 */
import { yuvGeometry, type ChromaLayout, type VideoGeometry } from '../../core/geometry.ts';

export interface PixelFormatInfo {
  readonly layout: ChromaLayout;
  readonly bitDepth: number;
}

const FORMATS: Readonly<Record<string, PixelFormatInfo>> = {
  yuv420p: { layout: '420', bitDepth: 8 },
  yuvj420p: { layout: '420', bitDepth: 8 },
  yuv422p: { layout: '422', bitDepth: 8 },
  yuvj422p: { layout: '422', bitDepth: 8 },
  yuv444p: { layout: '444', bitDepth: 8 },
  yuvj444p: { layout: '444', bitDepth: 8 },
  gray: { layout: 'gray', bitDepth: 8 },
  yuv420p10le: { layout: '420', bitDepth: 10 },
  yuv422p10le: { layout: '422', bitDepth: 10 },
  yuv444p10le: { layout: '444', bitDepth: 10 },
  yuv420p12le: { layout: '420', bitDepth: 12 },
  yuv422p12le: { layout: '422', bitDepth: 12 },
  yuv444p12le: { layout: '444', bitDepth: 12 },
  gray10le: { layout: 'gray', bitDepth: 10 },
  gray12le: { layout: 'gray', bitDepth: 12 },
};

/** The format's layout and depth, or undefined when VidStega cannot hide in it. */
export function pixelFormatInfo(pixFmt: string): PixelFormatInfo | undefined {
  return FORMATS[pixFmt];
}

/** The core's geometry for a video of this size, pixel format and frame count. */
export function geometryFor(width: number, height: number, pixFmt: string, frameCount: number): VideoGeometry | undefined {
  const info = FORMATS[pixFmt];
  return info && yuvGeometry(width, height, info.layout, frameCount, info.bitDepth);
}

/**
 * Views a raw frame's bytes as planes without copying. `bytes` must be
 * `rawFrameBytes(g)` (src/core/geometry.ts) long and, above 8 bits, 2-byte aligned.
 */
export function planesOfRawFrame(g: VideoGeometry, bytes: Uint8Array): (Uint8Array | Uint16Array)[] {
  const out: (Uint8Array | Uint16Array)[] = [];
  let offset = bytes.byteOffset;
  for (const p of g.planes) {
    const n = p.width * p.height;
    if (g.bitDepth > 8) {
      out.push(new Uint16Array(bytes.buffer, offset, n));
      offset += 2 * n;
    } else {
      out.push(new Uint8Array(bytes.buffer, offset, n));
      offset += n;
    }
  }
  return out;
}

/**
 * The pixel format to hand the lossless encoder, and the colour range to tag.
 * FFmpeg's deprecated full-range "yuvj" formats have the same planes as their
 * "yuv" twins, but encoders that do not list them get a range conversion
 * inserted, which would rewrite every sample. Passing the twin with an
 * explicit full-range tag keeps every bit and the meaning.
 */
export function losslessPixFmt(pixFmt: string): { pixFmt: string; colorRange?: 'pc' } {
  return pixFmt.startsWith('yuvj') ? { pixFmt: `yuv${pixFmt.slice(4)}`, colorRange: 'pc' } : { pixFmt };
}
