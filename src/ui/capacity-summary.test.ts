import { describe, expect, it } from 'vitest';
import { payloadCapacity } from '../core/capacity.ts';
import { yuvGeometry } from '../core/geometry.ts';
import { DEFAULT_HIDE_SETTINGS } from '../core/settings.ts';
import { capacitySummary, formatShare } from './capacity-summary.ts';

const g = yuvGeometry(568, 320, '420', 3);
const shape = (messageBytes: number) => ({ messageBytes, files: [] });

describe('capacitySummary', () => {
  it('reports the core capacity and the container size', () => {
    const s = capacitySummary(g, DEFAULT_HIDE_SETTINGS, shape(100));
    expect(s.capacityBytes).toBe(payloadCapacity(g, DEFAULT_HIDE_SETTINGS));
    expect(s.usedBytes).toBe(1 + 4 + 100 + 4);
    expect(s.fits).toBe(true);
    expect(s.overBytes).toBe(0);
  });

  it('counts file headers, names and sizes', () => {
    const s = capacitySummary(g, DEFAULT_HIDE_SETTINGS, { messageBytes: 0, files: [{ nameBytes: 5, typeBytes: 10, size: 1000 }] });
    expect(s.usedBytes).toBe(9 + 8 + 5 + 10 + 1000);
  });

  it('says how many bytes are too many', () => {
    const cap = payloadCapacity(g, DEFAULT_HIDE_SETTINGS);
    const s = capacitySummary(g, DEFAULT_HIDE_SETTINGS, shape(cap));
    expect(s.fits).toBe(false);
    expect(s.overBytes).toBe(9);
  });

  it('about doubles with 2 bits per sample (LSB matching), and the changed share follows the bits', () => {
    const matching = { ...DEFAULT_HIDE_SETTINGS, mode: 'matching' as const };
    const one = capacitySummary(g, matching, shape(10_000));
    const two = capacitySummary(g, { ...matching, bitsPerSample: 2 }, shape(10_000));
    expect(two.capacityBytes / one.capacityBytes).toBeCloseTo(2, 2);
    // Half the samples carry, each changing with chance 3/4 instead of 1/2.
    expect(two.changedShare / one.changedShare).toBeCloseTo(0.75, 1);
    const total = 568 * 320 * 1.5 * 3;
    expect(one.changedShare).toBeGreaterThan((10_000 * 8 * 0.5) / total);
    expect(one.changedShare).toBeLessThan(0.1);
  });

  it('formats shares for people', () => {
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(0.00001)).toBe('under 0.01%');
    expect(formatShare(0.0042)).toBe('0.42%');
    expect(formatShare(0.042)).toBe('4.2%');
    expect(formatShare(0.42)).toBe('42%');
  });
});
