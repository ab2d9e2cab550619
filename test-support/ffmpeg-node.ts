/**
 * The real ffmpeg.wasm core (the same @ffmpeg/core build the app ships),
 * loaded in Node for tests: a tiny shim makes its worker build run here.
 * Files live in MEMFS, so only small clips belong in these tests.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Core, FFmpegCore } from '../src/media/worker/ffmpeg/core-types.ts';

export type { Core, FFmpegCore };

const require = createRequire(import.meta.url);

/** A fresh core instance. Each call instantiates its own wasm heap. */
export async function loadFFmpegCore(): Promise<Core> {
  const g = globalThis as Record<string, unknown>;
  g.self ??= globalThis;
  g.location ??= { href: 'file:///' };
  const jsPath = require.resolve('@ffmpeg/core').replace(/umd\/ffmpeg-core\.js$/, 'esm/ffmpeg-core.js');
  const wasmBinary = readFileSync(jsPath.replace(/\.js$/, '.wasm'));
  const { default: createFFmpegCore } = (await import(/* @vite-ignore */ jsPath)) as {
    default: (o: { wasmBinary: Uint8Array }) => Promise<FFmpegCore>;
  };
  const core = await createFFmpegCore({ wasmBinary });
  const log: string[] = [];
  core.setLogger(({ message }) => log.push(message));
  return Object.assign(core, { log });
}

/** Runs an ffmpeg command; throws with the log tail when it fails. */
export function run(core: Core, args: string[]): void {
  core.log.length = 0;
  const rc = core.exec(...args);
  core.reset();
  if (rc !== 0) throw new Error(`ffmpeg ${args.join(' ')} exited ${rc}:\n${core.log.slice(-15).join('\n')}`);
}

/**
 * Per-frame (or per-packet, with `copy`) MD5s of one stream and their times
 * in seconds, as framemd5 writes them. Decoded frames keep every frame and
 * timestamp (`-fps_mode passthrough`), unrotated.
 */
export function frameHashes(core: Core, input: string, map: string, copy: boolean): { time: number; hash: string }[] {
  run(core, ['-noautorotate', '-i', input, '-map', map, ...(copy ? ['-c', 'copy'] : ['-fps_mode', 'passthrough', '-enc_time_base', '-1']), '-f', 'framemd5', '/hash.txt']);
  const lines = core.FS.readFile('/hash.txt', { encoding: 'utf8' }).split('\n');
  core.FS.unlink('/hash.txt');
  const tb = lines.find((l) => l.startsWith('#tb 0:'))?.slice(7).trim() ?? '1/1';
  const [n, d] = tb.split('/').map(Number);
  return lines
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(',').map((f) => f.trim()))
    .map((f) => ({ time: (Number(f[2]) * n) / d, hash: `${f[4]} ${f[5]}` }));
}
