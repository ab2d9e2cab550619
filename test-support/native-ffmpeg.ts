/**
 * Native FFmpeg for benchmarks and the calibration script (never for tests:
 * CI has only Node and the npm packages). Debian's `ffmpeg` is installed with
 * apt-get when missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';

/** Installs Debian's ffmpeg (ffmpeg and ffprobe) unless it is already on the PATH. */
export function ensureNativeFfmpeg(): void {
  if (spawnSync('ffmpeg', ['-version']).status === 0) return;
  console.log('Installing Debian ffmpeg…');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  execFileSync(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), 'update'], { stdio: 'inherit' });
  execFileSync(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), 'install', '-y', 'ffmpeg'], { stdio: 'inherit' });
}
