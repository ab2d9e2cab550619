/**
 * The same-format path's speed, size and memory, measured side by side in
 * one run, on the media bench's generated 1440p30 H.264 + AAC clips (30 s
 * and 120 s) with 1 MB of random bytes hidden, in headless Chromium:
 *
 * - the hide against native FFmpeg's lossless transcode of the 30 s clip
 *   (`-c:v ffv1 -level 3 -threads 2 -c:a copy`), and the 120 s hide against
 *   the 30 s one: a hide decodes only what its carriers need, so it should
 *   hardly grow with the video's length;
 * - the reveal's time, whatever the length;
 * - the output's size against the input plus one raw picture per carrier;
 * - the whole browser's peak memory during each hide (proportional set size
 *   of every Chromium process, sampled every 200 ms).
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { ensureNativeFfmpeg } from '../test-support/native-ffmpeg.ts';
import { PSS_DETAIL, browserPss, clip, hideInBrowser, nativeFfv1Seconds, round, startEngineServer, type BrowserRun } from './media.bench.ts';

type Figures = Record<string, { value: number; unit: string; target?: string }>;

/** Bytes one raw I_PCM macroblock takes (4:2:0, 8-bit: 384 samples and about 2 bytes of framing), times the picture's macroblocks. */
function rawCarrierBytes(path: string): number {
  const [w, h] = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', path], { encoding: 'utf8' }).trim().split(',').map(Number);
  return Math.ceil(w / 16) * Math.ceil(h / 16) * 386;
}

/**
 * `mode`: the embedding, as a person may choose it. The default (adaptive,
 * within the stealth budget) spreads 1 MB over many more carriers than LSB
 * matching's 1/8 of a frame's samples, so it writes more raw pictures.
 */
export async function benchSameFormat(mode: 'adaptive' | 'matching' = 'adaptive'): Promise<Figures> {
  ensureNativeFfmpeg();
  const clips: [string, string][] = [['30s', clip(30)], ['120s', clip(120)]];
  const server = await startEngineServer();
  try {
    console.log('Native FFmpeg, FFV1 level 3, two threads, audio copied (30 s clip)…');
    const native = nativeFfv1Seconds(clips[0][1]);
    console.log(`  ${native.toFixed(1)} s`);
    const runs: Record<string, BrowserRun & { inputBytes: number; carrierBytes: number; idleBytes: number; probeBytes: number; revealBytes: number }> = {};
    for (const [name, path] of clips) {
      console.log(`VidStega in Chromium, same format, ${mode === 'adaptive' ? 'adaptive embedding (the default)' : 'LSB matching'}, hiding 1 MB (${name} clip)…`);
      // Peak memory per phase: the page open and idle, the probe when the video is picked, the hide, the reveal.
      const peak = { idle: 0, probe: 0, hide: 0, reveal: 0, done: 0 };
      let phase: keyof typeof peak = 'idle';
      const sampler = setInterval(() => (peak[phase] = Math.max(peak[phase], browserPss())), 200);
      const run = await hideInBrowser(path, { output: 'same-format', mode, onPhase: (p) => (phase = p) }).finally(() => clearInterval(sampler));
      if (!run.revealedOk) throw new Error('the revealed megabyte differs');
      runs[name] = { ...run, peakBrowserBytes: peak.hide, inputBytes: statSync(path).size, carrierBytes: rawCarrierBytes(path), idleBytes: peak.idle, probeBytes: peak.probe, revealBytes: peak.reveal };
      if (process.env.BENCH_PSS_DETAIL) console.log([...PSS_DETAIL].map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', '));
      PSS_DETAIL.clear();
      const stages = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ');
      const mib = (b: number) => (b / 2 ** 20).toFixed(0);
      console.log(`  hide ${run.hideSeconds.toFixed(2)} s (${stages(run.stages)}), ${run.carriers} carriers, reveal ${run.revealSeconds.toFixed(2)} s (${stages(run.revealStages)}), output ${(run.outputBytes / 1e6).toFixed(1)} MB of input ${(runs[name].inputBytes / 1e6).toFixed(1)} MB; peak memory idle ${mib(peak.idle)} MiB, probe ${mib(peak.probe)} MiB, hide ${mib(peak.hide)} MiB, reveal ${mib(peak.reveal)} MiB`);
    }
    const figures: Figures = { same_native_ffv1_30s_seconds: { value: round(native), unit: 's' } };
    for (const [name, r] of Object.entries(runs)) {
      const bound = r.inputBytes + r.carriers * r.carrierBytes;
      Object.assign(figures, {
        [`same_hide_${name}_seconds`]: { value: round(r.hideSeconds, 2), unit: 's' },
        ...Object.fromEntries(Object.entries(r.stages).map(([k, v]) => [`same_hide_${name}_${k}_seconds`, { value: round(v, 2), unit: 's' }])),
        [`same_hide_${name}_vs_native_30s`]: { value: round(r.hideSeconds / native, 3), unit: 'x', target: '<= 0.1' },
        [`same_reveal_${name}_seconds`]: { value: round(r.revealSeconds, 2), unit: 's', target: '< 1.5' },
        [`same_carriers_${name}`]: { value: r.carriers, unit: 'pictures' },
        [`same_output_vs_input_${name}`]: { value: round(r.outputBytes / r.inputBytes, 2), unit: 'x' },
        [`same_output_vs_input_plus_raw_carriers_${name}`]: { value: round(r.outputBytes / bound, 4), unit: 'x', target: '<= 1.01' },
        [`same_peak_browser_${name}_MiB`]: { value: round(r.peakBrowserBytes / 2 ** 20), unit: 'MiB', target: '<= 600' },
        [`same_browser_idle_${name}_MiB`]: { value: round(r.idleBytes / 2 ** 20), unit: 'MiB (page open, before the hide)' },
        [`same_browser_probe_${name}_MiB`]: { value: round(r.probeBytes / 2 ** 20), unit: 'MiB (the video probed when picked)' },
        [`same_peak_browser_reveal_${name}_MiB`]: { value: round(r.revealBytes / 2 ** 20), unit: 'MiB' },
        ...Object.fromEntries(Object.entries(r.revealStages).map(([k, v]) => [`same_reveal_${name}_${k}_seconds`, { value: round(v, 2), unit: 's' }])),
        [`same_browser_decoded_carriers_${name}`]: { value: r.browserDecodedFrames, unit: `of ${r.carriers}` },
      });
    }
    figures.same_hide_120s_vs_30s = { value: round(runs['120s'].hideSeconds / runs['30s'].hideSeconds, 2), unit: 'x', target: '<= 1.3' };
    return figures;
  } finally {
    if (server.pid) process.kill(-server.pid);
  }
}
