import { describe, expect, it } from 'vitest';
import { parsePacketListing } from './packet-table.ts';
import { planSegments, segmentCount } from './segments.ts';
import { floorMicros, frameRate, microsToSeconds, parseTimeBase, roundMillis } from './time-base.ts';

describe('segments', () => {
  const tb = { num: 1, den: 30000 };
  // 300 frames at 29.97 fps, keyframes every 60 frames, listed in decode order (B-frames).
  const csv = Array.from({ length: 300 }, (_, i) => `${((i % 3 === 1 ? i + 1 : i % 3 === 2 ? i - 1 : i) * 1001)},${i % 60 === 0 ? 'K_' : '__'}`).join('\n');
  const packets = parsePacketListing(`0,stream line,ignored\n${csv}\n`);

  it('reads only packet lines, in presentation order', () => {
    expect(packets.pts.length).toBe(300);
    expect(packets.pts[1]).toBe(1001);
    expect(packets.keyframes).toEqual([0, 60060, 120120, 180180, 240240]);
  });

  it('cuts at the keyframes nearest equal shares, and covers every frame once', () => {
    const segs = planSegments(packets, tb, 0, 3);
    expect(segs.map((s) => s.firstFrame)).toEqual([0, 120, 180]);
    expect(segs.reduce((n, s) => n + s.frames, 0)).toBe(300);
    expect(segs[0].seekMicros).toBeUndefined();
    expect(segs[1].seekMicros).toBe(4004000);
    expect(segs[0].durationMicros).toBe(4004000);
    expect(segs[2].durationMicros).toBeUndefined();
  });

  it('keeps a short clip in one piece', () => {
    expect(planSegments(parsePacketListing('0,K_\n1001,__\n2002,K_\n'), tb, 0, 2)).toHaveLength(1);
  });

  it('rounds time exactly: seeks down to the microsecond, Matroska to the nearest millisecond', () => {
    expect(floorMicros(1, { num: 1, den: 90000 })).toBe(11);
    expect(floorMicros(-1, { num: 1, den: 90000 })).toBe(-12);
    expect(microsToSeconds(3003000)).toBe('3.003000');
    expect(microsToSeconds(-7000)).toBe('-0.007000');
    expect(roundMillis(15015, { num: 1, den: 30000 })).toBe(501); // 500.5 ms: halves away from zero, as FFmpeg does
    expect(roundMillis(-15015, { num: 1, den: 30000 })).toBe(-501);
  });

  it('reads time bases and frame rates as FFmpeg writes them', () => {
    expect(parseTimeBase('1/30000')).toEqual({ num: 1, den: 30000 });
    expect(() => parseTimeBase('1/0')).toThrow(RangeError);
    expect(frameRate('30000/1001')).toBeCloseTo(29.97, 2);
    expect(frameRate('25')).toBe(25);
    expect(frameRate('0/0')).toBe(0);
    expect(frameRate(undefined)).toBe(0);
  });

  it('sizes the parallel segments by cores, then by memory', () => {
    expect(segmentCount(1920, 1080, 2, 8)).toBe(2);
    expect(segmentCount(1920, 1080, 8, 2)).toBe(1);
    expect(segmentCount(3840, 2160, 16, 8)).toBe(1);
    expect(segmentCount(640, 360, 4, undefined)).toBe(4);
  });

  it('keeps under the caller\'s limit, and refuses a limit that is not a whole number of at least 1', () => {
    expect(segmentCount(640, 360, 4, undefined, 1)).toBe(1);
    expect(segmentCount(640, 360, 4, undefined, 3)).toBe(3);
    expect(segmentCount(640, 360, 2, undefined, 8)).toBe(2);
    expect(() => segmentCount(640, 360, 4, undefined, 0)).toThrow(RangeError);
    expect(() => segmentCount(640, 360, 4, undefined, 1.5)).toThrow(RangeError);
  });
});
