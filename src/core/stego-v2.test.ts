/**
 * Format v2, adaptive embedding, through frames in memory: round trips on
 * real camera texture and synthetic pictures of several sizes, depths and
 * layouts and both frame pools; the stealth budget; damage; what the reveal
 * reads; how few samples change against format v1's LSB matching at the
 * same payload; and the decoy.
 */
import { describe, expect, it } from 'vitest';
import { cloneVideo, differences, foremanVideo, syntheticVideo } from '../../test-support/test-video.ts';
import { expectSamePayload } from '../../test-support/same-payload.ts';
import { DECOY_ROOM_COVER_WIDTH, STEALTH_DENSITY, V2_LOCATOR_COVER, WHOLE_FRAME_COVER_WIDTH } from './adaptive-format.ts';
import { payloadCapacity, stealthCapacity } from './capacity.ts';
import { containerSize, payloadShape, type Payload } from './container.ts';
import { DataDamagedError, DecoyTooLargeError, NothingFoundError, PayloadTooLargeError, UnsupportedInputError } from './errors.ts';
import { HillCost } from './embedding-cost.ts';
import { addReadSamples } from './frame-coding.ts';
import { frameSize, yuvGeometry, type FramePlanes, type PlaneSamples, type VideoGeometry } from './geometry.ts';
import type { KdfParams } from './kdf.ts';
import { Xorshift } from './prng.ts';
import { BodySlotOrder, eligibleSamplesPerFrame, frameSymbolPlan, LOCATOR_SAMPLES, type CandidateFrames } from './sample-order.ts';
import { SampleSet } from './sample-set.ts';
import { DEFAULT_HIDE_SETTINGS, type HideSettings } from './settings.ts';
import {
  bodyReader,
  embedInFrame,
  extractFromFrame,
  findLocator,
  finishReveal,
  framesToEmbed,
  framesToExtract,
  planHide,
  readFrameSymbols,
  revealFromFrames,
  storeFrameSymbols,
  type HideOptions,
  type HidePlan,
} from './stego.ts';

/** Argon2id at its minimum cost: these tests are about layout and format, not KDF strength. */
const LIGHT: readonly KdfParams[] = [{ id: 1, algorithm: 'argon2id', memoryKiB: 8, iterations: 1, parallelism: 1 }];
const opts = { kdfSets: LIGHT };

/** A list of carrier candidates: the first `total` frames, cheapest first. */
const candidates = (total: number): CandidateFrames => ({ count: (limit: number) => Math.min(limit, total) });

const reader = (v: PlaneSamples[][]) => async (i: number): Promise<FramePlanes> => v[i];

function randomBytes(rng: Xorshift, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.nextU32() & 255;
  return out;
}

/** A payload of random (incompressible) file bytes whose container is exactly `stored` bytes. */
function payloadOfSize(rng: Xorshift, stored: number, message = 'adaptive'): Payload {
  const overhead = containerSize(payloadShape({ message, files: [{ name: 'f', type: '', bytes: new Uint8Array(0) }] }));
  return { message, files: [{ name: 'f', type: '', bytes: randomBytes(rng, stored - overhead) }] };
}

/** Hides into every frame of the plan, in a shuffled order (workers take frames in any order). */
function embedAll(plan: HidePlan, video: PlaneSamples[][], rng: Xorshift): void {
  const frames = [...framesToEmbed(plan)];
  for (let i = frames.length - 1; i > 0; i--) {
    const j = rng.nextU32() % (i + 1);
    [frames[i], frames[j]] = [frames[j], frames[i]];
  }
  for (const f of frames) embedInFrame(structuredClone(plan), f, video[f]);
}

interface RoundTrip {
  readonly name: string;
  readonly g: VideoGeometry;
  readonly video: (g: VideoGeometry) => PlaneSamples[][];
  readonly settings: HideSettings;
  readonly options?: HideOptions;
  /** Payload as a share of the stealth budget (or of the full capacity with density `full`). */
  readonly fill: number;
}

