import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
const PORT = 5181;
function threads(): Map<string, number> {
  const m = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium')) continue;
      const type = /--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser';
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = `${type}:${pid}:${tid}:${comm}`;
        m.set(key, (Number(f[11]) + Number(f[12])) / 100);
      }
    } catch {}
  }
  return m;
}
const server = spawn('npx', ['vite', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore', detached: true });
for (let i = 0; i < 60; i++) { try { if ((await fetch(`http://127.0.0.1:${PORT}/`)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 500)); }
const profile = mkdtempSync(join(tmpdir(), 'vs-prof-'));
const browser = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${PORT}/`);
await page.evaluate('window.__name = (f) => f');
await page.evaluate(() => { const i = document.createElement('input'); i.type = 'file'; i.id = 'f'; i.addEventListener('change', () => ((window as any).__file = i.files![0])); document.body.append(i); });
await page.setInputFiles('#f', process.argv[2]);
await page.waitForFunction(() => (window as any).__file !== undefined);
const before = threads();
const all = new Map<string, number>();
const samp = setInterval(() => { for (const [k, v] of threads()) all.set(k, v); }, 200);
const t0 = performance.now();
const r = await page.evaluate(async (decoder) => {
  const e = await import('/src/media/engine.ts' as string);
  const { DEFAULT_HIDE_SETTINGS } = await import('/src/core/settings.ts' as string);
  const file = (window as any).__file;
  const info = await e.probeVideo(file);
  const bytes = new Uint8Array(1_000_000);
  const stages: Record<string, number> = {}; let stage = ''; let since = performance.now();
  const result = await e.hideInVideo({ file, info, payload: { message: '', files: [{ name: 'x.bin', type: 'application/octet-stream', bytes }] }, password: 'pw', settings: DEFAULT_HIDE_SETTINGS }, { decoder, onProgress: (p: any) => { if (p.stage !== stage) { const n = performance.now(); if (stage) stages[stage] = (n - since) / 1000; stage = p.stage; since = n; } } });
  stages[stage] = (performance.now() - since) / 1000;
  await e.discardResult(result);
  return { frames: result.frames, bd: result.browserDecodedFrames, stages };
}, process.argv[3] ?? 'auto');
clearInterval(samp);
for (const [k, v] of threads()) all.set(k, v);
const wall = (performance.now() - t0) / 1000;
console.log(JSON.stringify(r), 'wall', wall.toFixed(1));
const groups = new Map<string, number>();
let total = 0;
for (const [k, v] of all) { const d = v - (before.get(k) ?? 0); if (d < 0.05) continue; total += d; const [type, , , comm] = k.split(':'); const g = comm === "DedicatedWorker" ? k : `${type}:${comm}`; groups.set(g, (groups.get(g) ?? 0) + d); }
for (const [g, v] of [...groups].sort((a, b) => b[1] - a[1])) console.log(v.toFixed(2).padStart(7), g);
console.log('total', total.toFixed(1));
await browser.close(); rmSync(profile, { recursive: true, force: true });
process.kill(-server.pid!);
