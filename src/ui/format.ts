/** Plain-words formatting of sizes, durations and rates for people. */
import { frameRate } from '../media/plan/time-base.ts';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s} s`;
}

export function formatRate(rate: string): string {
  const v = frameRate(rate);
  return v > 0 ? `${Math.round(v * 100) / 100} fps` : 'unknown';
}

/** A whole number with thousands separators: "88,123". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en');
}

/** Bytes exactly and roughly: "88,123 bytes (86 KB)"; small sizes exactly only. */
export function formatBytesExact(n: number): string {
  const exact = `${formatCount(n)} byte${n === 1 ? '' : 's'}`;
  return n < 1024 ? exact : `${exact} (${formatBytes(n)})`;
}

/** Time left for people: "about 1 min 20 s left", "less than a second left". */
export function formatTimeLeft(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return 'estimating time left…';
  if (seconds < 1) return 'less than a second left';
  return `about ${formatDuration(seconds < 10 ? Math.ceil(seconds) : seconds)} left`;
}

/** A date and time in the person's own locale. */
export function formatWhen(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
