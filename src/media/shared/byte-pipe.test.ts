import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { BytePipe, READER_CLOSED, createBytePipe, type BytePipeBuffers } from './byte-pipe.ts';

/** Byte i of a fixed sequence both ends agree on. */
function patternByte(i: number): number {
  return (Math.imul(i ^ (i >>> 13), 0x9e3779b1) >>> 24) & 0xff;
}

/** This pipe's module as plain JavaScript, so a worker thread (which runs no TypeScript) can load it. */
const pipeModuleUrl = (() => {
  const source = readFileSync(new URL('./byte-pipe.ts', import.meta.url), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const path = join(mkdtempSync(join(tmpdir(), 'vidstega-pipe-')), 'byte-pipe.mjs');
  writeFileSync(path, js);
  return pathToFileURL(path).href;
})();

/**
 * The writing end, in a worker thread: writes `total` bytes of the pattern in
 * pieces of varying size, then closes (or fails, when asked), and reports.
 */
const WRITER = `
const { parentPort, workerData } = require('node:worker_threads');
const patternByte = ${patternByte.toString()};
import(workerData.pipeModuleUrl).then(({ BytePipe, WRITER_CLOSED, WRITER_FAILED }) => {
  const { buffers, total, maxPiece, fail } = workerData;
  const pipe = new BytePipe(buffers);
  let sent = 0, accepted = true, piece = 1;
  while (sent < total && accepted) {
    piece = (piece * 1103515245 + 12345) % 2147483648;
    const n = Math.min(total - sent, 1 + (piece % maxPiece));
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[i] = patternByte(sent + i);
    accepted = pipe.write(bytes);
    if (accepted) sent += n;
  }
  pipe.close(fail ? WRITER_FAILED : WRITER_CLOSED);
  parentPort.postMessage({ sent, accepted, blocks: pipe.blocks });
});
`;

interface WriterReport {
  sent: number;
  accepted: boolean;
  blocks: number;
}

/** Starts a writer thread; resolves with its report when it ends. */
function startWriter(buffers: BytePipeBuffers, total: number, maxPiece: number, fail = false): Promise<WriterReport> {
  const worker = new Worker(WRITER, { eval: true, workerData: { pipeModuleUrl, buffers, total, maxPiece, fail } });
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Reads the pipe to its end in pieces of varying size, checking every byte
 * against the pattern; `pauseMs` after each piece makes a reader slower than
 * the writer, as an FFV1 encoder is slower than a decoder.
 */
function readAll(pipe: BytePipe, maxPiece: number, pauseMs = 0): { bytes: number; mismatches: number } {
  let got = 0;
  let mismatches = 0;
  let piece = 7;
  const buf = new Uint8Array(maxPiece);
  for (;;) {
    piece = (piece * 69069 + 1) % 4294967296;
    const n = pipe.read(buf.subarray(0, 1 + (piece % maxPiece)));
    if (n === 0) return { bytes: got, mismatches };
    for (let i = 0; i < n; i++) if (buf[i] !== patternByte(got + i)) mismatches++;
    got += n;
    if (pauseMs > 0) Atomics.wait(pause, 0, 0, pauseMs);
  }
}

describe('BytePipe between two threads', () => {
  it('delivers every byte in order, whatever the piece sizes on each side', async () => {
    const buffers = createBytePipe(64 * 1024);
    const writer = startWriter(buffers, 6_000_000, 100_000);
    const { bytes, mismatches } = readAll(new BytePipe(buffers), 50_000);
    const report = await writer;
    expect(report).toMatchObject({ sent: 6_000_000, accepted: true });
    expect(bytes).toBe(6_000_000);
    expect(mismatches).toBe(0);
  });

  it('wakes a blocked side once a quarter of the ring is ready, not for every FFmpeg-sized piece', async () => {
    const capacity = 1024 * 1024;
    const total = 16 * 1024 * 1024;
    const buffers = createBytePipe(capacity);
    const writer = startWriter(buffers, total, 32 * 1024);
    const reader = new BytePipe(buffers);
    const { bytes, mismatches } = readAll(reader, 32 * 1024, 0.2);
    const report = await writer;
    expect(bytes).toBe(total);
    expect(mismatches).toBe(0);
    // Woken per 32 KiB piece, each side would block hundreds of times; woken per quarter ring, at most twice per quarter.
    const quarters = total / (capacity / 4);
    expect(report.blocks + reader.blocks).toBeLessThanOrEqual(2 * quarters + 4);
  });

  it('tells the writer when the reader has gone, so the decoder stops', async () => {
    const buffers = createBytePipe(64 * 1024);
    const writer = startWriter(buffers, 10_000_000, 40_000);
    const reader = new BytePipe(buffers);
    const buf = new Uint8Array(10_000);
    let got = 0;
    while (got < 200_000) got += reader.read(buf);
    reader.close(READER_CLOSED);
    const report = await writer;
    expect(report.accepted).toBe(false);
    expect(report.sent).toBeLessThan(10_000_000);
  });

  it('makes the reader throw when the writer failed, instead of ending as if complete', async () => {
    const buffers = createBytePipe(64 * 1024);
    const writer = startWriter(buffers, 300_000, 30_000, true);
    expect(() => readAll(new BytePipe(buffers), 30_000)).toThrow(/decoder stopped/);
    expect((await writer).sent).toBe(300_000);
  });
});
