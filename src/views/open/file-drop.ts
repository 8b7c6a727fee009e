// Helpers for dropping files on the window: is a drag carrying files, and which files were dropped.

/** True when the drag carries files (not text or a link dragged within the page). */
export function isFileDrag(event: DragEvent): boolean {
  const types = event.dataTransfer?.types;
  return types ? Array.from(types).includes('Files') : false;
}

/** The dropped files, in the order given. */
export function listDroppedFiles(transfer: DataTransfer | null): File[] {
  return transfer ? Array.from(transfer.files) : [];
}

/** The parts of a FileSystemEntry (DataTransferItem.webkitGetAsEntry) that reading a dropped folder needs. */
export interface DroppedEntry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  fullPath: string;
  file?(ok: (file: File) => void, fail: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: DroppedEntry[]) => void, fail: (e: unknown) => void): void };
}

/**
 * The dropped entries, taken synchronously (a DataTransfer's items are readable only during the drop event);
 * null when the browser offers no entries or none is a folder, so `listDroppedFiles` is enough.
 */
export function takeDroppedEntries(transfer: DataTransfer | null): DroppedEntry[] | null {
  if (!transfer?.items) return null;
  const entries: DroppedEntry[] = [];
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== 'file' || typeof item.webkitGetAsEntry !== 'function') continue;
    const entry = item.webkitGetAsEntry() as DroppedEntry | null;
    if (entry) entries.push(entry);
  }
  return entries.some((e) => e.isDirectory) ? entries : null;
}

/** Every file under the dropped entries (folders read recursively), each folder's files in name order. */
export async function readDroppedEntries(entries: DroppedEntry[]): Promise<File[]> {
  const files: File[] = [];
  for (const entry of entries) {
    if (entry.isFile && entry.file) {
      files.push(await new Promise<File>((ok, fail) => entry.file!(ok, fail)));
    } else if (entry.isDirectory && entry.createReader) {
      const reader = entry.createReader();
      const children: DroppedEntry[] = [];
      // readEntries answers in batches (100 in Chromium) until an empty one.
      for (;;) {
        const batch = await new Promise<DroppedEntry[]>((ok, fail) => reader.readEntries(ok, fail));
        if (batch.length === 0) break;
        children.push(...batch);
      }
      children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      files.push(...(await readDroppedEntries(children)));
    }
  }
  return files;
}
