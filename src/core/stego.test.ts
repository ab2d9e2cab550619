import { describe, expect, it } from 'vitest';
import { expectSamePayload } from '../../test-support/same-payload.ts';
import { payloadCapacity } from './capacity.ts';
import { containerSize, payloadShape, type Payload } from './container.ts';
import { DataDamagedError, NothingFoundError, PayloadTooLargeError, UnsupportedInputError } from './errors.ts';
import { yuvGeometry, type FramePlanes, type PlaneSamples, type VideoGeometry } from './geometry.ts';
import type { KdfParams } from './kdf.ts';
import { Xorshift } from './prng.ts';
import { BodySlotOrder, frameSymbolPlan } from './sample-order.ts';
import { DEFAULT_HIDE_SETTINGS, type HideSettings } from './settings.ts';

/** Format v1's settings: LSB matching, the default before adaptive embedding (format v2, stego-v2.test.ts). */
const V1: HideSettings = { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' };
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
} from './stego.ts';

/** Argon2id at its minimum cost: these tests are about layout and format, not KDF strength. */
const LIGHT: readonly KdfParams[] = [{ id: 1, algorithm: 'argon2id', memoryKiB: 8, iterations: 1, parallelism: 1 }];
const opts = { kdfSets: LIGHT };

function randomBytes(rng: Xorshift, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.nextU32() & 255;
  return out;
}

function randomVideo(g: VideoGeometry, rng: Xorshift): PlaneSamples[][] {
  const max = 2 ** g.bitDepth;
  return Array.from({ length: g.frameCount }, () =>
    g.planes.map((p) => {
      const a = g.bitDepth > 8 ? new Uint16Array(p.width * p.height) : new Uint8Array(p.width * p.height);
      for (let i = 0; i < a.length; i++) a[i] = rng.nextU32() % max;
      return a;
    }),
  );
}

function cloneVideo(v: PlaneSamples[][]): PlaneSamples[][] {
  return v.map((f) => f.map((p) => p.slice()));
}

const reader = (v: PlaneSamples[][]) => async (i: number): Promise<FramePlanes> => v[i];

function randomPayload(rng: Xorshift, fileBytes: number): Payload {
  const words = ['meet', 'at', 'the', 'bridge', 'über', 'ночь', '🌉', 'at 6'];
  const message = Array.from({ length: 1 + (rng.nextU32() % 20) }, () => words[rng.nextU32() % words.length]).join(' ');
  const files = [];
  let left = fileBytes;
  const count = rng.nextU32() % 4;
  for (let i = 0; i < count; i++) {
    const size = i === count - 1 ? left : Math.floor(left / 2);
    left -= size;
    files.push({ name: `file ${i}.bin`, type: i % 2 ? 'application/octet-stream' : '', bytes: randomBytes(rng, size) });
  }
  return { message, files };
}

/** Hides in every frame of the plan and returns which samples changed, per frame. */
async function hide(video: PlaneSamples[][], g: VideoGeometry, payload: Payload, password: string, settings: HideSettings) {
  const plan = await planHide(payload, password, g, settings, opts);
  const touched = new Set(framesToEmbed(plan));
  for (const f of touched) embedInFrame(plan, f, video[f]);
  return { plan, touched };
}

const geometries: [string, VideoGeometry][] = [
  ['64x48 4:2:0 8-bit', yuvGeometry(64, 48, '420', 6)],
  ['65x33 4:2:2 10-bit (odd sizes)', yuvGeometry(65, 33, '422', 4, 10)],
  ['50x40 4:4:4 8-bit', yuvGeometry(50, 40, '444', 3)],
  ['854x480 4:2:0 (odd chroma width)', yuvGeometry(854, 480, '420', 3)],
  ['3 frames of 320x240 4:2:0 12-bit', yuvGeometry(320, 240, '420', 3, 12)],
];