const cases: RoundTrip[] = [
  { name: '1920x1080 synthetic 4:2:0 8-bit, at the stealth budget', g: yuvGeometry(1920, 1080, '420', 2), video: syntheticVideo, settings: DEFAULT_HIDE_SETTINGS, fill: 1 },
  { name: 'foreman 352x288 4:2:0 8-bit, carrier pools', g: yuvGeometry(352, 288, '420', 40), video: foremanVideo, settings: DEFAULT_HIDE_SETTINGS, options: { pools: candidates(40) }, fill: 0.6 },
  { name: 'foreman 640x360 4:2:0 10-bit', g: yuvGeometry(640, 360, '420', 6, 10), video: foremanVideo, settings: DEFAULT_HIDE_SETTINGS, fill: 0.9 },
  { name: 'foreman 320x240 4:2:2 10-bit, chroma only, AES-128, strong RS', g: yuvGeometry(320, 240, '422', 5, 10), video: foremanVideo, settings: { ...DEFAULT_HIDE_SETTINGS, planeMask: 0b110, parityBytes: 64, keyBits: 128 }, fill: 1 },
  { name: 'synthetic 200x150 4:4:4 8-bit, frame ranges, no RS, AES-192', g: yuvGeometry(200, 150, '444', 9), video: syntheticVideo, settings: { ...DEFAULT_HIDE_SETTINGS, parityBytes: 0, keyBits: 192, frames: { kind: 'ranges', ranges: [{ start: 1, count: 2 }, { start: 6, count: 3 }] } }, fill: 1 },
  { name: 'foreman 176x144 gray, full capacity (every slot of every frame)', g: yuvGeometry(176, 144, 'gray', 3), video: foremanVideo, settings: { ...DEFAULT_HIDE_SETTINGS, density: 'full' }, fill: 1 },
  { name: 'synthetic 256x144 4:2:0, full density, three times the budget', g: yuvGeometry(256, 144, '420', 4), video: syntheticVideo, settings: { ...DEFAULT_HIDE_SETTINGS, density: 'full' }, fill: -3 },
];

describe('format v2: hide then reveal, through frames in memory', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const rng = new Xorshift(c.g.planes[0].width * 7 + c.g.frameCount);
      const settings = c.settings;
      const full = payloadCapacity(c.g, settings);
      const budget = stealthCapacity(c.g, settings)!;
      const target = c.fill < 0 ? Math.min(full, Math.floor(budget * -c.fill)) : Math.floor((settings.density === 'full' ? full : budget) * c.fill);
      const payload = payloadOfSize(rng, target);
      const video = c.video(c.g);
      const original = cloneVideo(video);
      const plan = await planHide(payload, 'open sesame', c.g, settings, { ...opts, ...c.options });
      expect(plan.formatVersion).toBe(2);
      expect(plan.storedBytes).toBe(target);
      embedAll(plan, video, rng);

      // Only the planned frames changed, each sample by at most 1.
      const d = differences(original, video);
      expect(d.maxStep).toBe(1);
      for (const f of d.frames) expect(framesToEmbed(plan)).toContain(f);
      // At the stealth budget no frame carries more than its share.
      if (settings.density !== 'full') {
        const limit = Math.floor(STEALTH_DENSITY * eligibleSamplesPerFrame(c.g, plan.layout.planeMask));
        for (let k = 0; k < plan.layout.frames.length; k++) expect(frameSymbolPlan(plan.layout, k).count).toBeLessThanOrEqual(limit);
      }

      const located = await findLocator('open sesame', c.g, reader(video), { ...opts, ...c.options });
      expect(located.record).toMatchObject({ formatVersion: 2, stcHeight: 7, coverWidth: WHOLE_FRAME_COVER_WIDTH });
      expectSamePayload(await revealFromFrames('open sesame', c.g, reader(video), { ...opts, ...c.options }), payload);
      await expect(revealFromFrames('open sesame!', c.g, reader(video), { ...opts, ...c.options })).rejects.toBeInstanceOf(NothingFoundError);
      // The source holds nothing.
      await expect(revealFromFrames('open sesame', c.g, reader(original), { ...opts, ...c.options })).rejects.toBeInstanceOf(NothingFoundError);
    }, 120_000);
  }

  it('with the real Argon2id parameters (64 MiB, 3 passes)', async () => {
    const g = yuvGeometry(160, 120, '420', 3);
    const video = foremanVideo(g);
    const payload = { message: 'the real thing', files: [] };
    const plan = await planHide(payload, 'correct horse', g, DEFAULT_HIDE_SETTINGS);
    for (const f of framesToEmbed(plan)) embedInFrame(plan, f, video[f]);
    expectSamePayload(await revealFromFrames('correct horse', g, reader(video)), payload);
    await expect(revealFromFrames('correct horse ', g, reader(video))).rejects.toBeInstanceOf(NothingFoundError);
  }, 60_000);

  it('a cloned, keyless reader reads frames in any order and the plan holder opens the body', async () => {
    const g = yuvGeometry(320, 180, '420', 10);
    const rng = new Xorshift(99);
    const video = foremanVideo(g);
    const payload = payloadOfSize(rng, stealthCapacity(g, DEFAULT_HIDE_SETTINGS)!);
    embedAll(await planHide(payload, 'pw', g, DEFAULT_HIDE_SETTINGS, opts), video, rng);
    const plan = await findLocator('pw', g, reader(video), opts);
    const helper = structuredClone(bodyReader(plan));
    expect(Object.keys(helper)).not.toContain('keys');
    const frames = Array.from(framesToExtract(plan));
    expect(frames.length).toBeGreaterThan(2);
    for (const f of frames.reverse()) storeFrameSymbols(plan, f, readFrameSymbols(helper, f, video[f]));
    expectSamePayload(await finishReveal(plan), payload);
  });

  it('reads only the locator frame and the body frames, and a short message uses one frame', async () => {
    const long = yuvGeometry(320, 240, '420', 500);
    const plan = await planHide({ message: 'short', files: [] }, 'pw', long, DEFAULT_HIDE_SETTINGS, opts);
    expect(framesToEmbed(plan).length).toBeLessThanOrEqual(2);
    const frames = new Map<number, PlaneSamples[]>();
    const frameOf = (i: number) => {
      let f = frames.get(i);
      if (!f) frames.set(i, (f = foremanVideo({ ...long, frameCount: 1 }, i)[0]));
      return f;
    };
    for (const f of framesToEmbed(plan)) embedInFrame(plan, f, frameOf(f));
    const read: number[] = [];
    const located = await findLocator('pw', long, async (i) => (read.push(i), frameOf(i)), opts);
    expect(read).toEqual([plan.locatorFrame]);
    expect(framesToExtract(located)).toEqual(plan.layout.frames);
  });
});

