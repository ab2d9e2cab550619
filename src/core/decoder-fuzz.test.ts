/**
 * The decoder, fed 100,000 random or mutated inputs, only ever raises the
 * typed errors: no other exception, no hang, and never data that is not what
 * was hidden. Inputs come at three depths: whole random frames (any
 * geometry), mutated locator frames, and mutated bodies behind a valid
 * locator.
 */
import { describe, expect, it } from 'vitest';
import { expectSamePayload } from '../../test-support/same-payload.ts';
import { isVidStegaError } from './errors.ts';
import { yuvGeometry, type FramePlanes } from './geometry.ts';
import type { KdfParams } from './kdf.ts';
import { Xorshift } from './prng.ts';
import { DEFAULT_HIDE_SETTINGS } from './settings.ts';
import { embedInFrame, extractFromFrame, findLocator, finishReveal, framesToEmbed, planHide, revealFromFrames, type RevealPlan } from './stego.ts';
import type { Payload } from './container.ts';

const LIGHT: readonly KdfParams[] = [{ id: 1, algorithm: 'argon2id', memoryKiB: 8, iterations: 1, parallelism: 1 }];
const opts = { kdfSets: LIGHT };

const outcomes = { ok: 0, typed: new Map<string, number>() };

/** Runs one decode; fails the test on any exception that is not a typed VidStega error or on wrong data. */
async function decodeOnce(run: () => Promise<Payload>, expected: Payload): Promise<void> {
  try {
    // Anything returned must be exactly what was hidden (repaired by RS), never garbage: every byte of every file.
    expectSamePayload(await run(), expected);
    outcomes.ok++;
  } catch (e) {
    if (!isVidStegaError(e)) throw e;
    outcomes.typed.set(e.kind, (outcomes.typed.get(e.kind) ?? 0) + 1);
  }
}

function mutate(bytes: Uint8Array, rng: Xorshift): void {
  switch (rng.nextU32() % 4) {
    case 0: // fully random
      for (let i = 0; i < bytes.length; i++) bytes[i] = rng.nextU32() & 255;
      break;
    case 1: // a few bit flips
      for (let n = 1 + (rng.nextU32() % 40); n > 0; n--) bytes[rng.nextU32() % bytes.length] ^= 1 << (rng.nextU32() & 7);
      break;
    case 2: // a burst of zeros or ones
      {
        const start = rng.nextU32() % bytes.length;
        const len = 1 + (rng.nextU32() % 200);
        bytes.fill(rng.nextU32() & 1 ? 0xff : 0, start, start + len);
      }
      break;
    default: // many bit flips
      for (let n = 100 + (rng.nextU32() % 2000); n > 0; n--) bytes[rng.nextU32() % bytes.length] ^= 1 << (rng.nextU32() & 7);
  }
}

describe('decoder robustness', () => {
  it('100,000 random or mutated inputs raise only typed errors, and never yield wrong data', async () => {
    const rng = new Xorshift(0xf022);
    // Varied bytes (a repeated byte would hide a mix-up of places), still compressible so inflate is fuzzed too.
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) % 23);
    const payload: Payload = { message: 'fuzz target', files: [{ name: 'a.txt', type: 'text/plain', bytes }] };
    // One video of each format version: v2 (adaptive, the default) and v1 (LSB matching).
    const targets = [];
    for (const [g, settings] of [
      [yuvGeometry(128, 96, '420', 3), DEFAULT_HIDE_SETTINGS],
      [yuvGeometry(64, 48, '420', 3), { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' as const }],
    ] as const) {
      const video: Uint8Array[][] = Array.from({ length: g.frameCount }, () =>
        g.planes.map((p) => Uint8Array.from({ length: p.width * p.height }, () => rng.nextU32() & 255)),
      );
      const plan = await planHide(payload, 'pw', g, settings, opts);
      for (const f of framesToEmbed(plan)) embedInFrame(plan, f, video[f]);
      const located = await findLocator('pw', g, async (i: number): Promise<FramePlanes> => video[i], opts);
      expect(located.record.formatVersion).toBe(settings.mode === 'adaptive' ? 2 : 1);
      for (const f of located.layout.frames) extractFromFrame(located, f, video[f]);
      targets.push({ g, video, plan, located, cleanBody: located.body.slice() });
    }

    let inputs = 0;
    // 1. Mutated bodies behind an authenticated locator: Reed-Solomon, GCM, inflate and container parsing.
    for (let i = 0; i < 80_000; i++, inputs++) {
      const { located, cleanBody } = targets[i & 1];
      const body = cleanBody.slice();
      mutate(body, rng);
      const mutated: RevealPlan = { ...located, body };
      await decodeOnce(() => finishReveal(mutated), payload);
    }
    // 2. Mutated locator frames: the v2 code and the v1 bits, locator Reed-Solomon, GCM under every key size, record parsing.
    for (let i = 0; i < 15_000; i++, inputs++) {
      const { g, video, plan } = targets[i & 1];
      const luma = video[plan.locatorFrame][0].slice();
      mutate(luma, rng);
      const frames = video.map((f, fi) => (fi === plan.locatorFrame ? [luma, f[1], f[2]] : f));
      await decodeOnce(() => revealFromFrames('pw', g, async (k) => frames[k], opts), payload);
    }
    // 3. Random frames of random geometries, with random passwords.
    for (let i = 0; i < 5_000; i++, inputs++) {
      const w = 1 + (rng.nextU32() % 96);
      const h = 1 + (rng.nextU32() % 96);
      const rg = yuvGeometry(w, h, (['420', '422', '444', 'gray'] as const)[rng.nextU32() % 4], 1 + (rng.nextU32() % 4), rng.nextU32() & 1 ? 8 : 10);
      const frame = rg.planes.map((p) =>
        rg.bitDepth > 8
          ? Uint16Array.from({ length: p.width * p.height }, () => rng.nextU32() & 1023)
          : Uint8Array.from({ length: p.width * p.height }, () => rng.nextU32() & 255),
      );
      await decodeOnce(() => revealFromFrames(String(rng.nextU32()), rg, async () => frame, opts), payload);
    }

    expect(inputs).toBe(100_000);
    // The mix must exercise every path: repairs, nothing found, damage, too small.
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.typed.get('nothing-found') ?? 0).toBeGreaterThan(0);
    expect(outcomes.typed.get('data-damaged') ?? 0).toBeGreaterThan(0);
    expect(outcomes.typed.get('unsupported-input') ?? 0).toBeGreaterThan(0);
  }, 600_000);
});