const settingsGrid: HideSettings[] = [
  V1,
  { ...V1, mode: 'replacement', bitsPerSample: 2, parityBytes: 0, keyBits: 128 },
  { ...V1, bitsPerSample: 2, parityBytes: 64, planeMask: 0b001, keyBits: 192 },
  { ...V1, parityBytes: 16, planeMask: 0b110 },
  { ...V1, frames: { kind: 'ranges', ranges: [{ start: 0, count: 1 }, { start: 2, count: 1 }] } },
];

describe('format v1: hide then reveal, through frames in memory', () => {
  for (const [name, g] of geometries) {
    it(`round-trips random messages and files exactly: ${name}`, async () => {
      const rng = new Xorshift(0x5eed0000 + g.planes[0].width);
      let roundTrips = 0;
      for (const settings of settingsGrid) {
        for (const fill of [0, 0.5, 1]) {
          const capacity = payloadCapacity(g, settings);
          // Random file bytes do not compress, so the container is stored as is: fill=1 is exactly full.
          const base = randomPayload(rng, 0);
          const overhead = containerSize(payloadShape({ message: base.message, files: [{ name: 'x', type: '', bytes: new Uint8Array(0) }] }));
          // Every case of the grid must fit: a geometry or setting too small for it is a mistake in this test.
          expect(overhead, `${JSON.stringify(settings)} holds ${capacity} bytes`).toBeLessThanOrEqual(capacity);
          const room = Math.floor((capacity - overhead) * fill);
          const payload: Payload = fill === 0 ? base : { message: base.message, files: [{ name: 'x', type: '', bytes: randomBytes(rng, room) }] };
          const video = randomVideo(g, rng);
          const original = cloneVideo(video);
          const password = `pw-${rng.nextU32()}`;
          const { plan, touched } = await hide(video, g, payload, password, settings);
          if (fill === 1) {
            expect(plan.storedBytes).toBe(capacity); // exactly full, uncompressed
            expect(plan.layout.symbolCount).toBeGreaterThan(0);
          }

          // Only the planned frames changed.
          for (let f = 0; f < g.frameCount; f++) {
            const same = video[f].every((p, i) => Buffer.from(p.buffer).equals(Buffer.from(original[f][i].buffer)));
            if (!touched.has(f)) expect(same).toBe(true);
          }
          const revealed = await revealFromFrames(password, g, reader(video), opts);
          expectSamePayload(revealed, payload);
          await expect(revealFromFrames(password + '!', g, reader(video), opts)).rejects.toBeInstanceOf(NothingFoundError);
          roundTrips++;
        }
      }
      expect(roundTrips).toBe(settingsGrid.length * 3);
    });
  }

  it('with the real Argon2id parameters (64 MiB, 3 passes)', async () => {
    const g = yuvGeometry(64, 48, '420', 4);
    const rng = new Xorshift(7);
    const video = randomVideo(g, rng);
    const payload = { message: 'the real thing', files: [] };
    const plan = await planHide(payload, 'correct horse', g, V1);
    for (const f of framesToEmbed(plan)) embedInFrame(plan, f, video[f]);
    expectSamePayload(await revealFromFrames('correct horse', g, reader(video)), payload);
    await expect(revealFromFrames('correct horse ', g, reader(video))).rejects.toBeInstanceOf(NothingFoundError);
  });
});

