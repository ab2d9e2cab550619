/**
 * Keyed sample positions per frame (`npm run bench -- positions`): what a
 * reveal computes for every carrier frame before it reads a sample, and a
 * hide before it writes one. Measured for the default layout (1 bit per
 * sample, all planes, automatic frames at AUTO_DENSITY) of a 1080p and a
 * 1440p 4:2:0 frame: the body slots of a carrier frame, the body slots of the
 * locator's frame (which skip the locator's samples), the locator's own
 * positions, and a whole carrier frame read (positions and samples).
 *
 * Each figure is timed beside format v1's plain implementation
 * (test-support/sample-order-v1-oracle.ts), in the same run and interleaved
 * with it, so the two can be compared on a shared machine; the positions
 * themselves are checked equal before anything is timed.
 */
import { yuvGeometry, type FramePlanes } from '../src/core/geometry.ts';
import { extractSymbols } from '../src/core/lsb.ts';
import { Xorshift } from '../src/core/prng.ts';
import {
  AUTO_DENSITY,
  autoFrameCount,
  BodySlotOrder,
  bodyFrames,
  bodyLayout,
  eligibleSamplesPerFrame,
  frameSymbolPlan,
  locatorFrame,
  locatorPositions,
  type BodyLayout,
} from '../src/core/sample-order.ts';
import { readFrameSymbols, type BodyReader } from '../src/core/stego.ts';
import { oracleLocatorFrame, oracleLocatorPositions, oracleSlotSampleIndices } from '../test-support/sample-order-v1-oracle.ts';

interface Figure { value: number; unit: string }

/** Carrier frames of the benchmark's body; the timed runs cycle over them. */
const CARRIERS = 8;
/** Timed runs of each measurement (after one untimed warm-up each); the best is reported, as a shared machine only ever adds time. */
const RUNS = 15;

function seeded(seed: number, n: number): Uint8Array {
  const rng = new Xorshift(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.nextU32() & 255;
  return out;
}


/**
 * Times `before` and `after` alternately, `RUNS` times each, run `r` on
 * input `r`, after one untimed run of each; returns the best ms of each.
 */
function timePair(before: (r: number) => void, after: (r: number) => void): { before: number; after: number } {
  before(0);
  after(0);
  const b: number[] = [];
  const a: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    let t = performance.now();
    before(r);
    b.push(performance.now() - t);
    t = performance.now();
    after(r);
    a.push(performance.now() - t);
  }
  return { before: Math.min(...b), after: Math.min(...a) };
}

function sameValues(a: Uint32Array, b: Uint32Array, what: string): void {
  if (a.length !== b.length) throw new Error(`${what}: ${a.length} positions, the oracle gives ${b.length}`);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) throw new Error(`${what}: position ${i} differs from the oracle`);
}

/**
 * The body slots of list entry `k`, as the core computes them for each frame
 * of a plan: one slot order per layout, one scratch buffer for every frame.
 */
function coreSlots(order: BodySlotOrder, layout: BodyLayout, k: number, scratch: Uint32Array): Uint32Array {
  const fp = frameSymbolPlan(layout, k);
  order.slots(fp.frameIndex, fp.count, scratch);
  return scratch.subarray(0, fp.count);
}

