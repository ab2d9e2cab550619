/**
 * Where a hide changes frames: the frame tap's hooks that pick out the
 * frames carrying data and hand their planes to the core (src/core/stego.ts),
 * which changes the samples in place.
 */
import { embedInFrame, framesToEmbed, type HidePlan } from '../../../core/stego.ts';
import type { FrameTapHooks } from '../../formats/nut/frame-tap.ts';
import { planesOfRawFrame } from '../../plan/pixel-formats.ts';

/** Hooks for the frames of a segment starting at `firstFrame`: carriers are changed, all bytes go to `out`. */
export function embeddingHooks(plan: HidePlan, firstFrame: number, out: (bytes: Uint8Array) => void): FrameTapHooks {
  const carriers = new Set(framesToEmbed(plan));
  return {
    wants: (i) => carriers.has(firstFrame + i),
    edit: (i, frame) => {
      embedInFrame(plan, firstFrame + i, planesOfRawFrame(plan.geometry, frame));
    },
    out,
  };
}
