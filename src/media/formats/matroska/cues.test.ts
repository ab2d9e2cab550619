import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UnsupportedInputError } from '../../../core/errors.ts';
import { checkWholeFile } from '../../worker/read/whole-file.ts';
import { matroskaSegmentEnd } from './cues.ts';
import { bufferSource } from '../../../../test-support/byte-sources.ts';
import { FIXTURES } from '../../../../test-support/paths.ts';

describe('Matroska segment extent', () => {
  const mkv = readFileSync(join(FIXTURES, 'intel_asl_again.mkv'));

  it('is the end of the file for a whole Matroska file, and nothing for other files', () => {
    expect(matroskaSegmentEnd(bufferSource(mkv))).toBe(mkv.length);
    expect(matroskaSegmentEnd(bufferSource(readFileSync(join(FIXTURES, 'mdn_flower.mp4'))))).toBeUndefined();
    expect(matroskaSegmentEnd(bufferSource(new Uint8Array(0)))).toBeUndefined();
  });

  it('tells a copy cut short in plain words, and lets the whole file through', () => {
    expect(() => checkWholeFile(bufferSource(mkv))).not.toThrow();
    const half = mkv.subarray(0, mkv.length >> 1);
    expect(() => checkWholeFile(bufferSource(half))).toThrow(UnsupportedInputError);
    expect(() => checkWholeFile(bufferSource(half))).toThrow(/cut short: the file holds only (49|50)% of/);
  });
});
