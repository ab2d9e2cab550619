/**
 * The engine in Chromium, on every video of the shared corpus and on
 * generated ones: hide, reveal byte-exact, same frames at the same times,
 * sound copied packet for packet, orientation kept.
 */
import { test, expect, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frameHashes, loadFFmpegCore, run, type Core } from '../test-support/ffmpeg-node.ts';
import { probePackets } from '../src/media/worker/ffmpeg/ffprobe.ts';
import { clearJobs, hideAndReveal, openEngine, pickFiles, saveLastOutput, type HideRevealOutcome } from './engine-harness.ts';

const CORPUS = join(import.meta.dirname, '../../shared/videos');
const work = mkdtempSync(join(tmpdir(), 'vidstega-e2e-'));
let core: Core | undefined;

async function nodeCore(): Promise<Core> {
  core ??= await loadFFmpegCore();
  return core;
}

/** Audio packets of the source and the saved output, compared in Node with the same core. */
async function expectSameAudio(source: string, output: string): Promise<number> {
  const c = await nodeCore();
  c.FS.writeFile('/src', readFileSync(source));
  c.FS.writeFile('/out', readFileSync(output));
  c.ffprobe('-v', 'error', '-show_entries', 'stream=index,codec_type', '-of', 'csv=p=0', '-o', '/s.csv', '/src');
  c.reset();
  const audio = c.FS.readFile('/s.csv', { encoding: 'utf8' }).split('\n').filter((l) => /^\d+,audio$/.test(l.trim())).map((l) => Number(l.split(',')[0]));
  audio.forEach((index, k) => {
    const a = frameHashes(c, '/src', `0:${index}`, true).map((p) => p.hash);
    const b = frameHashes(c, '/out', `0:a:${k}`, true).map((p) => p.hash);
    expect(b.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });
  for (const f of ['/src', '/out', '/s.csv']) c.FS.unlink(f);
  return audio.length;
}

/**
 * Decoded in Node by the same core, every frame of the saved output equals
 * the source's frame but for the frames that carry data: whichever decoder
 * the hide used (the browser's or FFmpeg's), the video is the source's.
 */
async function expectSameFramesBesideCarriers(source: string, output: string, carriers: readonly number[]): Promise<void> {
  const c = await nodeCore();
  c.FS.writeFile('/src', readFileSync(source));
  c.FS.writeFile('/out', readFileSync(output));
  const a = frameHashes(c, '/src', '0:v:0', false).map((f) => f.hash);
  const b = frameHashes(c, '/out', '0:v:0', false).map((f) => f.hash);
  for (const f of ['/src', '/out']) c.FS.unlink(f);
  expect(b.length).toBe(a.length);
  const changed = b.flatMap((h, i) => (h === a[i] ? [] : [i]));
  expect(changed.length).toBeGreaterThan(0);
  for (const i of changed) expect(carriers).toContain(i);
}

/** Matroska counts milliseconds: each time is rounded once, so two relative times differ by at most 1 ms. */
const MS = 0.001 + 1e-9;

function expectSameTimes(r: HideRevealOutcome): void {
  // Packets can outnumber frames (VP8 hidden frames); every output frame sits at a source time.
  if (r.inputTimes.length === r.outputTimes.length) {
    r.outputTimes.forEach((t, i) => expect(Math.abs(t - r.inputTimes[i])).toBeLessThanOrEqual(MS));
  } else {
    for (const t of r.outputTimes) expect(r.inputTimes.some((s) => Math.abs(s - t) <= MS)).toBe(true);
  }
}

async function hideRevealCheck(page: Page, path: string, name: string): Promise<HideRevealOutcome> {
  await openEngine(page);
  await clearJobs(page);
  await pickFiles(page, [path]);
  const message = `Meet at the usual place. (${name}) — ünïcödé ✓`;
  const r = await hideAndReveal(page, message, 3000);
  expect(r.revealedMessage).toBe(message);
  expect(r.revealedFileMatches).toBe(true);
  expect(r.frames).toBe(r.outputTimes.length);
  expectSameTimes(r);
  expect(((r.outputRotation % 360) + 360) % 360).toBe(((r.inputRotation % 360) + 360) % 360);
  expect(r.jobsLeft.length).toBe(1); // the finished video, until it is saved or discarded
  const saved = join(work, r.outputName);
  await saveLastOutput(page, saved);
  await expectSameAudio(path, saved);
  await expectSameFramesBesideCarriers(path, saved, r.carrierFrames);
  return r;
}

test.describe('hide and reveal across the corpus, in Chromium', () => {
  test.describe.configure({ timeout: 300_000 });
  const videos = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => /\.(mp4|mov|mkv|webm)$/i.test(f)).sort() : [];

  test('the shared corpus is present', () => {
    expect(existsSync(CORPUS), `the shared video corpus is expected at ${CORPUS}`).toBe(true);
    expect(videos.length).toBeGreaterThanOrEqual(26);
  });

  for (const name of videos) {
    test(name, async ({ page }) => {
      const r = await hideRevealCheck(page, join(CORPUS, name), name);
      if (name === 'fluentffmpeg_IMG_0034.MOV') expect(r.container).toBe('mov');
      // H.264 MP4s (8-bit 4:2:0, closed groups of pictures) go through the browser's decoder; WebM and Matroska through FFmpeg's.
      if (/\.mp4$/i.test(name)) expect(r.browserDecodedFrames).toBe(r.frames);
      if (/\.(webm|mkv)$/i.test(name)) expect(r.browserDecodedFrames).toBe(0);
      if (name === 'gopro_karma.mp4') expect(r.leftOut.length).toBeGreaterThan(0); // GPMF data tracks, listed
    });
  }
});

