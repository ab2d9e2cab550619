/**
 * Videos shared to VidStega wait here, briefly, between the service worker
 * that receives the share (a POST the page never sees) and the page it
 * redirects to, which takes them out at once. IndexedDB keeps a `File` as
 * it is (name, type, contents on disk). Used by both the service worker and
 * the page, so it needs nothing of either.
 */
import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';

/** The query parameter of the page the share redirects to: `?shared=<id>`. */
export const SHARED_PARAM = 'shared';

/** Shares nobody took (a tab closed mid-way) are dropped after this long. */
const KEEP_MS = 60 * 60 * 1000;

interface Share {
  readonly at: number;
  readonly files: readonly File[];
}

let store: UseStore | undefined;
const inbox = () => (store ??= createStore('vidstega-share', 'inbox'));

/** Keeps the shared files; returns the id the page asks for them by. */
export async function putShared(files: readonly File[]): Promise<string> {
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  await set(id, { at: Date.now(), files: [...files] } satisfies Share, inbox());
  return id;
}

/** Takes the files of a share out of the inbox (and drops any stale ones); empty when there are none. */
export async function takeShared(id: string): Promise<File[]> {
  const share = await get<Share>(id, inbox());
  await del(id, inbox());
  const now = Date.now();
  for (const [key, value] of await entries<string, Share>(inbox())) if (!(now - value.at < KEEP_MS)) await del(key, inbox());
  return share ? [...share.files] : [];
}