describe('format v1: reading body frames in several workers', () => {
  it('a cloned, keyless reader reads frames in any order and the plan holder opens the body', async () => {
    const g = yuvGeometry(96, 64, '420', 12);
    const rng = new Xorshift(99);
    const video = randomVideo(g, rng);
    const payload: Payload = { message: 'split across workers', files: [{ name: 'a.bin', type: '', bytes: randomBytes(rng, 3000) }] };
    const settings: HideSettings = { ...V1, frames: { kind: 'ranges', ranges: [{ start: 0, count: 12 }] } };
    await hide(video, g, payload, 'pw', settings);

    const plan = await findLocator('pw', g, reader(video), opts);
    // What a helper worker receives: a structured clone, with no cipher key in it.
    const helper = structuredClone(bodyReader(plan));
    expect(Object.keys(helper).sort()).toEqual(['bodySeed', 'coverWidth', 'formatVersion', 'geometry', 'layout', 'locatorPositions', 'stcHeight']);
    const frames = Array.from(framesToExtract(plan));
    expect(frames.length).toBeGreaterThan(2);
    for (const f of frames.reverse()) storeFrameSymbols(plan, f, readFrameSymbols(helper, f, video[f]));
    expectSamePayload(await finishReveal(plan), payload);
  });

  it('refuses frames outside the body and symbols of the wrong length', async () => {
    const g = yuvGeometry(64, 48, '420', 6);
    const rng = new Xorshift(5);
    const video = randomVideo(g, rng);
    await hide(video, g, { message: 'short', files: [] }, 'pw', V1);
    const plan = await findLocator('pw', g, reader(video), opts);
    const body = new Set(framesToExtract(plan));
    const outside = [...Array(g.frameCount).keys()].find((f) => !body.has(f));
    expect(outside).toBeDefined();
    expect(() => readFrameSymbols(plan, outside!, video[outside!])).toThrow(RangeError);
    const f = framesToExtract(plan)[0];
    const symbols = readFrameSymbols(plan, f, video[f]);
    expect(() => storeFrameSymbols(plan, f, symbols.subarray(1))).toThrow(RangeError);
  });
});

