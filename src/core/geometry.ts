/**
 * The shape of a video as the core sees it: how many frames, and for each
 * frame the planes (Y, U, V, optionally alpha) with their sample counts and
 * bit depth. Samples of a plane are tightly packed, row after row, with no
 * padding: plane p of a frame is `width[p] * height[p]` samples, in a
 * Uint8Array for 8-bit video and a Uint16Array (little-endian on disk) above.
 */
export interface PlaneGeometry {
  readonly width: number;
  readonly height: number;
}

export interface VideoGeometry {
  /** Exact number of frames in the video. */
  readonly frameCount: number;
  /** Bits per sample: 8, 9, 10, 12 or 16. */
  readonly bitDepth: number;
  /** Planes of one frame, luma first. */
  readonly planes: readonly PlaneGeometry[];
}

/** A frame's planes as typed arrays, in the order of `VideoGeometry.planes`. */
export type PlaneSamples = Uint8Array | Uint16Array;
export type FramePlanes = readonly PlaneSamples[];

/** Chroma subsampling of the common planar YUV layouts. */
export type ChromaLayout = '420' | '422' | '444' | 'gray';

/**
 * The geometry of a planar YUV video of the given size and layout. Chroma
 * sizes round up, as FFmpeg's do (854x480 4:2:0 has 427x240 chroma planes).
 */
export function yuvGeometry(
  width: number,
  height: number,
  layout: ChromaLayout,
  frameCount: number,
  bitDepth = 8,
): VideoGeometry {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`bad frame size ${width}x${height}`);
  }
  const luma = { width, height };
  if (layout === 'gray') return { frameCount, bitDepth, planes: [luma] };
  const cw = layout === '444' ? width : Math.ceil(width / 2);
  const ch = layout === '420' ? Math.ceil(height / 2) : height;
  const chroma = { width: cw, height: ch };
  return { frameCount, bitDepth, planes: [luma, chroma, chroma] };
}

/** Samples in one plane. */
export function planeSize(p: PlaneGeometry): number {
  return p.width * p.height;
}

/** Samples in one frame, all planes. */
export function frameSize(g: VideoGeometry): number {
  let n = 0;
  for (const p of g.planes) n += planeSize(p);
  return n;
}

/** Bytes of one raw frame as FFmpeg's rawvideo writes it: tightly packed, two bytes a sample above 8 bits (little-endian). */
export function rawFrameBytes(g: VideoGeometry): number {
  return frameSize(g) * (g.bitDepth > 8 ? 2 : 1);
}

/** A canonical byte encoding of a geometry, used to bind keys to a video's shape. */
export function geometryBytes(g: VideoGeometry): Uint8Array {
  const out = new Uint8Array(12 + 8 * g.planes.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, g.frameCount, true);
  v.setUint32(4, g.bitDepth, true);
  v.setUint32(8, g.planes.length, true);
  g.planes.forEach((p, i) => {
    v.setUint32(12 + 8 * i, p.width, true);
    v.setUint32(16 + 8 * i, p.height, true);
  });
  return out;
}
