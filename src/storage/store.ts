// The snapshot store: the library's operations over IndexedDB, each one transaction, with readable errors.

import { openLibraryDb, type LibraryDb, type LibraryDbEvents } from './db';
import { upgradeSnapshotMeta, type SnapshotMeta, type SnapshotPatch } from './snapshot';

/** Why a storage operation failed: a full disk, no IndexedDB, a connection closed by another tab, other. */
export type StorageErrorCode = 'quota' | 'unavailable' | 'closed' | 'failed';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  constructor(code: StorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
    this.code = code;
  }
}

/** A snapshot taken out of the store, bytes included, so it can be put back (undo). */
export interface RemovedSnapshot {
  meta: SnapshotMeta;
  bytes: Blob | null;
}

/**
 * What the library needs from storage. The IndexedDB store implements it; component and state tests use an
 * in-memory fake. Every method rejects with StorageError.
 */
export interface SnapshotStore {
  /** Every snapshot's metadata (no bytes), in no particular order. */
  list(): Promise<SnapshotMeta[]>;
  /**
   * Keeps bytes and metadata in one transaction: both are written or neither. When a snapshot with the same
   * id (same bytes) exists it is left as it is and returned with `created: false`.
   */
  add(meta: SnapshotMeta, bytes: Blob): Promise<{ meta: SnapshotMeta; created: boolean }>;
  /** Changes metadata; null when the snapshot is gone. */
  update(id: string, patch: SnapshotPatch): Promise<SnapshotMeta | null>;
  /** The original file bytes (read them with `arrayBuffer()`), or null when the snapshot is gone. */
  readBytes(id: string): Promise<Blob | null>;
  /** Deletes snapshots (metadata and bytes) and returns what was deleted, for undo. */
  remove(ids: string[]): Promise<RemovedSnapshot[]>;
  /** Puts removed snapshots back as they were. */
  restore(removed: RemovedSnapshot[]): Promise<void>;
  close(): void;
}

/** A DOMException or idb error as a StorageError with a message a person can act on. */
export function toStorageError(e: unknown, doing: string): StorageError {
  if (e instanceof StorageError) return e;
  const name = e instanceof Error || (typeof DOMException !== 'undefined' && e instanceof DOMException) ? (e as Error).name : '';
  const detail = e instanceof Error ? e.message : String(e);
  if (name === 'QuotaExceededError') {
    return new StorageError('quota', `The browser's storage for this site is full: ${doing} failed and nothing was written. Delete or export older snapshots to make room.`, { cause: e });
  }
  if (name === 'InvalidStateError') {
    return new StorageError('closed', `The snapshot library was closed (another tab upgraded it, or storage was cleared): ${doing} failed. Reload this tab.`, { cause: e });
  }
  return new StorageError('failed', `${doing[0]!.toUpperCase()}${doing.slice(1)} failed: ${detail || name || 'unknown error'}`, { cause: e });
}

/** Opens the IndexedDB library; rejects with StorageError 'unavailable' when IndexedDB cannot be used. */
export async function openSnapshotStore(events: LibraryDbEvents = {}, options?: { name?: string }): Promise<SnapshotStore> {
  if (typeof indexedDB === 'undefined') throw new StorageError('unavailable', 'This browser offers no IndexedDB here.');
  let db: LibraryDb;
  try {
    db = await openLibraryDb(events, options);
  } catch (e) {
    throw new StorageError('unavailable', `IndexedDB could not be opened (${e instanceof Error ? e.message || e.name : String(e)}).`, { cause: e });
  }
  return new IdbSnapshotStore(db);
}

class IdbSnapshotStore implements SnapshotStore {
  #db: LibraryDb;

  constructor(db: LibraryDb) {
    this.#db = db;
  }

