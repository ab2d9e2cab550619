/**
 * The same-format path in Chromium, through the app as a person uses it, on
 * every H.264 MP4/MOV of the shared corpus and on generated streams: the
 * hide, the save, the reveal byte-exact from the saved file; then the saved
 * output checked as a
 * recipient and a suspicious editor would: every packet but the carriers' is
 * the source's, byte for byte, at its time; every frame but the carriers
 * decodes as before; each carrier's raw samples are what both FFmpeg's
 * decoder and the browser's (WebCodecs) show; the video plays to its end in
 * Chromium's <video> with no media error. A wrong password and a re-encoded
 * copy get the plain answer.
 */
import { test, expect, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawFrameBytes, type VideoGeometry } from '../src/core/geometry.ts';
import { probeInfo } from '../src/media/worker/ffmpeg/ffprobe.ts';
import { readCarrierSample } from '../src/media/formats/h264/index.ts';
import { openH264Track, readSample, type H264Track } from '../src/media/worker/read/h264-track.ts';
import { bufferSource } from '../test-support/byte-sources.ts';
import { frameHashes, loadFFmpegCore, run, type Core } from '../test-support/ffmpeg-node.ts';
import { CORPUS } from '../test-support/paths.ts';
import { fillRoundTrip, hideAndSaveFilled, revealExactly, useDownloadsForSaving } from './app-helpers.ts';
import { clearJobs, hideAndReveal, openEngine, pickFiles } from './engine-harness.ts';

const work = mkdtempSync(join(tmpdir(), 'vidstega-same-'));
let core: Core | undefined;
async function nodeCore(): Promise<Core> {
  core ??= await loadFFmpegCore();
  return core;
}
// A fresh wasm core for each test's checks in Node: one instance's heap after many decodes is not to be trusted.
test.beforeEach(() => {
  core = undefined;
});

