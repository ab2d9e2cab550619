/**
 * Whether a file is all there: a copy cut short (an interrupted download or
 * transfer) is told as such, before anything tries to read frames from it.
 * FFmpeg reads what there is without complaint, and a reveal would then see
 * fewer frames and find nothing, which would blame the password.
 */
import { UnsupportedInputError } from '../../../core/errors.ts';
import type { ByteSource } from '../../formats/byte-source.ts';
import { matroskaSegmentEnd } from '../../formats/matroska/cues.ts';

export function checkWholeFile(source: ByteSource): void {
  const end = matroskaSegmentEnd(source);
  if (end !== undefined && end > source.size) {
    const pct = Math.floor((100 * source.size) / end);
    throw new UnsupportedInputError(
      `This video is cut short: the file holds only ${pct}% of what its own header says it has. ` +
        'It was probably not completely downloaded or copied. Get the complete file and try again.',
    );
  }
}
