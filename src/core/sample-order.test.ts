import { describe, expect, it } from 'vitest';
import { symbolCapacity, bodyByteCapacity } from './capacity.ts';
import { PayloadTooLargeError, UnsupportedInputError } from './errors.ts';
import { frameSize, yuvGeometry, type VideoGeometry } from './geometry.ts';
import { embedSymbols, extractSymbols } from './lsb.ts';
import { Xorshift } from './prng.ts';
import {
  AUTO_DENSITY,
  LOCATOR_SAMPLES,
  autoFrameCount,
  BodySlotOrder,
  bodyFrames,
  bodyLayout,
  eligibleSamplesPerFrame,
  eligibleSpace,
  frameSymbolPlan,
  gatherSymbols,
  locatorFrame,
  locatorPositions,
  scatterSymbols,
  symbolsForBytes,
  type BodyLayout,
  type FrameSelection,
} from './sample-order.ts';

/** Random bytes (getRandomValues takes at most 64 KiB at a time). */
function rand(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

describe('frames and locator', () => {
  it('puts the locator in one frame, at distinct luma samples', () => {
    const g = yuvGeometry(64, 48, '420', 5);
    const seed = rand(32);
    const f0 = locatorFrame(seed, g);
    expect(f0).toBeGreaterThanOrEqual(0);
    expect(f0).toBeLessThan(5);
    const pos = locatorPositions(seed, g);
    expect(pos.length).toBe(LOCATOR_SAMPLES);
    expect(new Set(pos).size).toBe(LOCATOR_SAMPLES);
    for (const p of pos) expect(p).toBeLessThan(64 * 48);
    expect(Array.from(locatorPositions(seed, g, f0))).toEqual(Array.from(pos));
  });

  it('refuses frames too small for the locator', () => {
    const g = yuvGeometry(40, 40, '420', 3); // 1600 luma samples
    expect(() => locatorPositions(rand(32), g)).toThrow(UnsupportedInputError);
    expect(() => locatorPositions(rand(32), g)).toThrow(/too small to hide anything/);
    expect(symbolCapacity(g, 0b111, 1)).toBe(0);
  });

  it('chooses automatic frames from the keyed order, ranges as their sorted union', () => {
    const g = yuvGeometry(64, 48, '420', 100);
    const seed = rand(32);
    const a = bodyFrames(seed, 0, g, { kind: 'auto', frameCount: 10 });
    expect(a.length).toBe(10);
    expect(new Set(a).size).toBe(10);
    for (let i = 1; i < a.length; i++) expect(a[i]).toBeGreaterThan(a[i - 1]);
    // The first 10 of a prefix of a longer choice: a short message's frames are among a longer one's.
    const b = bodyFrames(seed, 0, g, { kind: 'auto', frameCount: 20 });
    for (const f of a) expect(b).toContain(f);
    expect(Array.from(bodyFrames(seed, 0, g, { kind: 'auto', frameCount: 100 }))).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const r = bodyFrames(seed, 0, g, {
      kind: 'ranges',
      ranges: [
        { start: 50, count: 3 },
        { start: 10, count: 5 },
        { start: 12, count: 5 },
        { start: 17, count: 1 },
      ],
    });
    expect(Array.from(r)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 50, 51, 52]);
    expect(() => bodyFrames(seed, 0, g, { kind: 'ranges', ranges: [{ start: 99, count: 2 }] })).toThrow(UnsupportedInputError);
    expect(() => bodyFrames(seed, 0, g, { kind: 'ranges', ranges: [] })).toThrow(UnsupportedInputError);
    expect(() => bodyFrames(seed, 0, g, { kind: 'auto', frameCount: 101 })).toThrow(UnsupportedInputError);
  });

  it('picks the smallest automatic frame count within the density', () => {
    const g = yuvGeometry(64, 48, '420', 50);
    const s = eligibleSamplesPerFrame(g, 0b111); // 4608
    expect(s).toBe(4608);
    const perFrame = Math.floor(s * AUTO_DENSITY); // 576
    expect(autoFrameCount(g, 0b111, 1, 1)).toBe(1);
    expect(autoFrameCount(g, 0b111, 1, perFrame)).toBe(1);
    expect(autoFrameCount(g, 0b111, 1, perFrame + 1)).toBe(2);
    expect(autoFrameCount(g, 0b111, 1, perFrame * 50)).toBe(50);
    expect(autoFrameCount(g, 0b111, 1, perFrame * 50 + 1)).toBe(50); // density exceeded: all frames
    expect(autoFrameCount(g, 0b111, 1, 10 ** 9)).toBe(50); // does not fit at all: all frames, capacity fails elsewhere
    // Tiny frames where 1/8 of a frame is less than the locator leaves: enough frames at full density.
    const t = yuvGeometry(44, 44, 'gray', 10); // 1936 samples, 48 left beside the locator
    expect(autoFrameCount(t, 1, 1, 240)).toBe(2);
    expect(autoFrameCount(t, 1, 1, 1936)).toBe(8); // 1936 / 242 per frame
  });
});

