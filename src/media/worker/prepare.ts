/** A lossless hide's first steps in a worker: list the video's packets, and plan the payload over its frames. */
import type { Payload } from '../../core/container.ts';
import type { VideoGeometry } from '../../core/geometry.ts';
import type { HideSettings } from '../../core/settings.ts';
import { planHide, type DecoyRequest, type HidePlan } from '../../core/stego.ts';
import type { VideoPackets } from '../plan/packet-table.ts';
import type { EngineEnv } from './env.ts';
import { probePackets } from './ffmpeg/ffprobe.ts';
import { mountInput } from './ffmpeg/mounts.ts';

/** The video stream's packet timestamps and keyframes, and where each packet lies in the file. */
export async function videoPackets(env: EngineEnv, file: File): Promise<VideoPackets> {
  const core = await env.core();
  return probePackets(core, mountInput(core, file));
}

/** Compresses, encrypts and lays out the payload, and the decoy beside it when there is one (Argon2id runs here, off the page's thread). */
export function makePlan(payload: Payload, password: string, geometry: VideoGeometry, settings: HideSettings, decoy?: DecoyRequest): Promise<HidePlan> {
  return planHide(payload, password, geometry, settings, decoy ? { decoy } : {});
}
