/**
 * The history of finished jobs, kept in this browser's IndexedDB. It holds
 * names, sizes, times, settings and outcomes only: never a password, a
 * message, or the names or contents of hidden files.
 */
import { get, del, update } from 'idb-keyval';
import { describeSettings } from './settings-choice.ts';
import type { Job, JobKind } from './jobs.svelte.ts';
import type { OutputKind } from './output-choice.ts';

export interface HistoryEntry {
  readonly id: string;
  readonly kind: JobKind;
  readonly outcome: 'done' | 'failed' | 'cancelled';
  /** Why it failed, in plain words (engine messages never contain the password or message). */
  readonly reason?: string;
  readonly finishedAt: number;
  /** Seconds from start to finish; 0 when it never started. */
  readonly seconds: number;
  readonly video: { readonly name: string; readonly size: number };
  /** The written video, for hide jobs that finished: in the same format as the original, or a lossless copy (entries from before there was a choice have no kind: they were lossless copies). */
  readonly output?: { readonly name: string; readonly size: number; readonly container: string; readonly kind?: OutputKind };
  /** For hide jobs: how many files and bytes were hidden (no names). */
  readonly hidden?: { readonly files: number; readonly bytes: number };
  /** For hide jobs: the settings, in one line. */
  readonly settings?: string;
  /** For reveal jobs that found something: how many files came back. */
  readonly revealedFiles?: number;
}

/** Where the history lives; IndexedDB in the app. */
export interface HistoryBackend {
  read(): Promise<unknown>;
  /** Applies `change` to the stored list atomically. */
  update(change: (old: HistoryEntry[]) => HistoryEntry[]): Promise<void>;
  clear(): Promise<void>;
}

const KEY = 'vidstega-history-v1';
/** The history keeps this many entries, newest first. */
export const HISTORY_LIMIT = 200;

export const idbHistory: HistoryBackend = {
  read: () => get(KEY),
  update: (change) => update<HistoryEntry[]>(KEY, (old) => change(Array.isArray(old) ? old : [])),
  clear: () => del(KEY),
};

/** The history entry for a finished job. Reads only names, sizes, times and settings. */
export function historyEntry(job: Job): HistoryEntry {
  const outcome = job.status === 'done' ? 'done' : job.status === 'failed' ? 'failed' : 'cancelled';
  const finishedAt = job.finishedAt ?? Date.now();
  const entry: HistoryEntry = {
    id: `${finishedAt}-${job.id}`,
    kind: job.kind,
    outcome,
    finishedAt,
    seconds: job.startedAt === undefined ? 0 : Math.max(0, (finishedAt - job.startedAt) / 1000),
    video: { name: job.video.name, size: job.video.size },
    ...(outcome === 'failed' && job.error ? { reason: job.error } : {}),
  };
  if (job.kind === 'hide' && job.hide) {
    const r = job.hideResult;
    return {
      ...entry,
      hidden: { files: job.hide.fileCount, bytes: job.hide.payloadBytes },
      settings: describeSettings(job.hide.settings),
      ...(r ? { output: { name: r.name, size: r.file.size, container: r.container, kind: r.output } } : {}),
    };
  }
  if (job.kind === 'reveal' && job.revealResult) return { ...entry, revealedFiles: job.revealResult.files.length };
  return entry;
}

function isEntry(x: unknown): x is HistoryEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return typeof e.id === 'string' && (e.kind === 'hide' || e.kind === 'reveal') && typeof e.finishedAt === 'number' && typeof e.video === 'object';
}

export class HistoryStore {
  /** Newest first. */
  entries = $state.raw<HistoryEntry[]>([]);
  loaded = $state(false);
  readonly #backend: HistoryBackend;

  constructor(backend: HistoryBackend = idbHistory) {
    this.#backend = backend;
  }

  async load(): Promise<void> {
    try {
      const stored = await this.#backend.read();
      this.entries = Array.isArray(stored) ? stored.filter(isEntry) : [];
    } catch {
      // Storage can be unavailable (private mode, disabled): the history is simply empty.
      this.entries = [];
    }
    this.loaded = true;
  }

  async add(entry: HistoryEntry): Promise<void> {
    this.entries = [entry, ...this.entries].slice(0, HISTORY_LIMIT);
    try {
      await this.#backend.update((old) => [entry, ...old.filter((e) => e.id !== entry.id)].slice(0, HISTORY_LIMIT));
    } catch {
      // Shown for this visit even when it cannot be stored.
    }
  }

  async clear(): Promise<void> {
    this.entries = [];
    await this.#backend.clear();
  }
}

/** An in-memory backend, for tests and for browsers without IndexedDB. */
export function memoryHistory(): HistoryBackend & { stored: HistoryEntry[] } {
  const b = {
    stored: [] as HistoryEntry[],
    read: async () => b.stored,
    update: async (change: (old: HistoryEntry[]) => HistoryEntry[]) => {
      b.stored = change(b.stored);
    },
    clear: async () => {
      b.stored = [];
    },
  };
  return b;
}