/** Body layout of a symbol count over a selection, the way hide and reveal build it. */
function layoutFor(g: VideoGeometry, seed: Uint8Array, f0: number, mask: number, bps: 1 | 2, symbols: number, sel: FrameSelection): BodyLayout {
  return bodyLayout(bodyFrames(seed, f0, g, sel), g, mask, bps, symbols, f0);
}

describe('symbol plans', () => {
  it('cover every symbol exactly once, within each frame’s slots', () => {
    const g = yuvGeometry(64, 48, 'gray', 9); // S = 3072, S0 = 1184
    const seed = rand(32);
    const mask = 1;
    // f0 first, in the middle and last of the body's frames 0-6, and outside them (no locator slots: one phase).
    for (const f0 of [0, 3, 6, 8]) {
      const frames = bodyFrames(seed, f0, g, { kind: 'ranges', ranges: [{ start: 0, count: 7 }] });
      const cap = 7 * 3072 - (f0 < 7 ? LOCATOR_SAMPLES : 0);
      for (const total of [0, 1, 6, 7, 8, 1184 * 7 - 1, 1184 * 7, 1184 * 7 + 1, 1184 * 7 + 6, cap - 1, cap]) {
        const layout = bodyLayout(frames, g, mask, 1, total, f0);
        expect(layout.locatorSlots).toBe(f0 < 7 ? LOCATOR_SAMPLES : 0);
        const seen = new Uint8Array(total);
        let sum = 0;
        for (let k = 0; k < 7; k++) {
          const plan = frameSymbolPlan(layout, k);
          const slots = k === layout.locatorListIndex ? 3072 - LOCATOR_SAMPLES : 3072;
          expect(plan.count).toBeLessThanOrEqual(slots);
          for (let j = 0; j < plan.count1; j++) seen[plan.first1 + j * plan.stride1]++;
          for (let j = 0; j < plan.count2; j++) seen[plan.first2 + j * plan.stride2]++;
          sum += plan.count;
        }
        expect(sum).toBe(total);
        expect(seen.every((c) => c === 1)).toBe(true);
      }
      expect(() => bodyLayout(frames, g, mask, 1, cap + 1, f0)).toThrow(PayloadTooLargeError);
    }
  });
});

interface Case {
  name: string;
  g: VideoGeometry;
}

const cases: Case[] = [
  { name: '64x48 4:2:0 8-bit, 5 frames', g: yuvGeometry(64, 48, '420', 5) },
  { name: '33x17 4:2:2 10-bit, 3 frames (odd sizes, tiny: luma 561 < locator)', g: yuvGeometry(33, 17, '422', 3, 10) },
  { name: '50x40 4:4:4 8-bit, 4 frames', g: yuvGeometry(50, 40, '444', 4) },
  { name: '854x480 4:2:0 8-bit, 2 frames (427-wide chroma)', g: yuvGeometry(854, 480, '420', 2) },
];

/**
 * Hides a locator and a body the way the pipeline will, then reads both back
 * and checks them, and that no sample carries two things.
 */
