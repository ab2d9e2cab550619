/**
 * Time in exact integers: packet timestamps count in a stream's time base,
 * FFmpeg's options take microseconds, Matroska stores milliseconds. Every
 * conversion here is exact or rounds the way FFmpeg does.
 */

/** A time base such as "1/30000". */
export interface TimeBase {
  readonly num: number;
  readonly den: number;
}

export function parseTimeBase(tb: string): TimeBase {
  const [num, den] = tb.split('/').map(Number);
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || num <= 0 || den <= 0) throw new RangeError(`bad time base ${tb}`);
  return { num, den };
}

/** A frame rate as FFmpeg writes it ("30000/1001", "25"), in frames per second; 0 when unknown. */
export function frameRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [n, d] = rate.split('/').map(Number);
  const v = d === undefined ? n : d ? n / d : 0;
  return Number.isFinite(v) && v > 0 ? v : 0;
}

/** `pts` in microseconds, rounded down (exact integer arithmetic). */
export function floorMicros(pts: number, tb: TimeBase): number {
  const us = (BigInt(pts) * BigInt(tb.num) * 1_000_000n) / BigInt(tb.den);
  // BigInt division truncates toward zero; floor for negative times.
  const exact = BigInt(pts) * BigInt(tb.num) * 1_000_000n === us * BigInt(tb.den);
  return Number(pts < 0 && !exact ? us - 1n : us);
}

/** `pts` in milliseconds, rounded to nearest, halves away from zero: as FFmpeg rescales into Matroska's time base. */
export function roundMillis(pts: number, tb: TimeBase): number {
  const num = BigInt(pts) * BigInt(tb.num) * 1000n;
  const den = BigInt(tb.den);
  const neg = num < 0n;
  const a = neg ? -num : num;
  const q = (2n * a + den) / (2n * den);
  return Number(neg ? -q : q);
}

/** Microseconds as the decimal seconds FFmpeg parses exactly, e.g. 3003000 → "3.003000". */
export function microsToSeconds(us: number): string {
  const sign = us < 0 ? '-' : '';
  const a = Math.abs(us);
  return `${sign}${Math.floor(a / 1e6)}.${String(a % 1e6).padStart(6, '0')}`;
}
