/**
 * The media engine's speed and memory, measured side by side in one run:
 *
 * - a generated 1440p30 H.264 + AAC clip (30 s, and the same at 120 s);
 * - native FFmpeg (Debian's, installed for the benchmark only) writing FFV1
 *   level 3 with two threads and the audio copied: the reference;
 * - VidStega hiding 1 MB of random bytes in it, in headless Chromium on this
 *   machine, then revealing it;
 * - the whole browser's memory (proportional set size of every Chromium
 *   process, sampled every 200 ms) during each hide;
 * - the CPU the browser used during the hide (cores busy on average), and the
 *   30 s clip again in a single segment, for how throughput scales with cores;
 * - the 30 s clip again decoded by FFmpeg's wasm decoder throughout, beside
 *   the default (the browser's WebCodecs decoder where a trial allows it);
 * - the floor: native FFmpeg's single-thread decode and FFV1 encode CPU per
 *   frame, spread over every core, which no hide of the clip can beat here.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { ensureNativeFfmpeg } from '../test-support/native-ffmpeg.ts';

const OUT = join(import.meta.dirname, '../bench-results');
const PORT = 5179;
/** The benchmark's page of the built engine (bench/engine-page/). */
const PAGE = `http://127.0.0.1:${PORT}/bench/engine-page/index.html`;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The 1440p30 H.264 + AAC clip; `noisy` adds grain like a camera's, which makes both decoding and FFV1 far heavier. */
export function clip(seconds: number, noisy = false): string {
  const path = join(OUT, `clip-1440p30-${seconds}s${noisy ? '-noisy' : ''}.mp4`);
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(path)) {
    console.log(`Generating ${path}…`);
    execFileSync('ffmpeg', [
      '-v', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc2=size=2560x1440:rate=30:duration=${seconds}${noisy ? ',noise=alls=10:allf=t' : ''}`,
      '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-g', '60',
      '-c:a', 'aac', '-b:a', '128k', path,
    ]);
  }
  return path;
}

export function nativeFfv1Seconds(input: string): number {
  const out = join(OUT, 'native-ffv1.mkv');
  const t0 = performance.now();
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', input, '-c:v', 'ffv1', '-level', '3', '-threads', '2', '-c:a', 'copy', out]);
  return (performance.now() - t0) / 1000;
}

/** Linux's USER_HZ, the unit of /proc/<pid>/stat times (100 on every mainstream build). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * The fields of /proc/<pid>/stat after the command name, so fields[0] is the
 * state (field 3 in proc(5)); times are in clock ticks.
 */
function procStat(pid: string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** CPU seconds used by this process's finished children (cutime + cstime). */
function childCpuSeconds(): number {
  const fields = procStat('self');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND;
}

/**
 * The least any hide of this clip can take on this machine: every frame must
 * be decoded and FFV1-encoded, and native FFmpeg (with its x86 assembly) is
 * the fastest code there is for both. One thread each, CPU time per frame;
 * the floor is that work spread perfectly over every core, with nothing else.
 */
function nativeFloor(input: string, frames: number): { decodeMs: number; encodeMs: number; floorSeconds: number } {
  const cpu = (args: string[]) => {
    const before = childCpuSeconds();
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-threads', '1', ...args]);
    return childCpuSeconds() - before;
  };
  const decodeMs = (cpu(['-i', input, '-map', '0:v:0', '-f', 'null', '-']) * 1000) / frames;
  const sample = join(OUT, 'floor-sample.nut');
  const sampleFrames = 90;
  try {
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', input, '-map', '0:v:0', '-frames:v', String(sampleFrames), '-c:v', 'rawvideo', sample]);
    const encodeMs = (cpu(['-i', sample, '-c:v', 'ffv1', '-level', '3', '-threads', '1', '-f', 'null', '-']) * 1000) / sampleFrames;
    return { decodeMs, encodeMs, floorSeconds: (frames * (decodeMs + encodeMs)) / 1000 / cpus().length };
  } finally {
    rmSync(sample, { force: true });
  }
}

/** The profile folder of the benchmark's own browser: its processes are the ones measured (other browsers on the machine are not). */
let benchProfile = '';

/**
 * The benchmark browser's processes: the one started with its profile, and
 * every process under it (renderers, GPU and utility processes).
 */
function chromiumPids(): string[] {
  const parent = new Map<string, string>();
  const roots: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium')) continue;
      parent.set(pid, procStat(pid)[1]);
      if (benchProfile && cmd.includes(benchProfile) && !cmd.includes('--type=')) roots.push(pid);
    } catch {
      // the process ended
    }
  }
  const ours = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) if (!ours.has(pid) && ours.has(ppid)) (ours.add(pid), (grew = true));
  }
  return [...ours];
}

/** PSS of the benchmark browser's processes, in bytes. */
export const PSS_DETAIL = new Map<string, number>();
export function browserPss(): number {
  let total = 0;
  for (const pid of chromiumPids()) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (m) {
        total += Number(m[1]) * 1024;
        if (process.env.BENCH_PSS_DETAIL) {
          const t = /--type=(\S+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '))?.[1] ?? 'browser';
          const k = `${pid}:${t}`;
          PSS_DETAIL.set(k, Math.max(PSS_DETAIL.get(k) ?? 0, Number(m[1]) / 1024));
        }
      }
    } catch {
      // the process ended
    }
  }
  return total;
}

/** CPU seconds (user + system, all threads) used so far by the benchmark browser's processes. */
function chromiumCpuSeconds(): number {
  let ticks = 0;
  for (const pid of chromiumPids()) {
    try {
      // utime and stime.
      const fields = procStat(pid);
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended
    }
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/**
 * Builds the engine as production bundles it (bench/vite.bench.config.ts)
 * and serves the build with the isolation headers, as an installed app gets
 * them from its service worker.
 */
export async function startEngineServer(): Promise<ChildProcess> {
  execFileSync('npx', ['vite', 'build', '--config', 'bench/vite.bench.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  const server = spawn('npx', ['vite', 'preview', '--config', 'bench/vite.bench.config.ts', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore', detached: true });
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(PAGE)).ok) return server;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the benchmark build could not be served');
}

export interface BrowserRun {
  hideSeconds: number;
  revealSeconds: number;
  frames: number;
  /** Frames the browser's own decoder (WebCodecs) read rather than FFmpeg's. */
  browserDecodedFrames: number;
  outputBytes: number;
  peakBrowserBytes: number;
  revealedOk: boolean;
  /** Seconds spent in each stage of the hide, as its progress events report them. */
  stages: Record<string, number>;
  /** CPU time of every Chromium process during the hide (all threads, user and system). */
  hideCpuSeconds: number;
  /** The frames that carry data (same format: the carrier pictures). */
  carriers: number;
  /** Seconds spent in each stage of the reveal. */
  revealStages: Record<string, number>;
}

/** Hides 1 MB in `input` in a fresh browser, then reveals it, with the hide's options (segments, decoder) as given. */
export async function hideInBrowser(
  input: string,
  options: { maxSegments?: number; decoder?: 'auto' | 'ffmpeg'; output?: 'lossless' | 'same-format'; mode?: 'adaptive' | 'matching'; onPhase?: (phase: 'probe' | 'hide' | 'reveal' | 'done') => void } = {},
): Promise<BrowserRun> {
  const { output = 'lossless', mode, onPhase, ...jobOptions } = options;
  // A persistent profile, as a person's browser is: Playwright's default
  // contexts are private, whose in-memory storage holds little more than 1 GB.
  const profile = mkdtempSync(join(tmpdir(), 'vidstega-bench-profile-'));
  benchProfile = profile;
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(PAGE);
    await page.waitForFunction(() => (window as unknown as { __engine?: unknown }).__engine !== undefined);
    // tsx keeps function names with a helper the page lacks; functions below are passed into the page.
    await page.evaluate('window.__name = (f) => f');
    await page.evaluate(() => {
      const i = document.createElement('input');
      i.type = 'file';
      i.id = 'bench-file';
      i.addEventListener('change', () => ((window as unknown as { __file: File }).__file = i.files![0]));
      document.body.append(i);
    });
    await page.setInputFiles('#bench-file', input);
    await page.waitForFunction(() => (window as unknown as { __file?: File }).__file !== undefined);
    // The app probes a video when the person picks it, before any hide.
    onPhase?.('probe');
    await page.evaluate(async () => {
      const w = window as unknown as { __engine: { probeVideo(f: File): Promise<unknown> }; __file: File; __info: unknown };
      w.__info = await w.__engine.probeVideo(w.__file);
    });
    const cpuBeforeHide = chromiumCpuSeconds();
    onPhase?.('hide');
    const hide = await page.evaluate(async ({ options, output, mode }) => {
      const { __engine: e, __settings: DEFAULT_HIDE_SETTINGS } = window as unknown as { __engine: any; __settings: Record<string, unknown> };
      const settings = mode ? { ...DEFAULT_HIDE_SETTINGS, mode } : DEFAULT_HIDE_SETTINGS;
      const file = (window as unknown as { __file: File }).__file;
      const info = (window as unknown as { __info: unknown }).__info;
      const bytes = new Uint8Array(1_000_000);
      for (let o = 0; o < bytes.length; o += 65536) crypto.getRandomValues(bytes.subarray(o, o + 65536));
      const payload = { message: '', files: [{ name: 'one-megabyte.bin', type: 'application/octet-stream', bytes }] };
      const stages: Record<string, number> = {};
      let stage = '';
      let since = 0;
      const t0 = performance.now();
      const onProgress = (p: { stage: string }) => {
        if (p.stage === stage) return;
        const now = performance.now();
        if (stage) stages[stage] = (now - since) / 1000;
        stage = p.stage;
        since = now;
      };
      const result = await e.hideInVideo({ file, info, payload, password: 'benchmark password', settings, output }, { onProgress, ...options });
      const t1 = performance.now();
      if (stage) stages[stage] = (t1 - since) / 1000;
      Object.assign(window, { __result: result, __bytes: bytes });
      return { hideSeconds: (t1 - t0) / 1000, frames: result.frames, browserDecodedFrames: result.browserDecodedFrames, outputBytes: result.file.size, stages, carriers: result.carrierFrames.length };
    }, { options: jobOptions, output, mode });
    const cpuAfterHide = chromiumCpuSeconds();
    onPhase?.('reveal');
    const reveal = await page.evaluate(async () => {
      const e = (window as unknown as { __engine: any }).__engine;
      const { __result: result, __bytes: bytes } = window as unknown as { __result: { file: File }; __bytes: Uint8Array };
      const revealStages: Record<string, number> = {};
      let stage = '';
      let since = 0;
      const t1 = performance.now();
      const back = await e.revealFromVideo(result.file, 'benchmark password', {
        onProgress: (p: { stage: string }) => {
          if (p.stage === stage) return;
          const now = performance.now();
          if (stage) revealStages[stage] = (now - since) / 1000;
          stage = p.stage;
          since = now;
        },
      });
      const t2 = performance.now();
      if (stage) revealStages[stage] = (t2 - since) / 1000;
      const got = back.files[0].bytes as Uint8Array;
      const revealedOk = got.length === bytes.length && got.every((b: number, i: number) => b === bytes[i]);
      await e.discardResult(result);
      return { revealSeconds: (t2 - t1) / 1000, revealedOk, revealStages };
    });
    onPhase?.('done');
    return { ...hide, ...reveal, peakBrowserBytes: 0, hideCpuSeconds: cpuAfterHide - cpuBeforeHide };
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * The browser's decoder against FFmpeg's on camera-like footage (a 10 s
 * noisy clip), with native FFmpeg beside them.
 */
async function benchNoisy(): Promise<Record<string, { value: number; unit: string; target?: string }>> {
  const noisy = clip(10, true);
  console.log('Noisy 10 s clip: native FFmpeg, then VidStega with each decoder…');
  const native = nativeFfv1Seconds(noisy);
  const auto = await hideInBrowser(noisy);
  const wasm = await hideInBrowser(noisy, { decoder: 'ffmpeg' });
  console.log(`  native ${native.toFixed(1)} s; hide ${auto.hideSeconds.toFixed(1)} s (${auto.browserDecodedFrames} of ${auto.frames} frames decoded by the browser), with FFmpeg's decoder ${wasm.hideSeconds.toFixed(1)} s`);
  if (!auto.revealedOk || !wasm.revealedOk) throw new Error('the revealed megabyte differs');
  return {
    media_noisy_10s_native_seconds: { value: round(native), unit: 's' },
    media_noisy_10s_hide_seconds: { value: round(auto.hideSeconds), unit: 's' },
    media_noisy_10s_hide_vs_native: { value: round(auto.hideSeconds / native, 3), unit: 'x' },
    media_noisy_10s_ffmpeg_decoder_seconds: { value: round(wasm.hideSeconds), unit: 's' },
    media_noisy_ffmpeg_decoder_vs_browser: { value: round(wasm.hideSeconds / auto.hideSeconds, 2), unit: 'x' },
  };
}

/**
 * @param quick the 30 s clip only (no 120 s run, so no memory comparison): for
 *   checking a change to the engine's speed.
 */
export async function benchMedia(quick = false, noisyOnly = false): Promise<Record<string, { value: number; unit: string; target?: string }>> {
  mkdirSync(OUT, { recursive: true });
  ensureNativeFfmpeg();
  if (noisyOnly) {
    const server = await startEngineServer();
    try {
      return await benchNoisy();
    } finally {
      if (server.pid) process.kill(-server.pid);
    }
  }
  const clip30 = clip(30);
  const clip120 = quick ? '' : clip(120);
  const server = await startEngineServer();
  try {
    console.log('Native FFmpeg, FFV1 level 3, two threads, audio copied (30 s clip)…');
    const native = nativeFfv1Seconds(clip30);
    console.log(`  ${native.toFixed(1)} s`);
    const runs: Record<string, BrowserRun> = {};
    const clips = quick ? [['30s', clip30]] : [['30s', clip30], ['120s', clip120]];
    for (const [name, path] of clips) {
      console.log(`VidStega in Chromium, hiding 1 MB (${name} clip)…`);
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, browserPss())), 200);
      const run = await hideInBrowser(path).finally(() => clearInterval(sampler));
      runs[name] = { ...run, peakBrowserBytes: peak };
      const stages = Object.entries(run.stages).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ');
      console.log(`  hide ${run.hideSeconds.toFixed(1)} s (${stages}; ${(run.hideCpuSeconds / run.hideSeconds).toFixed(2)} cores busy), reveal ${run.revealSeconds.toFixed(2)} s, ${run.frames} frames, peak ${(peak / 2 ** 20).toFixed(0)} MiB, revealed ${run.revealedOk ? 'byte-exact' : 'WRONG'}`);
      if (!run.revealedOk) throw new Error('the revealed megabyte differs');
    }
    console.log('The 30 s clip again, in one segment (one decoder and one encoder), for the scaling with cores…');
    const single = await hideInBrowser(clip30, { maxSegments: 1 });
    console.log(`  hide ${single.hideSeconds.toFixed(1)} s (hiding ${single.stages.hiding?.toFixed(1)} s), ${(single.hideCpuSeconds / single.hideSeconds).toFixed(2)} cores busy`);
    console.log('The 30 s clip again, decoded by FFmpeg throughout (not the browser’s decoder)…');
    const wasm = await hideInBrowser(clip30, { decoder: 'ffmpeg' });
    console.log(`  hide ${wasm.hideSeconds.toFixed(1)} s (hiding ${wasm.stages.hiding?.toFixed(1)} s), ${(wasm.hideCpuSeconds / wasm.hideSeconds).toFixed(2)} cores busy`);
    console.log('Native FFmpeg again, one thread, decode and FFV1 encode apart: the floor for any hide here…');
    const floor = nativeFloor(clip30, runs['30s'].frames);
    const fixed = (runs['30s'].stages.preparing ?? 0) + (runs['30s'].stages.finishing ?? 0);
    console.log(`  decode ${floor.decodeMs.toFixed(1)} ms/frame, FFV1 ${floor.encodeMs.toFixed(1)} ms/frame: ${floor.floorSeconds.toFixed(1)} s on ${cpus().length} cores (${(floor.floorSeconds / native).toFixed(2)}× native), ${(floor.floorSeconds + fixed).toFixed(1)} s with this hide's preparing and finishing`);
    const r30 = runs['30s'];
    const r120 = runs['120s'];
    const cores = cpus().length;
    const hidingFps = (r: BrowserRun) => r.frames / (r.stages.hiding ?? r.hideSeconds);
    const stageFigures = Object.fromEntries(
      Object.entries(r30.stages).map(([k, v]) => [`media_hide_30s_${k}_seconds`, { value: round(v), unit: 's' }]),
    );
    const common = {
      media_native_ffv1_30s_seconds: { value: round(native), unit: 's' },
      media_hide_30s_seconds: { value: round(r30.hideSeconds), unit: 's' },
      media_hide_vs_native: { value: round(r30.hideSeconds / native, 3), unit: 'x', target: '<= 0.8' },
      media_hide_fps_30s: { value: round(r30.frames / r30.hideSeconds), unit: 'frames/s' },
      media_reveal_1MB_seconds: { value: round(r30.revealSeconds, 2), unit: 's' },
      media_reveal_vs_hide: { value: round(r30.revealSeconds / r30.hideSeconds, 3), unit: 'x', target: '<= 0.1' },
      media_output_30s_bytes: { value: r30.outputBytes, unit: 'B' },
      ...stageFigures,
      media_hide_30s_cores_busy: { value: round(r30.hideCpuSeconds / r30.hideSeconds, 2), unit: `of ${cores} cores` },
      media_hiding_fps_one_segment: { value: round(hidingFps(single)), unit: 'frames/s' },
      media_hiding_fps_all_segments: { value: round(hidingFps(r30)), unit: 'frames/s' },
      media_hiding_one_segment_cores_busy: { value: round(single.hideCpuSeconds / single.hideSeconds, 2), unit: `of ${cores} cores` },
      media_hiding_all_vs_one_segment: { value: round(hidingFps(r30) / hidingFps(single), 2), unit: 'x' },
      media_hide_30s_browser_decoded_frames: { value: r30.browserDecodedFrames, unit: `of ${r30.frames} frames` },
      media_hide_30s_ffmpeg_decoder_seconds: { value: round(wasm.hideSeconds), unit: 's' },
      media_hide_ffmpeg_decoder_vs_browser: { value: round(wasm.hideSeconds / r30.hideSeconds, 2), unit: 'x' },
      media_native_h264_decode_ms_per_frame: { value: round(floor.decodeMs, 2), unit: 'ms CPU, one thread' },
      media_native_ffv1_encode_ms_per_frame: { value: round(floor.encodeMs, 2), unit: 'ms CPU, one thread' },
      media_floor_30s_seconds: { value: round(floor.floorSeconds), unit: `s (decode + FFV1, native, over ${cores} cores)` },
      media_floor_vs_native: { value: round(floor.floorSeconds / native, 3), unit: 'x' },
      media_floor_plus_preparing_finishing_vs_native: { value: round((floor.floorSeconds + fixed) / native, 3), unit: 'x' },
    };
    if (quick) return common;
    return {
      ...common,
      ...(await benchNoisy()),
      media_peak_browser_30s_MiB: { value: round(r30.peakBrowserBytes / 2 ** 20), unit: 'MiB' },
      media_peak_browser_120s_MiB: { value: round(r120.peakBrowserBytes / 2 ** 20), unit: 'MiB' },
      media_peak_120s_vs_30s: { value: round(r120.peakBrowserBytes / r30.peakBrowserBytes, 3), unit: 'x', target: '<= 1.1' },
      media_hide_120s_seconds: { value: round(r120.hideSeconds), unit: 's' },
    };
  } finally {
    if (server.pid) process.kill(-server.pid);
  }
}

export function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