function track(bytes: Uint8Array): H264Track {
  const t = openH264Track(bufferSource(bytes));
  if ('reason' in t) throw new Error(t.reason);
  return t;
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/**
 * A carrier's raw samples, packed as rawvideo lays a frame out (little-endian
 * above 8 bits), cropped to `shown` (the top-left part a decoder shows; all
 * of it unless given).
 */
function carrierBytes(t: H264Track, bytes: Uint8Array, sample: number, shown: VideoGeometry = t.geometry): Uint8Array {
  const planes = readCarrierSample(readSample(bufferSource(bytes), t, sample), t.config.lengthSize, t.params, t.geometry);
  if (!planes) throw new Error(`sample ${sample} is not a carrier`);
  const out = new Uint8Array(rawFrameBytes({ ...shown, frameCount: 1 }));
  const width = t.geometry.bitDepth > 8 ? 2 : 1;
  let at = 0;
  planes.forEach((p, k) => {
    const b = new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
    const full = t.geometry.planes[k].width * width;
    const rowBytes = shown.planes[k].width * width;
    for (let y = 0; y < shown.planes[k].height; y++, at += rowBytes) out.set(b.subarray(y * full, y * full + rowBytes), at);
  });
  return out;
}

/**
 * The frames as FFmpeg shows them. Where an MP4's track is narrower than the
 * coded picture and the stream sets no cropping (gopro_karma.mp4: 854 of
 * 864 columns), FFmpeg crops to the track's size; VidStega keeps the whole
 * picture the stream codes (what the raw decoders and the carrier hold).
 */
async function shownGeometry(path: string): Promise<VideoGeometry> {
  const c = await nodeCore();
  c.FS.writeFile('/probe', readFileSync(path));
  const g = probeInfo(c, '/probe').geometry;
  c.FS.unlink('/probe');
  return g;
}

/** Raw frames of the first video stream in display order, decoded by FFmpeg in Node. */
async function ffmpegFrames(path: string, frameBytes: number): Promise<Uint8Array[]> {
  const c = await nodeCore();
  c.FS.writeFile('/in', readFileSync(path));
  run(c, ['-noautorotate', '-i', '/in', '-map', '0:v:0', '-fps_mode', 'passthrough', '-c:v', 'rawvideo', '-f', 'rawvideo', '/frames.raw']);
  const all = c.FS.readFile('/frames.raw');
  for (const f of ['/in', '/frames.raw']) c.FS.unlink(f);
  return Array.from({ length: all.length / frameBytes }, (_, i) => all.slice(i * frameBytes, (i + 1) * frameBytes));
}

/** SHA-256 of each carrier frame as the browser's decoder gives it, decoding the whole saved output in the page. */
async function webCodecsCarrierHashes(page: Page, t: H264Track, outputName: string, carriers: readonly number[]): Promise<Record<number, string>> {
  const samples = Array.from({ length: t.samples.count }, (_, i) => ({ offset: t.samples.offset[i], size: t.samples.size[i], time: t.samples.compositionTime[i], key: t.samples.sync[i] === 1 }));
  const wanted = carriers.map((s) => t.samples.compositionTime[s]);
  const g = t.geometry;
  const bytesPerSample = g.bitDepth > 8 ? 2 : 1;
  const layout: { offset: number; stride: number }[] = [];
  let offset = 0;
  for (const p of g.planes) {
    layout.push({ offset, stride: p.width * bytesPerSample });
    offset += p.width * p.height * bytesPerSample;
  }
  const hex = (b: number) => b.toString(16).padStart(2, '0');
  const codec = `avc1.${hex(t.config.profileIdc)}${hex(t.config.profileCompatibility)}${hex(t.config.levelIdc)}`;
  const byTime = await page.evaluate(
    async ({ samples, wanted, layout, frameBytes, codec, description, codedWidth, codedHeight }) => {
      const file = (window as unknown as { __result: { file: File } }).__result.file;
      const data = new Uint8Array(await file.arrayBuffer());
      const want = new Set(wanted);
      const hashes: Record<number, string> = {};
      const pending: Promise<void>[] = [];
      let failure: string | undefined;
      const decoder = new VideoDecoder({
        output: (f) => {
          if (!want.has(f.timestamp)) return f.close();
          const buf = new Uint8Array(frameBytes);
          pending.push(
            f
              .copyTo(buf, { layout })
              .then(() => crypto.subtle.digest('SHA-256', buf))
              .then((d) => void (hashes[f.timestamp] = [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('')))
              .finally(() => f.close()),
          );
        },
        error: (e) => void (failure = e.message),
      });
      decoder.configure({ codec, description: new Uint8Array(description), codedWidth, codedHeight, hardwareAcceleration: 'prefer-software' });
      for (const s of samples) {
        decoder.decode(new EncodedVideoChunk({ type: s.key ? 'key' : 'delta', timestamp: s.time, data: data.subarray(s.offset, s.offset + s.size) }));
        while (decoder.decodeQueueSize > 8) await new Promise((r) => setTimeout(r, 1));
      }
      await decoder.flush();
      await Promise.all(pending);
      decoder.close();
      if (failure) throw new Error(failure);
      return hashes;
    },
    { samples, wanted, layout, frameBytes: offset, codec, description: [...t.track.sampleEntries[0].avcC!], codedWidth: t.sps.codedWidth, codedHeight: t.sps.codedHeight },
  );
  return Object.fromEntries(carriers.map((s) => [s, byTime[t.samples.compositionTime[s]]]));
}

/** Plays the saved output in a <video> as fast as Chromium will, to its end; the media error, if any. */
async function playToEnd(page: Page): Promise<{ ended: boolean; error: string | null }> {
  return page.evaluate(async () => {
    const file = (window as unknown as { __result: { file: File } }).__result.file;
    const v = document.createElement('video');
    v.muted = true;
    v.src = URL.createObjectURL(file);
    document.body.append(v);
    return new Promise<{ ended: boolean; error: string | null }>((resolve) => {
      const done = (ended: boolean) => {
        resolve({ ended, error: v.error ? `${v.error.code}: ${v.error.message}` : null });
        v.remove();
      };
      v.addEventListener('ended', () => done(true));
      v.addEventListener('error', () => done(false));
      v.addEventListener('loadedmetadata', () => {
        v.playbackRate = 16;
        void v.play().catch(() => done(false));
      });
    });
  });
}

/** Puts a file of this machine into the page as `window.__result.file`, through a real file input. */
async function fileIntoPage(page: Page, path: string): Promise<void> {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'check-file';
    input.hidden = true;
    input.addEventListener('change', () => ((window as unknown as { __result: { file: File } }).__result = { file: input.files![0] }));
    document.body.append(input);
  });
  await page.setInputFiles('#check-file', path);
  await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined);
  await page.evaluate(() => document.getElementById('check-file')?.remove());
}

