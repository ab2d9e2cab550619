/**
 * The media engine's worker: a thin layer that exposes engine functions over
 * Comlink. Each worker owns one ffmpeg.wasm instance.
 */
import { expose } from 'comlink';
import { probeFile } from '../src/media/probe-file.ts';

const api = { probeFile };

export type EngineApi = typeof api;
expose(api);