describe('format v1: what a person is told', () => {
  const g = yuvGeometry(64, 48, '420', 3);

  it('a payload of exactly the capacity is hidden whole; one byte over is refused with bytes needed and available', async () => {
    const rng = new Xorshift(11);
    const capacity = payloadCapacity(g, V1);
    const overhead = containerSize(payloadShape({ message: '', files: [{ name: 'x', type: '', bytes: new Uint8Array(0) }] }));
    const fits: Payload = { message: '', files: [{ name: 'x', type: '', bytes: randomBytes(rng, capacity - overhead) }] };
    const over: Payload = { message: '', files: [{ name: 'x', type: '', bytes: randomBytes(rng, capacity - overhead + 1) }] };
    // The payload that fits is hidden whole, filling the video, and comes back.
    const plan = await planHide(fits, 'p', g, V1, opts);
    expect(plan.storedBytes).toBe(capacity);
    const video = randomVideo(g, rng);
    for (const f of framesToEmbed(plan)) embedInFrame(plan, f, video[f]);
    expectSamePayload(await revealFromFrames('p', g, reader(video), opts), fits);
    const err = await planHide(over, 'p', g, V1, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as PayloadTooLargeError).neededBytes).toBe(capacity + 1);
    expect((err as PayloadTooLargeError).availableBytes).toBe(capacity);
  });

  it('a video with nothing hidden gives the same message as a wrong password', async () => {
    const video = randomVideo(g, new Xorshift(12));
    const err = await revealFromFrames('anything', g, reader(video), opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NothingFoundError);
    expect((err as Error).message).toMatch(/password is wrong/);
  });

  it('a video too small to hold the locator is refused in plain words', async () => {
    const tiny = yuvGeometry(32, 32, '420', 5);
    await expect(planHide({ message: 'x', files: [] }, 'p', tiny, V1, opts)).rejects.toBeInstanceOf(PayloadTooLargeError);
    await expect(revealFromFrames('p', tiny, reader(randomVideo(tiny, new Xorshift(1))), opts)).rejects.toBeInstanceOf(
      UnsupportedInputError,
    );
  });

  it('frame ranges outside the video and an empty password are refused', async () => {
    const bad: HideSettings = { ...V1, frames: { kind: 'ranges', ranges: [{ start: 2, count: 5 }] } };
    await expect(planHide({ message: 'x', files: [] }, 'p', g, bad, opts)).rejects.toThrow(/not all in this video/);
    await expect(planHide({ message: 'x', files: [] }, '', g, V1, opts)).rejects.toBeInstanceOf(UnsupportedInputError);
  });

  it('light damage is repaired; heavy damage of the body is reported as damage, never as data', async () => {
    const rng = new Xorshift(13);
    const payload = randomPayload(rng, 200);
    const strong: HideSettings = { ...V1, parityBytes: 64, bitsPerSample: 1 };
    const video = randomVideo(g, rng);
    const { plan } = await hide(video, g, payload, 'pw', strong);
    const body = framesToEmbed(plan).filter((f) => f !== plan.locatorFrame);
    const target = body.length > 0 ? body[0] : plan.layout.frames[0];

    // Flip the LSB of 20 samples that carry body bits (one bit each at 1 bit per sample): the body read back
    // differs from the one hidden in exactly those 20 bits, and Reed-Solomon repairs them.
    const k = plan.layout.frames.indexOf(target);
    const fp = frameSymbolPlan(plan.layout, k);
    expect(fp.count).toBeGreaterThanOrEqual(20);
    const slots = new Uint32Array(fp.count);
    new BodySlotOrder(plan.bodySeed, plan.layout, plan.locatorPositions).slots(target, fp.count, slots);
    const light = cloneVideo(video);
    const { space } = plan.layout;
    for (let j = 0; j < 20; j++) {
      const e = slots[Math.floor((j * fp.count) / 20)];
      let p = space.planeCount - 1;
      while (e < space.starts[p]) p--;
      light[target][space.planes[p]][e - space.starts[p]] ^= 1;
    }
    const located = await findLocator('pw', g, reader(light), opts);
    for (const f of framesToExtract(located)) extractFromFrame(located, f, light[f]);
    let bitsWrong = 0;
    for (let i = 0; i < plan.body.length; i++) for (let d = plan.body[i] ^ located.body[i]; d !== 0; d &= d - 1) bitsWrong++;
    expect(bitsWrong).toBe(20);
    expectSamePayload(await finishReveal(located), payload);

    // Randomise every LSB of every body frame except the locator: the locator opens, the body cannot.
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

  it('the same password on two embeddings writes unrelated bits', async () => {
    const g2 = yuvGeometry(64, 48, '420', 1);
    const base = randomVideo(g2, new Xorshift(14));
    const a = cloneVideo(base);
    const b = cloneVideo(base);
    const payload = { message: 'same message', files: [] };
    const pa = await planHide(payload, 'same', g2, V1, opts);
    const pb = await planHide(payload, 'same', g2, V1, opts);
    embedInFrame(pa, 0, a[0]);
    embedInFrame(pb, 0, b[0]);
    // Same positions (same password and geometry), so compare the bits written there.
    let equal = 0;
    for (let i = 0; i < pa.locatorBits.length; i++) if (pa.locatorBits[i] === pb.locatorBits[i]) equal++;
    const share = equal / pa.locatorBits.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
    expect(Buffer.from(pa.body).equals(Buffer.from(pb.body))).toBe(false);
  });

  it('reveal reads only the locator frame and the body frames, and a short message uses few of them', async () => {
    const long = yuvGeometry(320, 240, '420', 400);
    const plan = await planHide({ message: 'short', files: [] }, 'pw', long, V1, opts);
    expect(framesToEmbed(plan).length).toBeLessThanOrEqual(2);
    const video = new Map<number, PlaneSamples[]>();
    const rng = new Xorshift(15);
    const frameOf = (i: number): PlaneSamples[] => {
      let f = video.get(i);
      if (!f) {
        f = long.planes.map((p) => randomBytes(rng, p.width * p.height));
        video.set(i, f);
      }
      return f;
    };
    for (const f of framesToEmbed(plan)) embedInFrame(plan, f, frameOf(f));
    const read: number[] = [];
    const located = await findLocator('pw', long, async (i) => (read.push(i), frameOf(i)), opts);
    expect(framesToExtract(located).length).toBe(plan.layout.frames.length);
    expect(read).toEqual([plan.locatorFrame]);
  });
});
