import { describe, expect, it } from 'vitest';
import { DEFAULT_HIDE_SETTINGS } from '../core/settings.ts';
import { yuvGeometry } from '../core/geometry.ts';
import { chooseFrameMode, chooseOutput, defaultChoice, describeSettings, parseStoredChoice, resolveSettings } from './settings-choice.ts';

const g = yuvGeometry(568, 320, '420', 3);

describe('settings choice', () => {
  it('defaults to the core defaults', () => {
    const r = resolveSettings(defaultChoice(), g);
    expect(r).toEqual({ ok: true, settings: DEFAULT_HIDE_SETTINGS });
  });

  it('keeps valid remembered fields and drops the rest', () => {
    const c = parseStoredChoice({ keyBits: 128, errorCorrection: 'strong', mode: 'nonsense', bitsPerSample: 3, planes: { y: true, u: false, v: 'x' }, frameMode: 'list', frameList: '0-1', password: 'never' });
    // Chosen frames remembered from before there was a choice of output: the lossless copy, as they always meant.
    expect(c).toEqual({ ...defaultChoice(), output: 'lossless', keyBits: 128, errorCorrection: 'strong', planes: { y: true, u: false, v: true }, frameMode: 'list', frameList: '0-1' });
    expect(Object.keys(c)).not.toContain('password');
    expect(parseStoredChoice(null)).toEqual(defaultChoice());
    expect(parseStoredChoice('garbage')).toEqual(defaultChoice());
  });

  it('remembers the output; the same format by default, never with chosen frames', () => {
    expect(defaultChoice().output).toBe('same-format');
    expect(parseStoredChoice({ output: 'lossless' }).output).toBe('lossless');
    expect(parseStoredChoice({ output: 'same-format' }).output).toBe('same-format');
    expect(parseStoredChoice({ output: 'mkv' }).output).toBe('same-format');
    expect(parseStoredChoice({}).output).toBe('same-format');
    expect(parseStoredChoice({ output: 'same-format', frameMode: 'list', frameList: '3' })).toMatchObject({ output: 'lossless', frameMode: 'list', frameList: '3' });
    expect(parseStoredChoice({ output: 'lossless', frameMode: 'auto' })).toMatchObject({ output: 'lossless', frameMode: 'auto' });
  });

  it('chosen frames switch the output to the lossless copy, and the same format switches frames back to automatic', () => {
    const c = defaultChoice();
    expect(chooseFrameMode(c, 'auto')).toBeUndefined();
    expect(c.output).toBe('same-format');
    expect(chooseFrameMode(c, 'list')).toMatch(/^Chosen frames need the lossless copy, so Output is now “Lossless copy”/);
    expect(c).toMatchObject({ output: 'lossless', frameMode: 'list' });
    // Already lossless: nothing else changes.
    expect(chooseFrameMode(c, 'list')).toBeUndefined();
    expect(chooseOutput(c, 'lossless')).toBeUndefined();
    c.frameList = '0-9';
    expect(chooseOutput(c, 'same-format')).toMatch(/Frames \(under Settings\) is now Automatic/);
    // The typed list stays, for when the lossless copy is chosen again.
    expect(c).toMatchObject({ output: 'same-format', frameMode: 'auto', frameList: '0-9' });
    expect(chooseOutput(c, 'lossless')).toBeUndefined();
    expect(c).toMatchObject({ output: 'lossless', frameMode: 'auto' });
  });

  it('turns a choice into the core settings', () => {
    const c = { ...defaultChoice(), keyBits: 192 as const, errorCorrection: 'none' as const, mode: 'replacement' as const, bitsPerSample: 2 as const, planes: { y: true, u: false, v: true }, frameMode: 'list' as const, frameList: '0, 2' };
    expect(resolveSettings(c, g)).toEqual({
      ok: true,
      settings: { keyBits: 192, parityBytes: 0, mode: 'replacement', bitsPerSample: 2, planeMask: 0b101, frames: { kind: 'ranges', ranges: [{ start: 0, count: 1 }, { start: 2, count: 1 }] }, density: 'stealth' },
    });
    expect(resolveSettings({ ...defaultChoice(), density: 'full' }, g)).toEqual({ ok: true, settings: { ...DEFAULT_HIDE_SETTINGS, density: 'full' } });
    expect(parseStoredChoice({ mode: 'adaptive', density: 'full' })).toEqual({ ...defaultChoice(), mode: 'adaptive', density: 'full' });
    expect(parseStoredChoice({ mode: 'matching', density: 'lots' })).toEqual({ ...defaultChoice(), mode: 'matching' });
  });

  it('says that 2 bits per sample needs LSB matching or replacement', () => {
    expect(resolveSettings({ ...defaultChoice(), bitsPerSample: 2 }, g)).toEqual({
      ok: false,
      field: 'bits',
      error: 'Adaptive embedding hides 1 bit per sample. 2 bits per sample works only with LSB matching or LSB replacement.',
    });
    expect(resolveSettings({ ...defaultChoice(), mode: 'matching', bitsPerSample: 2 }, g).ok).toBe(true);
  });

  it('says plainly what is wrong', () => {
    const none = { ...defaultChoice(), planes: { y: false, u: false, v: false } };
    expect(resolveSettings(none, g)).toEqual({ ok: false, field: 'planes', error: 'Tick at least one plane (Y, U or V).' });
    const outside = { ...defaultChoice(), frameMode: 'list' as const, frameList: '0-5' };
    expect(resolveSettings(outside, g)).toEqual({ ok: false, field: 'frames', error: expect.stringContaining('frames 0-2') });
    const typo = { ...defaultChoice(), frameMode: 'list' as const, frameList: '0-x' };
    expect(resolveSettings(typo, g)).toEqual({ ok: false, field: 'frames', error: expect.stringContaining('“0-x”') });
  });

  it('ignores U and V for a video without colour planes', () => {
    const gray = yuvGeometry(64, 64, 'gray', 10);
    expect(resolveSettings({ ...defaultChoice(), planes: { y: false, u: true, v: true } }, gray)).toEqual({ ok: false, field: 'planes', error: 'This video has only the Y plane: tick Y.' });
  });

  it('describes settings in one line', () => {
    expect(describeSettings(DEFAULT_HIDE_SETTINGS)).toBe('AES-256, error correction standard, adaptive embedding, within the stealth budget, 1 bit per sample, planes YUV, frames chosen automatically');
    expect(describeSettings({ ...DEFAULT_HIDE_SETTINGS, mode: 'matching' })).toBe('AES-256, error correction standard, LSB matching, 1 bit per sample, planes YUV, frames chosen automatically');
  });
});