describe('format v2: the stealth budget', () => {
  const g = yuvGeometry(320, 240, '420', 4);

  it('a payload of exactly the budget hides; one byte more is refused with the budget and what to do, unless full capacity is chosen', async () => {
    const rng = new Xorshift(3);
    const budget = stealthCapacity(g, DEFAULT_HIDE_SETTINGS)!;
    const full = payloadCapacity(g, DEFAULT_HIDE_SETTINGS);
    expect(budget).toBeGreaterThan(0);
    expect(budget).toBeLessThan(full / 10);
    const over = payloadOfSize(rng, budget + 1);
    const err = await planHide(over, 'p', g, DEFAULT_HIDE_SETTINGS, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as PayloadTooLargeError).neededBytes).toBe(budget + 1);
    expect((err as PayloadTooLargeError).availableBytes).toBe(budget);
    expect((err as Error).message).toMatch(/stealth budget/);
    expect((err as Error).message).toMatch(/full capacity/);

    const video = foremanVideo(g);
    const fullPlan = await planHide(over, 'p', g, { ...DEFAULT_HIDE_SETTINGS, density: 'full' }, opts);
    expect(fullPlan.layout.frames.length).toBe(g.frameCount); // above the budget: every frame, as thinly as it goes
    embedAll(fullPlan, video, rng);
    expectSamePayload(await revealFromFrames('p', g, reader(video), opts), over);

    const exact = payloadOfSize(rng, budget);
    expect((await planHide(exact, 'p', g, DEFAULT_HIDE_SETTINGS, opts)).storedBytes).toBe(budget);
    // Beyond the full capacity nothing hides, whatever the density.
    const tooMuch = await planHide(payloadOfSize(rng, full + 1), 'p', g, { ...DEFAULT_HIDE_SETTINGS, density: 'full' }, opts).catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(PayloadTooLargeError);
    expect((tooMuch as PayloadTooLargeError).availableBytes).toBe(full);
  });

  it('frames too small for the v2 locator, and 2 bits per sample, are refused in plain words', async () => {
    const small = yuvGeometry(96, 64, '420', 5); // 6144 luma samples < 7552
    await expect(planHide({ message: 'x', files: [] }, 'p', small, DEFAULT_HIDE_SETTINGS, opts)).rejects.toThrow(/too small for adaptive embedding.*Choose LSB matching/);
    await expect(planHide({ message: 'x', files: [] }, 'p', g, { ...DEFAULT_HIDE_SETTINGS, bitsPerSample: 2 }, opts)).rejects.toThrow(
      /Adaptive embedding hides 1 bit per sample\. 2 bits per sample works only with LSB matching or LSB replacement/,
    );
  });
});