function roundTrip(g: VideoGeometry, mask: number, bps: 1 | 2, selection: 'auto' | 'ranges', full: boolean, rng: Xorshift): void {
  const maxValue = 2 ** g.bitDepth - 1;
  const video = Array.from({ length: g.frameCount }, () =>
    g.planes.map((p) => {
      const a = g.bitDepth > 8 ? new Uint16Array(p.width * p.height) : new Uint8Array(p.width * p.height);
      for (let i = 0; i < a.length; i++) a[i] = rng.nextU32() % (maxValue + 1);
      return a;
    }),
  );
  // Which samples of each frame are taken, indexed over the whole frame.
  const frameStarts: number[] = [];
  let acc = 0;
  for (const p of g.planes) {
    frameStarts.push(acc);
    acc += p.width * p.height;
  }
  expect(acc).toBe(frameSize(g));
  const used = Array.from({ length: g.frameCount }, () => new Uint8Array(acc));

  // Locator.
  const locSeed = rand(32);
  const f0 = locatorFrame(locSeed, g);
  const pos = locatorPositions(locSeed, g, f0);
  const lumaSpace = eligibleSpace(g, 1);
  const locBits = new Uint8Array(LOCATOR_SAMPLES);
  for (let i = 0; i < locBits.length; i++) locBits[i] = rng.nextU32() & 1;
  embedSymbols(video[f0], lumaSpace, pos, locBits, LOCATOR_SAMPLES, 1, 'matching', maxValue, rng);
  for (const p of pos) used[f0][p]++;

  // Body.
  const bodySeed = rand(32);
  const space = eligibleSpace(g, mask);
  let sel: FrameSelection;
  let bytes: number;
  if (selection === 'ranges') {
    const ranges = [{ start: 0, count: 1 }, ...(g.frameCount > 2 ? [{ start: g.frameCount - 2, count: 2 }] : [])];
    sel = { kind: 'ranges', ranges };
    bytes = full ? bodyByteCapacity(g, mask, bps, sel, f0) : 50;
  } else {
    bytes = full ? bodyByteCapacity(g, mask, bps, { kind: 'auto' }) : 50;
    sel = { kind: 'auto', frameCount: autoFrameCount(g, mask, bps, symbolsForBytes(bytes, bps)) };
  }
  const body = rand(bytes);
  const layout = layoutFor(g, bodySeed, f0, mask, bps, symbolsForBytes(bytes, bps), sel);
  if (full && selection === 'auto') expect(layout.frames.length).toBe(g.frameCount);
  const order = new BodySlotOrder(bodySeed, layout, pos);
  const idx = new Uint32Array(space.size);
  const syms = new Uint8Array(space.size);
  let placed = 0;
  for (let k = 0; k < layout.frames.length; k++) {
    const plan = frameSymbolPlan(layout, k);
    const f = plan.frameIndex;
    order.slots(f, plan.count, idx);
    gatherSymbols(body, bps, plan, syms);
    embedSymbols(video[f], space, idx, syms, plan.count, bps, 'matching', maxValue, rng);
    for (let j = 0; j < plan.count; j++) {
      // Eligible index -> whole-frame index.
      const e = idx[j];
      let p = space.planeCount - 1;
      while (e < space.starts[p]) p--;
      used[f][frameStarts[space.planes[p]] + e - space.starts[p]]++;
    }
    placed += plan.count;
  }
  expect(placed).toBe(layout.symbolCount);
  for (const u of used) for (let i = 0; i < u.length; i++) if (u[i] > 1) throw new Error(`sample ${i} used twice`);

  // Reveal: the locator, then the body, from the same seeds.
  const locOut = new Uint8Array(LOCATOR_SAMPLES);
  extractSymbols(video[locatorFrame(locSeed, g)], lumaSpace, locatorPositions(locSeed, g), LOCATOR_SAMPLES, 1, locOut);
  expect(locOut).toEqual(locBits);
  const got = new Uint8Array(bytes);
  const layout2 = layoutFor(g, bodySeed, f0, mask, bps, symbolsForBytes(bytes, bps), sel);
  const order2 = new BodySlotOrder(bodySeed, layout2, locatorPositions(locSeed, g));
  for (let k = 0; k < layout2.frames.length; k++) {
    const plan = frameSymbolPlan(layout2, k);
    order2.slots(plan.frameIndex, plan.count, idx);
    extractSymbols(video[plan.frameIndex], space, idx, plan.count, bps, syms);
    scatterSymbols(syms, bps, plan, got);
  }
  expect(got).toEqual(body);
}

