// Test helper: an in-memory SnapshotStore (what the library state and panel tests use instead of IndexedDB).

import type { SnapshotMeta, SnapshotPatch } from '../../src/storage/snapshot';
import { StorageError, type RemovedSnapshot, type SnapshotStore } from '../../src/storage/store';

export interface MemoryStore extends SnapshotStore {
  meta: Map<string, SnapshotMeta>;
  bytes: Map<string, Blob>;
  /** When set, add() fails with this error and writes nothing (e.g. a quota error). */
  failAdd: StorageError | null;
  /** Counts calls per method, to check that listing reads no bytes. */
  calls: Record<string, number>;
  closed: boolean;
}

export function createMemoryStore(initial: { meta: SnapshotMeta; bytes: ArrayBuffer }[] = []): MemoryStore {
  const count = (m: string) => (store.calls[m] = (store.calls[m] ?? 0) + 1);
  const live = () => {
    if (store.closed) throw new StorageError('closed', 'The snapshot library was closed.');
  };
  const store: MemoryStore = {
    meta: new Map(initial.map((r) => [r.meta.id, structuredClone(r.meta)])),
    bytes: new Map(initial.map((r) => [r.meta.id, new Blob([r.bytes])])),
    failAdd: null,
    calls: {},
    closed: false,
    async list() {
      count('list');
      live();
      return [...store.meta.values()].map((m) => structuredClone(m));
    },
    async add(meta, bytes) {
      count('add');
      live();
      if (store.failAdd) throw store.failAdd;
      const existing = store.meta.get(meta.id);
      if (existing) return { meta: structuredClone(existing), created: false };
      store.meta.set(meta.id, structuredClone(meta));
      store.bytes.set(meta.id, bytes);
      return { meta, created: true };
    },
    async update(id: string, patch: SnapshotPatch) {
      count('update');
      live();
      const m = store.meta.get(id);
      if (!m) return null;
      const next = { ...m, ...structuredClone(patch) };
      store.meta.set(id, next);
      return structuredClone(next);
    },
    async readBytes(id) {
      count('readBytes');
      live();
      return store.bytes.get(id) ?? null;
    },
    async remove(ids) {
      count('remove');
      live();
      const removed: RemovedSnapshot[] = [];
      for (const id of ids) {
        const meta = store.meta.get(id);
        if (!meta) continue;
        removed.push({ meta, bytes: store.bytes.get(id) ?? null });
        store.meta.delete(id);
        store.bytes.delete(id);
      }
      return removed;
    },
    async restore(removed) {
      count('restore');
      live();
      for (const r of removed) {
        store.meta.set(r.meta.id, r.meta);
        if (r.bytes) store.bytes.set(r.meta.id, r.bytes);
      }
    },
    close() {
      store.closed = true;
    },
  };
  return store;
}

/** A snapshot record with plausible defaults. */
export function makeSnapshot(id: string, over: Partial<SnapshotMeta> = {}): SnapshotMeta {
  return {
    format: 2,
    id,
    name: `${id}.pb.gz`,
    fileName: `${id}.pb.gz`,
    kind: 'heap',
    sampleTypes: [
      { type: 'alloc_space', unit: 'bytes' },
      { type: 'inuse_space', unit: 'bytes' },
    ],
    periodType: { type: 'space', unit: 'bytes' },
    timeNanos: 0,
    durationNanos: 0,
    addedAt: 1_700_000_000_000,
    lastOpenedAt: null,
    size: 4,
    note: '',
    tags: [],
    viewOptions: null,
    decodeError: null,
    ...over,
  };
}
