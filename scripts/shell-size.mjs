#!/usr/bin/env node
/**
 * `npm run size`: the gzipped size of what the page needs for its first paint
 * (the JS and CSS that dist/index.html loads up front: entry script,
 * modulepreloads and stylesheets). The media engine, its worker and the
 * ffmpeg wasm load later and are not counted. Run `npm run build` first.
 * Writes bench-results/shell-size.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const indexPath = join(dist, 'index.html');
if (!existsSync(indexPath)) {
  console.error('dist/index.html is missing: run `npm run build` first.');
  process.exit(1);
}
const html = readFileSync(indexPath, 'utf8');

/** Same-origin URLs of the scripts and stylesheets index.html loads up front. */
const urls = new Set();
for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) urls.add(m[1]);
for (const m of html.matchAll(/<link\b[^>]*>/g)) {
  const tag = m[0];
  const rel = /\brel="([^"]+)"/.exec(tag)?.[1] ?? '';
  const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
  if (href && /\b(stylesheet|modulepreload)\b/.test(rel)) urls.add(href);
}

const files = [...urls].map((url) => {
  const bytes = readFileSync(join(dist, url.replace(/^\//, '')));
  return { file: url, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
});
const total = files.reduce((a, f) => ({ bytes: a.bytes + f.bytes, gzipBytes: a.gzipBytes + f.gzipBytes }), { bytes: 0, gzipBytes: 0 });
const html_gzip = gzipSync(Buffer.from(html), { level: 9 }).length;

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
for (const f of files) console.log(`${f.file.padEnd(40)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzipBytes).padStart(9)}`);
console.log(`${'first-paint JS + CSS'.padEnd(40)} ${kb(total.bytes).padStart(10)}  gzip ${kb(total.gzipBytes).padStart(9)}`);
console.log(`${'(index.html itself)'.padEnd(40)} ${''.padStart(10)}  gzip ${kb(html_gzip).padStart(9)}`);

const out = join(root, 'bench-results', 'shell-size.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ measuredAt: new Date().toISOString(), files, totalBytes: total.bytes, totalGzipBytes: total.gzipBytes, indexHtmlGzipBytes: html_gzip }, null, 2)}\n`,
);
console.log(`wrote ${out.slice(root.length + 1)}`);