describe('format v2: damage', () => {
  it('light damage to the cover is repaired; heavy damage is reported as damage, never as data', async () => {
    const g = yuvGeometry(320, 240, '420', 3);
    const rng = new Xorshift(13);
    const settings: HideSettings = { ...DEFAULT_HIDE_SETTINGS, parityBytes: 64 };
    const payload = payloadOfSize(rng, stealthCapacity(g, settings)!);
    const video = foremanVideo(g);
    const plan = await planHide(payload, 'pw', g, settings, opts);
    embedAll(plan, video, rng);

    // Flip 20 least significant bits of one body frame's cover: each flip moves at most h = 7 message bits.
    const target = plan.layout.frames[0];
    const fp = frameSymbolPlan(plan.layout, 0);
    const n = Math.min(plan.layout.slotsPerFrame - (plan.layout.locatorListIndex === 0 ? plan.layout.locatorSlots : 0), plan.coverWidth * fp.count);
    const cover = new Uint32Array(n);
    new BodySlotOrder(plan.bodySeed, plan.layout, plan.locatorPositions).slots(target, n, cover);
    const light = cloneVideo(video);
    const { space } = plan.layout;
    for (let j = 0; j < 20; j++) {
      const e = cover[Math.floor((j * n) / 20)];
      let p = space.planeCount - 1;
      while (e < space.starts[p]) p--;
      light[target][space.planes[p]][e - space.starts[p]] ^= 1;
    }
    const located = await findLocator('pw', g, reader(light), opts);
    for (const f of framesToExtract(located)) extractFromFrame(located, f, light[f]);
    let bitsWrong = 0;
    for (let i = 0; i < plan.body.length; i++) for (let d = plan.body[i] ^ located.body[i]; d !== 0; d &= d - 1) bitsWrong++;
    expect(bitsWrong).toBeGreaterThan(0);
    expect(bitsWrong).toBeLessThanOrEqual(20 * 7);
    expectSamePayload(await finishReveal(located), payload);

    // Every least significant bit of the body frames randomised, the locator's luma kept: the locator opens, the body cannot.
    const heavy = cloneVideo(video);
    for (const f of plan.layout.frames) {
      heavy[f].forEach((p, pi) => {
        for (let i = 0; i < p.length; i++) {
          if (f === plan.locatorFrame && pi === 0) continue;
          p[i] = (p[i] & ~1) | (rng.nextU32() & 1);
        }
      });
    }
    await expect(revealFromFrames('pw', g, reader(heavy), opts)).rejects.toBeInstanceOf(DataDamagedError);
  });
});

/** Total HILL cost (of the cover, as the hide saw it) of the samples that differ between two videos. */
function changeCost(before: PlaneSamples[][], after: PlaneSamples[][], g: VideoGeometry): number {
  const hill = new HillCost();
  let total = 0;
  before.forEach((frame, f) => {
    const costs = hill.frame(frame, g);
    frame.forEach((p, pi) => {
      for (let i = 0; i < p.length; i++) if (p[i] !== after[f][pi][i]) total += costs[pi][i];
    });
  });
  return total;
}

