import { describe, expect, it } from 'vitest';
import { formatFrameList, parseFrameList } from './frame-list.ts';

describe('parseFrameList', () => {
  it('reads single frames and inclusive ranges', () => {
    expect(parseFrameList('0-99, 150, 200-250')).toEqual({
      ok: true,
      ranges: [
        { start: 0, count: 100 },
        { start: 150, count: 1 },
        { start: 200, count: 51 },
      ],
    });
  });

  it('accepts spaces, dashes, semicolons, new lines and a trailing comma', () => {
    expect(parseFrameList(' 3 – 5 ;7\n10 -10,')).toEqual({
      ok: true,
      ranges: [
        { start: 3, count: 3 },
        { start: 7, count: 1 },
        { start: 10, count: 1 },
      ],
    });
  });

  it('explains what it cannot read', () => {
    expect(parseFrameList('')).toEqual({ ok: false, error: expect.stringMatching(/Type the frames/) });
    expect(parseFrameList(' , ')).toEqual({ ok: false, error: expect.stringMatching(/Type the frames/) });
    expect(parseFrameList('1-2, abc')).toEqual({ ok: false, error: expect.stringContaining('“abc” is not a frame number') });
    expect(parseFrameList('-5')).toEqual({ ok: false, error: expect.stringContaining('“-5”') });
    expect(parseFrameList('1.5')).toEqual({ ok: false, error: expect.stringContaining('“1.5”') });
    expect(parseFrameList('20-10')).toEqual({ ok: false, error: expect.stringContaining('like 10-20') });
    expect(parseFrameList('99999999999999999999')).toEqual({ ok: false, error: expect.stringContaining('far beyond') });
  });

  it('writes ranges back as they are typed', () => {
    const text = '0-99, 150, 200-250';
    const parsed = parseFrameList(text);
    expect(parsed.ok && formatFrameList(parsed.ranges)).toBe(text);
  });
});