test.describe('generated videos, in Chromium', () => {
  test.describe.configure({ timeout: 300_000 });
  const generated: [string, string[]][] = [
    ['10bit-420.mkv', ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=1', '-pix_fmt', 'yuv420p10le', '-c:v', 'ffv1']],
    ['444.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=1', '-pix_fmt', 'yuv444p', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '20']],
    ['4k-no-audio.mp4', ['-f', 'lavfi', '-i', 'testsrc2=size=3840x2160:rate=30:duration=0.3', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23']],
  ];
  for (const [name, args] of generated) {
    test(name, async ({ page }) => {
      const c = await nodeCore();
      run(c, [...args, `/${name}`]);
      const path = join(work, name);
      writeFileSync(path, c.FS.readFile(`/${name}`));
      c.FS.unlink(`/${name}`);
      const r = await hideRevealCheck(page, path, name);
      expect(r.frames).toBeGreaterThan(0);
    });
  }

  // A camera file with one damaged frame late in it: the browser's decoder
  // refuses it mid-way (its trial only reads the first frames), so that part
  // of the video is decoded again by FFmpeg, which conceals the damage.
  // Every frame is kept, and each equals FFmpeg's own decode of the source.
  test('damaged-frame.mp4: the part the browser cannot decode is redone with FFmpeg', async ({ page }) => {
    const c = await nodeCore();
    run(c, [
      '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30:duration=4',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=4',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '30', '-bf', '0', '-c:a', 'aac', '/damaged.mp4',
    ]);
    // No B-frames: decode order is frame order, so packet 100 is frame 100.
    const packets = probePackets(c, '/damaged.mp4').table;
    const bytes = c.FS.readFile('/damaged.mp4');
    c.FS.unlink('/damaged.mp4');
    expect(packets?.pos.length).toBe(120);
    // Frame 100 (groups of 30, so the second half of the video): 20 bytes of its slice data overwritten.
    const pos = packets!.pos[100];
    const size = packets!.size[100];
    expect(size).toBeGreaterThan(60);
    bytes.fill(0xff, pos + 40, pos + 60);
    const path = join(work, 'damaged-frame.mp4');
    writeFileSync(path, bytes);

    const r = await hideRevealCheck(page, path, 'damaged-frame.mp4');
    expect(r.frames).toBe(120);
    expect(r.browserDecodedFrames).toBeLessThan(r.frames);
    // With two or more segments, the parts before the damage stay with the browser's decoder.
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    if (cores >= 2) expect(r.browserDecodedFrames).toBeGreaterThan(0);
  });
});