/**
 * Hides through the app as a person does (the same format, the app's
 * default for these videos), saves, reveals byte-exact from the saved file;
 * then checks the saved video.
 */
async function sameFormatCheck(page: Page, path: string, name: string): Promise<void> {
  const tag = name.replace(/[^A-Za-z0-9]+/g, '-');
  await fillRoundTrip(page, path);
  // A short video's few unreferenced pictures may not hold the round trip within the stealth budget:
  // then the person's choice, full capacity, as the meter offers it.
  await expect(page.getByTestId('capacity-used')).toBeVisible();
  const useFull = page.getByRole('button', { name: 'Use the full capacity' }).first();
  if (await useFull.isVisible()) {
    test.info().annotations.push({ type: 'density', description: `${name}: above the stealth budget, full capacity chosen` });
    await useFull.click();
  }
  const saved = await hideAndSaveFilled(page, work, tag);
  await revealExactly(page, saved.path, work, tag);
  expect(saved.name.slice(saved.name.lastIndexOf('.'))).toBe(name.slice(name.lastIndexOf('.')));

  const source = readFileSync(path);
  const output = readFileSync(saved.path);
  const src = track(source);
  const out = track(output);
  expect(out.samples.count).toBe(src.samples.count);
  // The carriers: the samples whose bytes changed. Each is a raw (I_PCM) picture nothing refers to.
  const carriers: number[] = [];
  for (let i = 0; i < src.samples.count; i++) {
    const a = readSample(bufferSource(source), src, i);
    const b = readSample(bufferSource(output), out, i);
    if (Buffer.compare(a, b) !== 0) carriers.push(i);
  }
  expect(carriers.length).toBeGreaterThan(0);
  const candidates = new Set(Array.from({ length: src.candidates.total() }, (_, v) => src.candidates.at(v).sample));
  for (const s of carriers) expect(candidates.has(s), `sample ${s} is a carrier candidate`).toBe(true);

  // Every packet of every stream but the carriers': byte for byte, at the same time; orientation kept.
  const c = await nodeCore();
  c.FS.writeFile('/src', source);
  c.FS.writeFile('/out', output);
  const a = frameHashes(c, '/src', '0', true);
  const b = frameHashes(c, '/out', '0', true);
  expect(probeInfo(c, '/out').video.rotation).toBe(probeInfo(c, '/src').video.rotation);
  for (const f of ['/src', '/out']) c.FS.unlink(f);
  expect(b.length).toBe(a.length);
  expect(b.map((p) => p.time)).toEqual(a.map((p) => p.time));
  expect(b.filter((p, i) => p.hash !== a[i].hash).length).toBe(carriers.length);

  // Every frame but the carriers decodes as before; each carrier decodes (FFmpeg, and the browser) to its raw samples.
  const shown = await shownGeometry(path);
  const frameBytes = rawFrameBytes({ ...shown, frameCount: 1 });
  const before = await ffmpegFrames(path, frameBytes);
  const after = await ffmpegFrames(saved.path, frameBytes);
  expect(after.length).toBe(before.length);
  const display = new Map(carriers.map((s) => [src.displayIndex[s], s]));
  for (let i = 0; i < before.length; i++) {
    const s = display.get(i);
    if (s === undefined) expect(Buffer.compare(after[i], before[i]), `frame ${i}`).toBe(0);
    else expect(sha256(after[i]), `carrier ${i} in FFmpeg`).toBe(sha256(carrierBytes(out, output, s, shown)));
  }
  await fileIntoPage(page, saved.path);
  const browser = await webCodecsCarrierHashes(page, out, saved.name, carriers);
  for (const s of carriers) expect(browser[s], `carrier ${s} in WebCodecs`).toBe(sha256(carrierBytes(out, output, s)));

  expect(await playToEnd(page)).toEqual({ ended: true, error: null });
}

test.beforeEach(async ({ page }) => {
  await useDownloadsForSaving(page);
  await page.goto('/');
});

