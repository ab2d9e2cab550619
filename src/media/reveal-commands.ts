/**
 * Reading single frames of a stego video. FFV1 is intra-only, so a seek lands
 * exactly on the frame asked for and decodes nothing else: revealing costs
 * the frames that carry data, not the length of the video.
 */
import { floorMicros, microsToSeconds, type TimeBase } from './segments.ts';

/** Raw frame `pts` (in the stream's time base) of the first video stream, in its own pixel format, unrotated. */
export function readFrameArgs(input: string, output: string, pts: number, tb: TimeBase, startMicros: number): string[] {
  return [
    '-nostdin', '-v', 'error',
    '-noautorotate',
    '-ss', microsToSeconds(floorMicros(pts, tb) - startMicros),
    '-i', input,
    '-map', '0:v:0', '-frames:v', '1', '-c:v', 'rawvideo', '-f', 'rawvideo', output,
  ];
}
