import { describe, expect, it } from 'vitest';
import { yuvGeometry } from '../core/geometry.ts';
import { sameFormatReason } from '../media/plan/video-info.ts';
import { decideOutput, parseOutputKind } from './output-choice.ts';

const mp4 = { carriers: 56, carrierBytes: 39_315, geometry: yuvGeometry(176, 144, '420', 56) };
const webm = { reason: sameFormatReason('vp8', 'matroska,webm') };

describe('decideOutput', () => {
  it('gives the same format where the video allows it and the person wants it', () => {
    expect(decideOutput('same-format', mp4)).toEqual({ output: 'same-format', sameFormatUnavailable: undefined, carriers: mp4 });
  });

  it('a remembered lossless copy stays lossless, even for a video that could come back in its own format', () => {
    expect(decideOutput('lossless', mp4)).toEqual({ output: 'lossless', sameFormatUnavailable: undefined, carriers: mp4 });
  });

  it('a video that cannot take the same format gets the lossless copy, with the engine’s reason', () => {
    const d = decideOutput('same-format', webm);
    expect(d.output).toBe('lossless');
    expect(d.sameFormatUnavailable).toBe(webm.reason);
    expect(d.sameFormatUnavailable).toMatch(/^This video is VP8;/);
    expect(d.carriers).toBeUndefined();
    expect(decideOutput('lossless', webm).sameFormatUnavailable).toBe(webm.reason);
  });

  it('before a video is open the preference stands', () => {
    expect(decideOutput('same-format', undefined).output).toBe('same-format');
    expect(decideOutput('lossless', undefined).output).toBe('lossless');
  });
});

it('reads only known output kinds', () => {
  expect(parseOutputKind('lossless')).toBe('lossless');
  expect(parseOutputKind('same-format')).toBe('same-format');
  expect(parseOutputKind('mp4')).toBeUndefined();
  expect(parseOutputKind(undefined)).toBeUndefined();
});
