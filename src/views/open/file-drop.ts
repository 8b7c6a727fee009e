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
