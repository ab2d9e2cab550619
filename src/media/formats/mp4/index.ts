/**
 * MP4/MOV/M4V reading and sample replacement, in pure TypeScript (no DOM, no
 * worker globals): list a track's samples to read them straight from the
 * file, and rewrite the file with some samples replaced and every other byte
 * kept.
 */
export type { ByteSource } from '../byte-source.ts';
export { Mp4Error, type Mp4ErrorKind } from './errors.ts';
export type { BoxHeader } from './boxes.ts';
export { readMovie, type ChunkTable, type EditListEntry, type Movie, type SampleEntry, type Track, type TrackBoxes } from './movie.ts';
export { sampleTable, sampleOffset, sampleSize, type SampleTable } from './sample-table.ts';
export { planRewrite, writeRewrite, type RewritePiece, type RewritePlan } from './rewrite.ts';