describe('layout round trip', () => {
  const masks = [
    ['all planes', 0b111],
    ['luma only', 0b001],
    ['chroma only', 0b110],
  ] as const;
  for (const { name, g } of cases) {
    for (const [maskName, mask] of masks) {
      for (const bps of [1, 2] as const) {
        it(`${name}, ${maskName}, ${bps} bit(s)`, () => {
          const rng = new Xorshift(crypto.getRandomValues(new Uint8Array(16)));
          if (g.planes[0].width * g.planes[0].height < LOCATOR_SAMPLES) {
            expect(() => locatorPositions(rand(32), g)).toThrow(UnsupportedInputError);
            expect(symbolCapacity(g, mask, bps)).toBe(0);
            return;
          }
          for (const selection of ['auto', 'ranges'] as const) {
            for (const full of [true, false]) {
              // The big geometry at full capacity is the slow case: once per mask is plenty.
              if (full && g.planes[0].width > 800 && bps === 2) continue;
              roundTrip(g, mask, bps, selection, full, rng);
            }
          }
        });
      }
    }
  }

  it('odd sizes with high bit depth work when the luma plane holds the locator', () => {
    const g = yuvGeometry(65, 33, '422', 3, 10); // luma 2145, chroma 33x33
    const rng = new Xorshift(11);
    for (const mask of [0b111, 0b001, 0b110]) {
      for (const bps of [1, 2] as const) {
        for (const selection of ['auto', 'ranges'] as const) {
          for (const full of [true, false]) roundTrip(g, mask, bps, selection, full, rng);
        }
      }
    }
  });
});

describe('huge geometry', () => {
  const g = yuvGeometry(3840, 2160, '420', 1_000_000);

  it('computes locator positions in O(k)', () => {
    const seed = rand(32);
    const t0 = performance.now();
    const f0 = locatorFrame(seed, g);
    const pos = locatorPositions(seed, g, f0);
    const dt = performance.now() - t0;
    expect(pos.length).toBe(LOCATOR_SAMPLES);
    expect(new Set(pos).size).toBe(LOCATOR_SAMPLES);
    expect(dt).toBeLessThan(50);
    // First slots of a body frame, too.
    const space = eligibleSpace(g, 0b111);
    const out = new Uint32Array(10_000);
    const t1 = performance.now();
    const layout = bodyLayout(Uint32Array.of(f0), g, 0b111, 1, 10_000, f0);
    new BodySlotOrder(seed, layout, pos).slots(f0, 10_000, out);
    expect(performance.now() - t1).toBeLessThan(50);
    for (const e of out) expect(e).toBeLessThan(space.size);
  });

  it('computes capacity instantly', () => {
    const t0 = performance.now();
    const c = symbolCapacity(g, 0b111, 1);
    expect(performance.now() - t0).toBeLessThan(5);
    expect(c).toBe(1_000_000 * 3840 * 2160 * 1.5 - LOCATOR_SAMPLES);
    expect(bodyByteCapacity(g, 0b111, 2)).toBe(Math.floor((c * 2) / 8));
  });

  it('plans a frame of a huge body with symbol indices past 2^32', () => {
    const seed = rand(32);
    const f0 = locatorFrame(seed, g);
    const frames = bodyFrames(seed, f0, g, { kind: 'auto', frameCount: 1_000_000 });
    const total = symbolCapacity(g, 0b111, 1);
    const layout = bodyLayout(frames, g, 0b111, 1, total, f0);
    const last = frameSymbolPlan(layout, 999_999);
    expect(last.count).toBe(3840 * 2160 * 1.5 - (f0 === 999_999 ? LOCATOR_SAMPLES : 0));
    expect(last.first2 + (last.count2 - 1) * last.stride2).toBeLessThan(total);
  });
});
