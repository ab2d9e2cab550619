/**
 * Saving files to the person's device. Where the browser offers a save
 * dialog (File System Access), the file streams straight to the chosen place,
 * so a multi-gigabyte video never sits in memory; elsewhere a download link.
 */

interface SaveFilePickerOptions {
  suggestedName?: string;
  types?: { description?: string; accept: Record<string, string[]> }[];
}
interface PickerWindow {
  showSaveFilePicker?: (options?: SaveFilePickerOptions) => Promise<FileSystemFileHandle>;
  showDirectoryPicker?: (options?: { mode?: 'read' | 'readwrite' }) => Promise<FileSystemDirectoryHandle>;
}

export type SaveOutcome = 'saved' | 'downloaded' | 'cancelled';

function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

/** Hands a file to the browser's download, through a short-lived object URL. */
function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = safeName(name);
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started reading the blob by then; revoking any earlier can cut it short.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function extensionOf(name: string): string | undefined {
  const m = /\.[A-Za-z0-9]{1,8}$/.exec(name);
  return m?.[0].toLowerCase();
}

/**
 * Saves one file. Call it straight from the click handler (before any other
 * await): the save dialog needs the click's user activation.
 */
export async function saveFile(blob: Blob, name: string): Promise<SaveOutcome> {
  const w = window as unknown as PickerWindow;
  if (typeof w.showSaveFilePicker !== 'function') {
    download(blob, name);
    return 'downloaded';
  }
  let handle: FileSystemFileHandle;
  try {
    const ext = extensionOf(name);
    const type = blob.type || 'application/octet-stream';
    handle = await w.showSaveFilePicker({ suggestedName: name, ...(ext ? { types: [{ accept: { [type]: [ext] } }] } : {}) });
  } catch (e) {
    if (isAbort(e)) return 'cancelled';
    // Some browsers expose the picker but refuse it (policy, no user activation): fall back.
    download(blob, name);
    return 'downloaded';
  }
  const writable = await handle.createWritable();
  // pipeTo closes the writable when done and aborts it on error, so no half-written file is kept.
  await blob.stream().pipeTo(writable);
  return 'saved';
}

/**
 * Saves several files: into a folder the person picks where the browser
 * offers that, otherwise as one download each.
 */
export async function saveFiles(files: readonly { blob: Blob; name: string }[]): Promise<SaveOutcome> {
  const w = window as unknown as PickerWindow;
  if (typeof w.showDirectoryPicker === 'function') {
    let dir: FileSystemDirectoryHandle | undefined;
    try {
      dir = await w.showDirectoryPicker({ mode: 'readwrite' });
    } catch (e) {
      if (isAbort(e)) return 'cancelled';
    }
    if (dir) {
      for (const f of files) {
        const handle = await dir.getFileHandle(safeName(f.name), { create: true });
        await f.blob.stream().pipeTo(await handle.createWritable());
      }
      return 'saved';
    }
  }
  for (const f of files) download(f.blob, f.name);
  return 'downloaded';
}

/** A file name without path separators or control characters, never empty. */
export function safeName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+/, '_').trim();
  return cleaned.slice(0, 200) || 'file';
}
