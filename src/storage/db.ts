// The IndexedDB database of the snapshot library: name, version and the ordered migrations.

import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { upgradeSnapshotMeta, type StoredSnapshotMeta } from './snapshot';

export const DB_NAME = 'pprof-lens';
/** Bump with a new entry at the end of MIGRATIONS; never edit a released migration. */
export const DB_VERSION = 2;

/**
 * The stored bytes of one snapshot (the `bytes` object store), keyed like its metadata: a Blob (written since
 * version 2), or an ArrayBuffer (what version 1 wrote; still read).
 */
export interface SnapshotBytes {
  id: string;
  bytes: Blob | ArrayBuffer;
}

/**
 * Two stores so that listing reads metadata only: `meta` (SnapshotMeta by id; index `addedAt`) and `bytes`
 * (the original file bytes by the same id). Both are written in one transaction.
 */
export interface LibrarySchema extends DBSchema {
  meta: { key: string; value: StoredSnapshotMeta; indexes: { addedAt: number } };
  bytes: { key: string; value: SnapshotBytes };
}

export type LibraryDb = IDBPDatabase<LibrarySchema>;
type UpgradeTx = IDBPTransaction<LibrarySchema, StoreNames<LibrarySchema>[], 'versionchange'>;

/**
 * Migrations in order: MIGRATIONS[n - 1] brings a database from version n - 1 to n. Each one runs inside
 * the versionchange transaction, so an upgrade is all or nothing.
 */
export const MIGRATIONS: ((db: LibraryDb, tx: UpgradeTx) => Promise<void>)[] = [
  // 1: metadata and bytes in separate stores (record format 1).
  async (db) => {
    db.createObjectStore('meta', { keyPath: 'id' });
    db.createObjectStore('bytes', { keyPath: 'id' });
  },
  // 2: an addedAt index; records to format 2 (periodType, lastOpenedAt).
  async (_db, tx) => {
    const store = tx.objectStore('meta');
    store.createIndex('addedAt', 'addedAt');
    for (let cursor = await store.openCursor(); cursor; cursor = await cursor.continue()) {
      await cursor.update(upgradeSnapshotMeta(cursor.value));
    }
  },
];

/** What the connection tells its owner after it opened. */
export interface LibraryDbEvents {
  /** Another connection wants a newer version (another tab was upgraded): this one has been closed. */
  onVersionChange?: () => void;
  /** An older connection in another tab keeps this one from opening (the open waits). */
  onBlocked?: () => void;
  /** The browser closed the connection (storage cleared, disk error). */
  onTerminated?: () => void;
}

/** Opens (creating or upgrading) the library database. `version` is for tests of older versions. */
export async function openLibraryDb(events: LibraryDbEvents = {}, { name = DB_NAME, version = DB_VERSION } = {}): Promise<LibraryDb> {
  const db = await openDB<LibrarySchema>(name, version, {
    upgrade(database, oldVersion, newVersion, transaction) {
      const target = newVersion ?? version;
      // Chained so that each migration sees the previous one's stores; failures abort the transaction.
      let chain = Promise.resolve();
      for (let n = oldVersion + 1; n <= target; n++) {
        const migrate = MIGRATIONS[n - 1];
        if (!migrate) throw new Error(`No migration to version ${n}`);
        chain = chain.then(() => migrate(database, transaction));
      }
      chain.catch(() => {
        try {
          transaction.abort();
        } catch {
          // Already finished.
        }
      });
    },
    blocked: () => events.onBlocked?.(),
    blocking: () => {
      db.close();
      events.onVersionChange?.();
    },
    terminated: () => events.onTerminated?.(),
  });
  return db;
}
