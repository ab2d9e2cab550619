/**
 * Videos hidden with format v1 before format v2 existed keep revealing: raw
 * frames written by the v1 hide of commit f579cce (test-fixtures/stego-v1),
 * read back with the real Argon2id parameters.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../../test-support/paths.ts';
import { expectSamePayload } from '../../test-support/same-payload.ts';
import { NothingFoundError } from './errors.ts';
import { frameSize, yuvGeometry, type FramePlanes, type VideoGeometry } from './geometry.ts';
import { findLocator, revealFromFrames } from './stego.ts';

/** The frames of a raw planar file, plane after plane, frame after frame (little-endian above 8 bits). */
function rawVideo(name: string, g: VideoGeometry): FramePlanes[] {
  const bytes = readFileSync(join(FIXTURES, 'stego-v1', name));
  const wide = g.bitDepth > 8;
  const per = frameSize(g) * (wide ? 2 : 1);
  expect(bytes.length).toBe(per * g.frameCount);
  const copy = new Uint8Array(bytes); // aligned for Uint16Array
  return Array.from({ length: g.frameCount }, (_, f) => {
    let at = f * per;
    return g.planes.map((p) => {
      const n = p.width * p.height;
      const plane = wide ? new Uint16Array(copy.buffer, at, n) : copy.subarray(at, at + n);
      at += n * (wide ? 2 : 1);
      return plane;
    });
  });
}

describe('format v1 videos made before format v2', () => {
  it('LSB matching, 1 bit per sample, 8-bit 4:2:0', async () => {
    const g = yuvGeometry(96, 64, '420', 3);
    const video = rawVideo('v1-matching-96x64-yuv420p.yuv', g);
    const read = async (i: number) => video[i];
    const plan = await findLocator('v1 password', g, read);
    expect(plan.record.formatVersion).toBe(1);
    expectSamePayload(await revealFromFrames('v1 password', g, read), {
      message: 'Hidden with format v1, LSB matching, 1 bit per sample.',
      files: [{ name: 'note.txt', type: 'text/plain', bytes: new TextEncoder().encode('v1 keeps revealing') }],
    });
    await expect(revealFromFrames('v1 passwort', g, read)).rejects.toBeInstanceOf(NothingFoundError);
  }, 60_000);

  it('LSB replacement, 2 bits per sample, 10-bit, strong error correction, AES-128', async () => {
    const g = yuvGeometry(80, 48, '420', 2, 10);
    const video = rawVideo('v1-replacement-2bit-80x48-yuv420p10le.yuv', g);
    const read = async (i: number) => video[i];
    const plan = await findLocator('another one', g, read);
    expect(plan.record).toMatchObject({ formatVersion: 1, bitsPerSample: 2, parityBytes: 64, keyBits: 128 });
    expectSamePayload(await revealFromFrames('another one', g, read), { message: 'Format v1, replacement, 2 bits per sample, 10-bit.', files: [] });
  }, 60_000);
});