  async list(): Promise<SnapshotMeta[]> {
    try {
      return (await this.#db.getAll('meta')).map(upgradeSnapshotMeta);
    } catch (e) {
      throw toStorageError(e, 'reading the library');
    }
  }

  async add(meta: SnapshotMeta, bytes: Blob): Promise<{ meta: SnapshotMeta; created: boolean }> {
    const doing = `keeping ${meta.fileName}`;
    let tx;
    try {
      tx = this.#db.transaction(['meta', 'bytes'], 'readwrite');
    } catch (e) {
      throw toStorageError(e, doing);
    }
    // tx.done rejects when the transaction aborts; that is reported through the awaits below.
    tx.done.catch(() => {});
    try {
      const existing = await tx.objectStore('meta').get(meta.id);
      if (existing) {
        await tx.done;
        return { meta: upgradeSnapshotMeta(existing), created: false };
      }
      // Bytes first: when they do not fit, the metadata is never written either.
      await tx.objectStore('bytes').put({ id: meta.id, bytes });
      await tx.objectStore('meta').put(meta);
      await tx.done;
      return { meta, created: true };
    } catch (e) {
      abortQuietly(tx);
      // A quota error may surface only as the transaction's error.
      throw toStorageError(tx.error ?? e, doing);
    }
  }

  async update(id: string, patch: SnapshotPatch): Promise<SnapshotMeta | null> {
    const tx = this.#begin(['meta'], 'updating a snapshot');
    tx.done.catch(() => {});
    try {
      const stored = await tx.objectStore('meta').get(id);
      if (!stored) {
        await tx.done;
        return null;
      }
      const next: SnapshotMeta = { ...upgradeSnapshotMeta(stored), ...patch };
      await tx.objectStore('meta').put(next);
      await tx.done;
      return next;
    } catch (e) {
      abortQuietly(tx);
      throw toStorageError(tx.error ?? e, 'updating a snapshot');
    }
  }

  async readBytes(id: string): Promise<Blob | null> {
    try {
      return asBlob((await this.#db.get('bytes', id))?.bytes);
    } catch (e) {
      throw toStorageError(e, 'reading a snapshot');
    }
  }

  async remove(ids: string[]): Promise<RemovedSnapshot[]> {
    const tx = this.#begin(['meta', 'bytes'], 'deleting snapshots');
    tx.done.catch(() => {});
    try {
      const removed: RemovedSnapshot[] = [];
      for (const id of ids) {
        const meta = await tx.objectStore('meta').get(id);
        if (!meta) continue;
        const bytes = asBlob((await tx.objectStore('bytes').get(id))?.bytes);
        await tx.objectStore('meta').delete(id);
        await tx.objectStore('bytes').delete(id);
        removed.push({ meta: upgradeSnapshotMeta(meta), bytes });
      }
      await tx.done;
      return removed;
    } catch (e) {
      abortQuietly(tx);
      throw toStorageError(tx.error ?? e, 'deleting snapshots');
    }
  }

  async restore(removed: RemovedSnapshot[]): Promise<void> {
    const tx = this.#begin(['meta', 'bytes'], 'restoring snapshots');
    tx.done.catch(() => {});
    try {
      for (const { meta, bytes } of removed) {
        if (bytes) await tx.objectStore('bytes').put({ id: meta.id, bytes });
        await tx.objectStore('meta').put(meta);
      }
      await tx.done;
    } catch (e) {
      abortQuietly(tx);
      throw toStorageError(tx.error ?? e, 'restoring snapshots');
    }
  }

  close(): void {
    this.#db.close();
  }

  #begin<S extends ('meta' | 'bytes')[]>(stores: S, doing: string) {
    try {
      return this.#db.transaction(stores, 'readwrite');
    } catch (e) {
      throw toStorageError(e, doing);
    }
  }
}

/** Stored bytes as a Blob (version 1 stored ArrayBuffers). */
function asBlob(bytes: Blob | ArrayBuffer | undefined): Blob | null {
  if (bytes === undefined) return null;
  return bytes instanceof ArrayBuffer ? new Blob([bytes]) : bytes;
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // Already committed or aborted.
  }
}
