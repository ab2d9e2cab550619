/**
 * The media engine's worker: a thin layer that exposes engine functions over
 * Comlink. Each worker owns one ffmpeg.wasm instance; a hide runs several of
 * these workers side by side.
 */
import { expose } from 'comlink';
import { probeFile } from '../src/media/probe-file.ts';
import {
  browserDecoding,
  decodeSegment,
  decodeSegmentInBrowser,
  encodeSegment,
  makePlan,
  muxOutput,
  openFrames,
  readBodySymbols,
  revealFinish,
  revealLocate,
  revealReadFrames,
  videoPackets,
} from '../src/media/worker-steps.ts';
import { displayFrame, compareFrames } from '../src/media/display-frames.ts';

const api = {
  probeFile,
  videoPackets,
  makePlan,
  browserDecoding,
  decodeSegment,
  decodeSegmentInBrowser,
  encodeSegment,
  muxOutput,
  openFrames,
  revealLocate,
  revealReadFrames,
  readBodySymbols,
  revealFinish,
  displayFrame,
  compareFrames,
};

export type EngineApi = typeof api;
expose(api);
