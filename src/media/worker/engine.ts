/**
 * The engine as one worker runs it: every step of {@link EngineApi}, bound to
 * the worker's surroundings (`env`: its FFmpeg core, the job files, blocking
 * reads). The worker entry (workers/engine.worker.ts) exposes the result
 * over Comlink; the Node tests build one with the same wasm core and run the
 * very steps the browser runs.
 */
import type { EngineApi } from '../shared/engine-api.ts';
import { analyzeVideo } from './analysis/analyze-video.ts';
import { compareFrames, displayFrame } from './display-frames.ts';
import type { EngineEnv } from './env.ts';
import { browserDecoding } from './lossless/browser-trial.ts';
import { decodeSegment, decodeSegmentInBrowser } from './lossless/decode-segment.ts';
import { makePlan, videoPackets } from './prepare.ts';
import { probeFile } from './probe-file.ts';
import { RevealSteps } from './reveal/reveal-steps.ts';
import { embedCarriers, planCarriers, scanCarriers } from './same-format/carrier-steps.ts';
import { writeCarrierOutput } from './write/carrier-mp4.ts';
import { encodeSegment } from './write/ffv1-segment.ts';
import { muxOutput } from './write/joiner.ts';

export function createEngine(env: EngineEnv): EngineApi {
  const reveal = new RevealSteps(env);
  return {
    probeFile: (file) => probeFile(env, file),
    videoPackets: (file) => videoPackets(env, file),
    makePlan,
    scanCarriers: async (file) => scanCarriers(env, file),
    planCarriers: (file, payload, password, settings, decoy) => planCarriers(env, file, payload, password, settings, decoy),
    embedCarriers: (job, onProgress) => embedCarriers(env, job, onProgress),
    writeCarrierOutput: (job) => writeCarrierOutput(env, job),
    browserDecoding: (file, info, packets) => browserDecoding(env, file, info, packets),
    decodeSegment: (job) => decodeSegment(env, job),
    decodeSegmentInBrowser,
    encodeSegment: (job) => encodeSegment(env, job),
    muxOutput: (job) => muxOutput(env, job),
    openFrames: (file, progress) => reveal.openFrames(file, progress),
    revealLocate: (password) => reveal.revealLocate(password),
    revealReadFrames: async (queue) => reveal.revealReadFrames(queue),
    readBodySymbols: async (reader, queue) => reveal.readBodySymbols(reader, queue),
    revealFinish: (helped) => reveal.revealFinish(helped),
    analyzeVideo: (file, wanted, onProgress) => analyzeVideo(env, file, wanted, onProgress),
    displayFrame: (file, maxWidth) => displayFrame(env, file, maxWidth),
    compareFrames: (original, stego, frameIndex) => compareFrames(env, original, stego, frameIndex),
  };
}
