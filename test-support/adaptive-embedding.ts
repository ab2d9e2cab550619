/**
 * Format v2's adaptive embedding as an {@link Embedder}, for the calibration
 * script (`npm run calibrate -- --embedder test-support/adaptive-embedding.ts`)
 * and scripts/stealth-budget.ts: random message bits written into one frame
 * exactly as a hide writes a body frame (src/core/frame-coding.ts through
 * `embedInFrame`): one syndrome-trellis code over the whole frame's samples
 * in a keyed order (cover width 255, h = 7), HILL costs of the frame, ±1,
 * the hide's cheapest-first dry set. `rate` is message bits per sample of
 * the frame (all planes together: the code, not the caller, decides how the
 * changes fall between planes), so the frame carries as many bits as LSB
 * matching at the same rate.
 */
import { V2_BODY_HEIGHT, V2_LOCATOR_COVER, WHOLE_FRAME_COVER_WIDTH } from '../src/core/adaptive-format.ts';
import type { FramePlanes, VideoGeometry } from '../src/core/geometry.ts';
import { Xorshift } from '../src/core/prng.ts';
import { bodyLayout, eligibleSamplesPerFrame } from '../src/core/sample-order.ts';
import { embedInFrame, type HidePlan } from '../src/core/stego.ts';
import type { Embedder, FrameShape } from './synthetic-embedding.ts';

function randomBytes(n: number, rng: Xorshift): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.nextU32() & 255;
  return out;
}

/**
 * A hide plan whose body is `bits` random bits, all in frame 0 of a
 * two-frame video (its locator in frame 1, so frame 0 holds the body alone).
 */
export function adaptiveFramePlan(shape: FrameShape, bits: number, seed: number, coverWidth = WHOLE_FRAME_COVER_WIDTH): HidePlan {
  const g: VideoGeometry = { frameCount: 2, bitDepth: shape.bitDepth, planes: shape.planes };
  const planeMask = (1 << Math.min(3, g.planes.length)) - 1;
  const rng = new Xorshift(seed ^ 0x2545f491);
  const bytes = Math.max(1, Math.floor(bits / 8));
  const layout = bodyLayout(Uint32Array.of(0), g, planeMask, 1, bytes * 8, 1, V2_LOCATOR_COVER);
  return {
    formatVersion: 2,
    mode: 'adaptive',
    locatorFrame: 1,
    locatorPositions: new Uint32Array(0),
    locatorBits: new Uint8Array(0),
    bodySeed: randomBytes(32, rng),
    layout,
    body: randomBytes(bytes, rng),
    coverWidth,
    stcHeight: V2_BODY_HEIGHT,
    containerBytes: bytes,
    storedBytes: bytes,
    geometry: g,
    maxValue: 2 ** g.bitDepth - 1,
    signSeed: randomBytes(16, rng),
  };
}

/** VidStega's adaptive embedding (format v2) at `rate` message bits per sample of the frame. */
export const adaptiveEmbedding: Embedder = {
  name: 'adaptive (format v2)',
  embed(cover: FramePlanes, shape: FrameShape, rate: number, seed: number): FramePlanes {
    const g: VideoGeometry = { frameCount: 2, bitDepth: shape.bitDepth, planes: shape.planes };
    const bits = Math.round(rate * eligibleSamplesPerFrame(g, (1 << Math.min(3, g.planes.length)) - 1));
    const out = cover.map((p) => p.slice());
    if (bits >= 8) embedInFrame(adaptiveFramePlan(shape, bits, seed), 0, out);
    return out;
  },
};

export default adaptiveEmbedding;
