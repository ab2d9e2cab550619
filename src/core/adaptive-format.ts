/**
 * The constants and layout rules of format v2, adaptive embedding
 * (docs/FORMAT.md, "Format version 2"): where the locator's coded bits go,
 * how long each frame's cover is, and how densely a frame may be filled.
 *
 * Format v2 keeps v1's keys, frame orders and sample orders. What changes is
 * how bits become sample changes: each group of message bits is carried by a
 * syndrome-trellis code (src/core/stc/) over a longer cover of keyed
 * positions, and the hide changes the cheapest of them under HILL's costs
 * (src/core/embedding-cost.ts). The reveal reads the cover's least
 * significant bits and multiplies by H; it never needs the costs.
 */
import { LOCATOR_SAMPLES, type BodyLayout, type FrameSymbolPlan } from './sample-order.ts';

/**
 * Luma positions of f0 that carry the v2 locator's 1888 coded bits:
 * σ_locator,f0(0 .. 7551), relative payload 1/4. A constant of the format
 * (the reveal has no record yet), as is {@link V2_LOCATOR_HEIGHT}. At α = 1/4
 * and h = 7 the code changes about 1888 / 5.6 samples where plain matching
 * changes 944 (`npm run bench -- stc`), all of them the cheapest of 7552.
 */
export const V2_LOCATOR_COVER = 4 * LOCATOR_SAMPLES; // 7552

/** Constraint height of the v2 locator's code. */
export const V2_LOCATOR_HEIGHT = 7;

/**
 * Constraint height of the body's code, stored in the record (so a later
 * hide may choose another). Measured on a 1280-line frame of the corpus with
 * the hide's cheapest-first cover (below): against h = 7, h = 6 and h = 5 add
 * 3–6% and 9–12% to the total cost of the changes, and take 0.6 and 0.45 of
 * the time (at 0.02 and 0.05 bits per sample: h = 7 271 and 465 ms per
 * frame, h = 5 129 and 179 ms). h = 7 keeps a 1 MB hide within seconds per
 * worker (`npm run bench -- stc`), so the cheaper changes win.
 */
export const V2_BODY_HEIGHT = 7;

/**
 * Stealth budget: the most coded message bits a frame carries per eligible
 * sample when hiding with density `stealth`. Frames decoded from compressed
 * video are smooth: on eight corpus frames a third to all but every sample
 * has a flat 3×3 neighbourhood of residuals (HILL's all-but-wet cost), so the
 * changes crowd into the textured rest; the budget keeps them few there.
 * The figure and what it rests on: docs/FORMAT.md ("Stealth budget") and
 * the detector readings in docs/CALIBRATION.md ("Adaptive embedding at low
 * rates: the stealth budget").
 */
export const STEALTH_DENSITY = 0.02;

/**
 * Cover width of a hide: a frame's cover is min(dry slots, w · m_f)
 * positions for its m_f message bits, w stored in the record. The whole
 * frame (w = 255, the largest the record holds; at the stealth budget
 * 255 · 0.02 > 1) gives the code the most room to avoid smooth areas:
 * on eight corpus frames at 0.02 bits per sample, covers of 4, 8, 16 and 32
 * times the message cost 2.5, 2.2, 1.4 and 1.08 times what the whole frame
 * costs in changes outside flat areas, and the short ones forced changes into
 * flat areas. A decoy, and any hide without one, uses it.
 */
export const WHOLE_FRAME_COVER_WIDTH = 255;

/**
 * Cover width of a message that has a decoy beside it: the message then
 * reads at most 4/5 of each of its frames within the stealth budget
 * (w · STEALTH_DENSITY <= 0.8), which leaves a fifth dry for a decoy at
 * the budget too (its load there: 0.02 / 0.2 = 0.1 of its dry cover, half
 * DECOY_MAX_DRY_LOAD). On eight corpus frames a cover of 32 times the message
 * cost 1.08 times what the whole frame costs, 16 times 1.4. Only the
 * message's own record says so; the decoy's record, all that the decoy's
 * password shows, is that of a hide without a decoy.
 */
export const DECOY_ROOM_COVER_WIDTH = Math.floor(0.8 / STEALTH_DENSITY); // 40

/**
 * The hide keeps dry at least this many times a frame's message bits, the
 * cheapest of its cover, and marks the rest wet (wet-paper coding needs
 * nothing from the reveal): the trellis then runs over those only. Measured:
 * with 6 or more the changes cost the same as with the whole cover dry
 * (to 0.1%), at a third of the time; with 3 the code was sometimes
 * infeasible. When it is, the hide tries again with every cover position dry.
 */
export const HIDE_DRY_FACTOR = 8;

/** Dry slots of the body frame at `listIndex`: every eligible sample, less the locator's in f0. */
export function drySlots(layout: BodyLayout, listIndex: number): number {
  return layout.slotsPerFrame - (listIndex === layout.locatorListIndex ? layout.locatorSlots : 0);
}

/**
 * The cover of a v2 body frame: its first min(dry slots, w · m_f) slots
 * (m_f = fp.count message bits). 0 when the frame carries no bits.
 */
export function coverLength(layout: BodyLayout, listIndex: number, fp: FrameSymbolPlan, coverWidth: number): number {
  if (fp.count === 0) return 0;
  return Math.min(drySlots(layout, listIndex), coverWidth * fp.count);
}

/**
 * A decoy's body frame must carry at most this share of the dry part of its
 * cover (what the message's reveal does not read there, which the decoy
 * leaves wet). Measured with h = 7 and random wet positions (n = 100,000,
 * 30% and 50% wet): no failure in 20 tries each up to 0.25; above 1/2 the
 * code fails most of the time, whatever the wet share.
 */
export const DECOY_MAX_DRY_LOAD = 0.2;

/**
 * The decoy's locator goes into its frame before the message (so the
 * message leaves its 7552 positions wet, and nothing touches it after).
 * When both locators share a frame, the message's locator code (a load of
 * 1/4) must keep it feasible: at most this share of its cover may be wet
 * (a load of 0.36 of the dry part; measured feasible in every try up to 0.45
 * with 30% and 60% wet). Only tiny frames break it (7552 / luma samples).
 */
export const DECOY_LOCATOR_MAX_WET = 0.3;
