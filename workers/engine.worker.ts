/**
 * An engine worker: the engine's steps (src/media/worker/engine.ts) in this
 * worker's surroundings, exposed over Comlink. Each worker owns one
 * ffmpeg.wasm instance; a job runs several of these side by side.
 */
import { expose } from 'comlink';
import { browserEnv } from '../src/media/worker/browser-env.ts';
import { createEngine } from '../src/media/worker/engine.ts';
import { carryErrorsAcrossWorkers } from '../src/media/shared/error-transfer.ts';

carryErrorsAcrossWorkers();
expose(createEngine(browserEnv));