describe('format v2: fewer changes than format v1 at the same payload', () => {
  // Relative payload α = 1 / cover width: message bits per cover position of each body frame.
  for (const [label, video] of [
    ['noise (HILL costs near uniform)', (g: VideoGeometry) => Array.from({ length: g.frameCount }, (_, f) => g.planes.map((p) => randomBytes(new Xorshift(f * 31 + p.width), p.width * p.height)))],
    ['foreman (natural texture)', foremanVideo],
  ] as const) {
    it(`message bits per changed sample at relative payloads 0.1 to 0.5: ${label}`, async () => {
      const g = yuvGeometry(352, 288, '420', 8);
      const rng = new Xorshift(21);
      const payload = payloadOfSize(rng, stealthCapacity(g, DEFAULT_HIDE_SETTINGS)!);
      const cover = video(g);
      const v1 = cloneVideo(cover);
      const v1Plan = await planHide(payload, 'pw', g, { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' }, opts);
      embedAll(v1Plan, v1, rng);
      const v1Changes = differences(cover, v1).changed;
      const bits = v1Plan.body.length * 8 + LOCATOR_SAMPLES;
      // Plain matching changes half the carrying samples.
      expect(bits / v1Changes).toBeGreaterThan(1.9);
      expect(bits / v1Changes).toBeLessThan(2.1);
      const v1Cost = changeCost(cover, v1, g);
      for (const width of [10, 5, 4, 3, 2]) {
        const v2 = cloneVideo(cover);
        const plan = await planHide(payload, 'pw', g, DEFAULT_HIDE_SETTINGS, { ...opts, coverWidth: width });
        expect(plan.body.length).toBe(v1Plan.body.length);
        embedAll(plan, v2, rng);
        expectSamePayload(await revealFromFrames('pw', g, reader(v2), opts), payload);
        const changes = differences(cover, v2).changed;
        const efficiency = bits / changes;
        const cost = changeCost(cover, v2, g);
        // Fewer samples change, and those that do cost less to change.
        expect(changes, `α = 1/${width}`).toBeLessThan(v1Changes);
        expect(cost, `α = 1/${width}`).toBeLessThan(v1Cost);
        if (label.startsWith('noise')) expect(efficiency, `α = 1/${width}`).toBeGreaterThan(width === 2 ? 3.5 : 4.5);
        else expect(efficiency, `α = 1/${width}`).toBeGreaterThan(2.5);
      }
    }, 120_000);
  }
});

describe('format v2: a decoy', () => {
  const g = yuvGeometry(640, 360, '420', 3);
  const real: Payload = { message: 'the real message', files: [{ name: 'plans.pdf', type: 'application/pdf', bytes: randomBytes(new Xorshift(1), 1500) }] };
  const decoy: Payload = { message: 'shopping list: milk, eggs', files: [] };

  it('each password reveals only its own payload, exactly, and the decoy never touches what the real reveal reads', async () => {
    const rng = new Xorshift(4);
    const cover = foremanVideo(g);
    const plan = await planHide(real, 'real pw', g, DEFAULT_HIDE_SETTINGS, { ...opts, decoy: { password: 'decoy pw', payload: decoy } });
    expect(plan.decoy).toBeDefined();
    // Three frames: the two payloads share frames, or this test would prove little.
    const realFrames = new Set([...plan.layout.frames, plan.locatorFrame]);
    expect([...plan.decoy!.layout.frames, plan.decoy!.locatorFrame].some((f) => realFrames.has(f))).toBe(true);

    const both = cloneVideo(cover);
    embedAll(plan, both, rng);
    // The same hide without the decoy's body, which goes into each frame last (after the decoy's
    // locator and the real payload): what the real payload's reveal reads must be as it was then.
    const realOnly = cloneVideo(cover);
    const noDecoyBody: HidePlan = { ...plan, decoy: { ...plan.decoy!, layout: { ...plan.decoy!.layout, frames: new Uint32Array(0) } } };
    embedAll(noDecoyBody, realOnly, rng);

    let read = 0;
    for (let f = 0; f < g.frameCount; f++) {
      const set = new SampleSet(frameSize(g));
      addReadSamples(plan, g, f, set);
      read += set.size();
      const flatBoth = Buffer.concat(both[f].map((p) => Buffer.from(p.buffer)));
      const flatReal = Buffer.concat(realOnly[f].map((p) => Buffer.from(p.buffer)));
      for (let i = 0; i < flatBoth.length; i++) if (set.has(i) && flatBoth[i] !== flatReal[i]) throw new Error(`frame ${f}: the decoy changed sample ${i}, which the real reveal reads`);
    }
    expect(read).toBeGreaterThan(0);
    // The decoy's body did change samples, in frames the real payload's body reads too.
    const decoyChanges = differences(realOnly, both);
    expect(decoyChanges.changed).toBeGreaterThan(0);
    expect([...decoyChanges.frames].some((f) => plan.layout.frames.includes(f))).toBe(true);

    expectSamePayload(await revealFromFrames('real pw', g, reader(both), opts), real);
    expectSamePayload(await revealFromFrames('decoy pw', g, reader(both), opts), decoy);
    await expect(revealFromFrames('neither', g, reader(both), opts)).rejects.toBeInstanceOf(NothingFoundError);
    // The decoy's record is that of a hide without a decoy; only the real one's says it left room.
    const decoyPlan = await findLocator('decoy pw', g, reader(both), opts);
    const plainPlan = await planHide(decoy, 'decoy pw', g, DEFAULT_HIDE_SETTINGS, opts);
    expect(decoyPlan.record).toMatchObject({ formatVersion: 2, coverWidth: plainPlan.coverWidth, stcHeight: plainPlan.stcHeight });
    expect((await findLocator('real pw', g, reader(both), opts)).record).toMatchObject({ coverWidth: DECOY_ROOM_COVER_WIDTH });
  });

  it('works with chroma only, carrier pools, and a decoy at the stealth budget', async () => {
    const rng = new Xorshift(5);
    const gg = yuvGeometry(352, 288, '420', 30);
    const settings: HideSettings = { ...DEFAULT_HIDE_SETTINGS, planeMask: 0b110 };
    const budget = stealthCapacity(gg, settings)!;
    const message = payloadOfSize(rng, Math.floor(budget / 3), 'real');
    const decoyPayload = payloadOfSize(rng, budget, 'decoy');
    const video = foremanVideo(gg);
    const plan = await planHide(message, 'a', gg, settings, { ...opts, pools: candidates(30), decoy: { password: 'b', payload: decoyPayload } });
    embedAll(plan, video, rng);
    const o = { ...opts, pools: candidates(30) };
    expectSamePayload(await revealFromFrames('a', gg, reader(video), o), message);
    expectSamePayload(await revealFromFrames('b', gg, reader(video), o), decoyPayload);
  }, 60_000);

  it('is refused cleanly, before any frame changes, when it cannot fit or is not a decoy', async () => {
    const rng = new Xorshift(6);
    const budget = stealthCapacity(g, DEFAULT_HIDE_SETTINGS)!;
    // Alone too large for the budget: bytes needed and available.
    const big = await planHide(real, 'r', g, DEFAULT_HIDE_SETTINGS, { ...opts, decoy: { password: 'd', payload: payloadOfSize(rng, budget + 1) } }).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(DecoyTooLargeError);
    expect((big as Error).message).toMatch(/^The decoy does not fit beside the message; make it smaller/);
    expect((big as DecoyTooLargeError).facts).toEqual({ neededBytes: budget + 1, availableBytes: budget });
    // The message fills its frames (full density, above the budget): no dry room left beside it.
    const full: HideSettings = { ...DEFAULT_HIDE_SETTINGS, density: 'full' };
    const crowded = await planHide(payloadOfSize(rng, Math.floor(payloadCapacity(g, full) * 0.9)), 'r', g, full, { ...opts, decoy: { password: 'd', payload: decoy } }).catch((e: unknown) => e);
    expect(crowded).toBeInstanceOf(DecoyTooLargeError);
    expect((crowded as Error).message).toMatch(/make it smaller, or make the message smaller, or use a longer video/);
    await expect(planHide(real, 'same', g, DEFAULT_HIDE_SETTINGS, { ...opts, decoy: { password: 'same', payload: decoy } })).rejects.toThrow(/different from the real one/);
    await expect(planHide(real, 'r', g, DEFAULT_HIDE_SETTINGS, { ...opts, decoy: { password: '', payload: decoy } })).rejects.toBeInstanceOf(UnsupportedInputError);
    await expect(planHide(real, 'r', g, { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' }, { ...opts, decoy: { password: 'd', payload: decoy } })).rejects.toThrow(/A decoy needs adaptive embedding/);
  });
});

describe('format versions', () => {
  it('a v2 locator frame does not open as v1, and a reveal of a v1 video reads it as v1', async () => {
    const g = yuvGeometry(320, 240, '420', 2);
    const payload = { message: 'which version', files: [] };
    for (const [mode, version] of [['adaptive', 2], ['matching', 1], ['replacement', 1]] as const) {
      const video = foremanVideo(g);
      const plan = await planHide(payload, 'v', g, { ...DEFAULT_HIDE_SETTINGS, mode }, opts);
      for (const f of framesToEmbed(plan)) embedInFrame(plan, f, video[f]);
      expect((await findLocator('v', g, reader(video), opts)).record.formatVersion).toBe(version);
      expectSamePayload(await revealFromFrames('v', g, reader(video), opts), payload);
    }
    expect(V2_LOCATOR_COVER).toBe(4 * LOCATOR_SAMPLES);
  });
});