function benchResolution(name: string, width: number, height: number): Record<string, Figure> {
  const g = yuvGeometry(width, height, '420', 1800);
  const planeMask = 0b111;
  const locSeed = seeded(1, 32);
  const bodySeed = seeded(2, 32);
  const f0 = locatorFrame(locSeed, g);
  const locLuma = locatorPositions(locSeed, g, f0);
  const eligible = eligibleSamplesPerFrame(g, planeMask);
  const perFrame = Math.floor(eligible * AUTO_DENSITY);
  const symbols = CARRIERS * perFrame;
  const n = autoFrameCount(g, planeMask, 1, symbols);
  if (n !== CARRIERS) throw new Error(`expected ${CARRIERS} automatic frames, got ${n}`);
  const carriers = bodyLayout(bodyFrames(bodySeed, f0, g, { kind: 'auto', frameCount: n }), g, planeMask, 1, symbols, f0);
  if (carriers.locatorListIndex >= 0) throw new Error('the benchmark wants the locator outside the carrier frames');
  // The same body laid over f0 and its neighbours, for the slots that skip the locator.
  const first = Math.max(0, Math.min(f0 - 1, g.frameCount - 3));
  const withF0 = bodyLayout(
    bodyFrames(bodySeed, f0, g, { kind: 'ranges', ranges: [{ start: first, count: 3 }] }),
    g,
    planeMask,
    1,
    3 * perFrame,
    f0,
  );
  const k0 = withF0.locatorListIndex;
  const f0Slots = frameSymbolPlan(withF0, k0).count;
  const carrierOrder = new BodySlotOrder(bodySeed, carriers, locLuma);
  const f0Order = new BodySlotOrder(bodySeed, withF0, locLuma);
  const scratch = new Uint32Array(eligible);

  // Same positions as format v1, before anything is timed.
  for (let k = 0; k < CARRIERS; k++) {
    const fp = frameSymbolPlan(carriers, k);
    sameValues(coreSlots(carrierOrder, carriers, k, scratch), oracleSlotSampleIndices(bodySeed, eligible, fp.frameIndex, fp.count, null), `${name} frame ${fp.frameIndex}`);
  }
  sameValues(coreSlots(f0Order, withF0, k0, scratch), oracleSlotSampleIndices(bodySeed, eligible, f0, f0Slots, locLuma), `${name} locator frame`);
  sameValues(locLuma, oracleLocatorPositions(locSeed, width * height, oracleLocatorFrame(locSeed, g.frameCount)), `${name} locator`);

  const carrier = timePair(
    (r) => {
      const fp = frameSymbolPlan(carriers, r % CARRIERS);
      oracleSlotSampleIndices(bodySeed, eligible, fp.frameIndex, fp.count, null);
    },
    (r) => coreSlots(carrierOrder, carriers, r % CARRIERS, scratch),
  );
  const f0Frame = timePair(
    () => oracleSlotSampleIndices(bodySeed, eligible, f0, f0Slots, locLuma),
    () => coreSlots(f0Order, withF0, k0, scratch),
  );
  // The locator of a new password each run: its frame and its 1888 positions.
  const locator = timePair(
    (r) => {
      const s = seeded(100 + r, 32);
      oracleLocatorPositions(s, width * height, oracleLocatorFrame(s, g.frameCount));
    },
    (r) => {
      const s = seeded(100 + r, 32);
      locatorPositions(s, g, locatorFrame(s, g));
    },
  );
  // A whole carrier frame read: positions, then one bit from each of those samples.
  const rng = new Xorshift(3);
  const planes: FramePlanes = g.planes.map((p) => {
    const a = new Uint8Array(p.width * p.height);
    for (let i = 0; i < a.length; i += 4) {
      const v = rng.nextU32();
      a[i] = v;
      a[i + 1] = v >>> 8;
      a[i + 2] = v >>> 16;
      a[i + 3] = v >>> 24;
    }
    return a;
  });
  const reader: BodyReader = { geometry: g, formatVersion: 1, layout: carriers, bodySeed, locatorPositions: locLuma, coverWidth: 0, stcHeight: 0 };
  const read = timePair(
    (r) => {
      const fp = frameSymbolPlan(carriers, r % CARRIERS);
      const idx = oracleSlotSampleIndices(bodySeed, eligible, fp.frameIndex, fp.count, null);
      extractSymbols(planes, carriers.space, idx, fp.count, 1, new Uint8Array(fp.count));
    },
    (r) => readFrameSymbols(reader, carriers.frames[r % CARRIERS], planes),
  );

  const perSecond = (count: number, ms: number) => Math.round(count / ms / 100) / 10; // per ms / 1000 = millions per second
  const ms = (x: number) => Math.round(x * 100) / 100;
  const p = `positions_${name}`;
  return {
    [`${p}_carrier_frame_slots`]: { value: perFrame, unit: 'positions' },
    [`${p}_carrier_frame_v1_ms`]: { value: ms(carrier.before), unit: 'ms' },
    [`${p}_carrier_frame_ms`]: { value: ms(carrier.after), unit: 'ms' },
    [`${p}_carrier_frame_v1_Mps`]: { value: perSecond(perFrame, carrier.before), unit: 'M positions/s' },
    [`${p}_carrier_frame_Mps`]: { value: perSecond(perFrame, carrier.after), unit: 'M positions/s' },
    [`${p}_locator_frame_v1_ms`]: { value: ms(f0Frame.before), unit: 'ms' },
    [`${p}_locator_frame_ms`]: { value: ms(f0Frame.after), unit: 'ms' },
    [`${p}_locator_v1_ms`]: { value: ms(locator.before), unit: 'ms' },
    [`${p}_locator_ms`]: { value: ms(locator.after), unit: 'ms' },
    [`${p}_read_frame_v1_ms`]: { value: ms(read.before), unit: 'ms' },
    [`${p}_read_frame_ms`]: { value: ms(read.after), unit: 'ms' },
  };
}

/**
 * Runs the position benchmarks: ms per frame and millions of positions per
 * second, each beside format v1's plain implementation (the `_v1` figures).
 */
export function benchPositions(): Record<string, Figure> {
  return { ...benchResolution('1080p', 1920, 1080), ...benchResolution('1440p', 2560, 1440) };
}