test('the browser’s decoder reads every carrier of a same-format hide (engine, mdn_flower.mp4)', async ({ page }) => {
  await openEngine(page);
  await clearJobs(page);
  await pickFiles(page, [join(CORPUS, 'mdn_flower.mp4')]);
  const r = await hideAndReveal(page, 'decoded by the browser', 3000, 'same-format');
  expect(r.revealedMessage).toBe('decoded by the browser');
  expect(r.carrierFrames.length).toBeGreaterThan(0);
  expect(r.browserDecodedFrames).toBe(r.carrierFrames.length);
});

test.describe('same-format hide and reveal across the corpus, in Chromium', () => {
  test.describe.configure({ timeout: 300_000 });
  const videos = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => /\.(mp4|mov)$/i.test(f)).sort() : [];

  test('the corpus holds the H.264 MP4 and MOV files', () => {
    expect(videos.length).toBeGreaterThanOrEqual(19);
  });

  for (const name of videos) {
    test(name, async ({ page }) => {
      await sameFormatCheck(page, join(CORPUS, name), name);
    });
  }
});

test.describe('same-format hide of generated streams, in Chromium', () => {
  test.describe.configure({ timeout: 300_000 });
  const streams: [string, string, string[]][] = [
    ['baseline-cavlc.mp4', 'yuv420p', ['-profile:v', 'baseline']],
    ['high-b-weighted-mmco.mp4', 'yuv420p', ['-bf', '3', '-b_strategy', '2', '-refs', '4', '-weightp', '2']],
    ['gop30-aac.mp4', 'yuv420p', ['-bf', '0', '-g', '30']],
    ['four-slices.mp4', 'yuv420p', ['-slices', '4']],
    ['422.mp4', 'yuv422p', []],
    ['444.mp4', 'yuv444p', []],
    ['10bit.mp4', 'yuv420p10le', []],
  ];
  for (const [name, pixFmt, x264] of streams) {
    test(name, async ({ page }) => {
      const c = await nodeCore();
      run(c, [
        '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=2',
        '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2',
        '-c:v', 'libx264', '-pix_fmt', pixFmt, ...x264, '-c:a', 'aac', '-b:a', '64k', `/${name}`,
      ]);
      const path = join(work, name);
      writeFileSync(path, c.FS.readFile(`/${name}`));
      c.FS.unlink(`/${name}`);
      await sameFormatCheck(page, path, name);
    });
  }
});

test.describe('videos the same format does not take, in Chromium', () => {
  test.describe.configure({ timeout: 300_000 });
  for (const [name, make] of [
    ['interlaced.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=1', '-c:v', 'libx264', '-flags', '+ildct+ilme', '-x264-params', 'tff=1', '-pix_fmt', 'yuv420p']],
    ['h264-in-matroska.mkv', ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p']],
  ] as const) {
    test(`${name}: the reason in plain words, and the hide makes the lossless copy`, async ({ page }) => {
      const c = await nodeCore();
      run(c, [...make, `/${name}`]);
      const path = join(work, name);
      writeFileSync(path, c.FS.readFile(`/${name}`));
      c.FS.unlink(`/${name}`);
      await openEngine(page);
      await clearJobs(page);
      await pickFiles(page, [path]);
      const r = await page.evaluate(async () => {
        const e = await import(/* @vite-ignore */ '/src/media/page/engine.ts' as string);
        const { DEFAULT_HIDE_SETTINGS } = await import(/* @vite-ignore */ '/src/core/settings.ts' as string);
        const file = (window as unknown as { __files: File[] }).__files[0];
        const info = await e.probeVideo(file);
        const result = await e.hideInVideo({ file, info, payload: { message: 'lossless after all', files: [] }, password: 'pw', settings: DEFAULT_HIDE_SETTINGS });
        const back = await e.revealFromVideo(result.file, 'pw');
        return { reason: (info.sameFormat as { reason?: string }).reason, output: result.output as string, message: back.message as string };
      });
      expect(r.reason).toMatch(name.startsWith('interlaced') ? /interlaced/ : /Matroska or WebM/);
      expect(r.output).toBe('lossless');
      expect(r.message).toBe('lossless after all');
    });
  }
});
