// @vitest-environment node
// The IndexedDB snapshot store over fake-indexeddb: one transaction per operation, no half-written records,
// metadata listed without bytes, versionchange, and the migration from a version-1 database.

import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DB_VERSION, openLibraryDb } from '../../src/storage/db';
import { computeSnapshotId, parseTags, RECORD_FORMAT, type SnapshotMeta, type SnapshotMetaV1 } from '../../src/storage/snapshot';
import { openSnapshotStore, StorageError, type SnapshotStore } from '../../src/storage/store';

let dbCount = 0;
const opened: SnapshotStore[] = [];
const freshName = () => `test-library-${++dbCount}`;

async function open(name: string, events = {}): Promise<SnapshotStore> {
  const store = await openSnapshotStore(events, { name });
  opened.push(store);
  return store;
}

afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  vi.restoreAllMocks();
});

function bytesOf(...values: number[]): Blob {
  return new Blob([new Uint8Array(values)]);
}

async function contentOf(blob: Blob | ArrayBuffer | null | undefined): Promise<number[] | null> {
  if (!blob) return null;
  return [...new Uint8Array(blob instanceof Blob ? await blob.arrayBuffer() : blob)];
}

async function makeMeta(bytes: Blob | ArrayBuffer, over: Partial<SnapshotMeta> = {}): Promise<SnapshotMeta> {
  const buffer = bytes instanceof Blob ? await bytes.arrayBuffer() : bytes;
  return {
    format: RECORD_FORMAT,
    id: await computeSnapshotId(buffer),
    name: 'heap_t0.pb.gz',
    fileName: 'heap_t0.pb.gz',
    kind: 'heap',
    sampleTypes: [{ type: 'inuse_space', unit: 'bytes' }],
    periodType: { type: 'space', unit: 'bytes' },
    timeNanos: 1_795_335_195_465_378_600,
    durationNanos: 0,
    addedAt: 1_700_000_000_000,
    lastOpenedAt: null,
    size: buffer.byteLength,
    note: '',
    tags: [],
    viewOptions: null,
    decodeError: null,
    ...over,
  };
}

describe('computeSnapshotId', () => {
  it('is the SHA-256 of the bytes in hex', async () => {
    expect(await computeSnapshotId(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('parseTags', () => {
  it('trims, drops empties and repeats', () => {
    expect(parseTags(' leak, prod ,, leak,after fix ')).toEqual(['leak', 'prod', 'after fix']);
  });
});

describe('IndexedDB snapshot store', () => {
  it('keeps metadata and the original bytes, across connections', async () => {
    const name = freshName();
    const store = await open(name);
    const bytes = bytesOf(0x1f, 0x8b, 1, 2, 3);
    const meta = await makeMeta(bytes);
    expect(await store.add(meta, bytes)).toEqual({ meta, created: true });
    store.close();

    const again = await open(name);
    expect(await again.list()).toEqual([meta]);
    expect(await contentOf(await again.readBytes(meta.id))).toEqual([0x1f, 0x8b, 1, 2, 3]);
  });

  it('keeps identical bytes once', async () => {
    const store = await open(freshName());
    const bytes = bytesOf(9, 9, 9);
    const first = await makeMeta(bytes, { name: 'first' });
    await store.add(first, bytes);
    const second = await store.add(await makeMeta(bytes, { name: 'second', fileName: 'copy.pb.gz' }), bytes);
    expect(second).toEqual({ meta: first, created: false });
    expect((await store.list()).map((m) => m.name)).toEqual(['first']);
  });

  it('updates name, note, tags and view options; null for a missing snapshot', async () => {
    const name = freshName();
    const store = await open(name);
    const bytes = bytesOf(1);
    const meta = await makeMeta(bytes);
    await store.add(meta, bytes);
    const viewOptions = { sampleIndex: 1, trim: false, sort: 'cum' as const, filter: 'json' };
    const updated = await store.update(meta.id, { name: 'before the fix', note: 'leaks 2 MB/h', tags: ['leak'], viewOptions });
    expect(updated).toEqual({ ...meta, name: 'before the fix', note: 'leaks 2 MB/h', tags: ['leak'], viewOptions });
    expect(await store.update('nope', { name: 'x' })).toBeNull();
    store.close();
    expect(await (await open(name)).list()).toEqual([updated]);
  });

  it('removes metadata and bytes, returning them for undo, and restores them', async () => {
    const store = await open(freshName());
    const a = bytesOf(1, 2);
    const b = bytesOf(3, 4);
    const metaA = await makeMeta(a, { name: 'a' });
    const metaB = await makeMeta(b, { name: 'b' });
    await store.add(metaA, a);
    await store.add(metaB, b);

    const removed = await store.remove([metaA.id, 'missing']);
    expect(removed.map((r) => r.meta)).toEqual([metaA]);
    expect(await contentOf(removed[0]!.bytes)).toEqual([1, 2]);
    expect((await store.list()).map((m) => m.name)).toEqual(['b']);
    expect(await store.readBytes(metaA.id)).toBeNull();

    await store.restore(removed);
    expect((await store.list()).map((m) => m.name).sort()).toEqual(['a', 'b']);
    expect(await contentOf(await store.readBytes(metaA.id))).toEqual([1, 2]);
  });

  it('lists metadata without reading the bytes store', async () => {
    const store = await open(freshName());
    for (let i = 0; i < 20; i++) {
      const bytes = new Blob([new Uint8Array(64 * 1024).fill(i)]);
      await store.add(await makeMeta(bytes, { name: `s${i}` }), bytes);
    }
    const proto = IDBObjectStore.prototype;
    const stores: string[] = [];
    const { getAll, get, openCursor } = proto;
    vi.spyOn(proto, 'getAll').mockImplementation(function (this: IDBObjectStore, ...args) {
      stores.push(this.name);
      return getAll.apply(this, args);
    });
    vi.spyOn(proto, 'get').mockImplementation(function (this: IDBObjectStore, ...args) {
      stores.push(this.name);
      return get.apply(this, args);
    });
    vi.spyOn(proto, 'openCursor').mockImplementation(function (this: IDBObjectStore, ...args) {
      stores.push(this.name);
      return openCursor.apply(this, args);
    });
    expect(await store.list()).toHaveLength(20);
    expect(stores).toEqual(['meta']);
  });

  it('writes nothing when the bytes exceed the quota, and says so', async () => {
    const store = await open(freshName());
    const small = bytesOf(1);
    await store.add(await makeMeta(small, { name: 'small' }), small);
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      const v = value as { bytes?: Blob };
      if (v.bytes instanceof Blob && v.bytes.size > 1000) throw new DOMException('Quota exceeded', 'QuotaExceededError');
      return put.call(this, value, key);
    });
    const big = new Blob([new Uint8Array(5000)]);
    const meta = await makeMeta(big, { name: 'big' });
    const error = await store.add(meta, big).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('quota');
    expect((error as StorageError).message).toMatch(/storage for this site is full.*nothing was written/);
    expect((await store.list()).map((m) => m.name)).toEqual(['small']);
    expect(await store.readBytes(meta.id)).toBeNull();
  });

  it('writes no bytes when the metadata fails (one transaction)', async () => {
    const store = await open(freshName());
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (this.name === 'meta') throw new DOMException('Quota exceeded', 'QuotaExceededError');
      return put.call(this, value, key);
    });
    const bytes = bytesOf(5, 6);
    const meta = await makeMeta(bytes);
    await expect(store.add(meta, bytes)).rejects.toMatchObject({ code: 'quota' });
    vi.restoreAllMocks();
    expect(await store.readBytes(meta.id)).toBeNull();
    expect(await store.list()).toEqual([]);
  });

  it('closes on versionchange from another connection and reports closed afterwards', async () => {
    const name = freshName();
    const onVersionChange = vi.fn();
    const store = await open(name, { onVersionChange });
    const newer = await openDB(name, DB_VERSION + 1);
    expect(onVersionChange).toHaveBeenCalledOnce();
    await expect(store.list()).rejects.toMatchObject({ code: 'closed' });
    newer.close();
  });

  it('is unavailable without IndexedDB', async () => {
    vi.stubGlobal('indexedDB', undefined);
    try {
      await expect(openSnapshotStore({}, { name: freshName() })).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('is unavailable when opening fails (private mode, disabled storage)', async () => {
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('The user denied permission to access the database.', 'InvalidStateError');
    });
    await expect(openSnapshotStore({}, { name: freshName() })).rejects.toMatchObject({ code: 'unavailable', message: /could not be opened/ });
  });
});

describe('migrations', () => {
  it('opens a version-1 database written by the previous code and keeps every record', async () => {
    const name = freshName();
    // What version 1 wrote: the two stores, records in format 1 (no periodType, no lastOpenedAt), bytes as ArrayBuffers.
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('meta', { keyPath: 'id' });
        db.createObjectStore('bytes', { keyPath: 'id' });
      },
    });
    const records: { meta: SnapshotMetaV1; bytes: ArrayBuffer }[] = [];
    for (let i = 0; i < 5; i++) {
      const bytes = new Uint8Array([0x1f, 0x8b, i, i * 2]).buffer;
      const { format: _f, periodType: _p, lastOpenedAt: _l, ...rest } = await makeMeta(bytes, {
        name: `snapshot ${i}`,
        tags: i % 2 ? ['odd'] : [],
        viewOptions: i === 3 ? { sampleIndex: 1, trim: false, sort: 'name', filter: 'x' } : null,
        decodeError: i === 4 ? 'Not a pprof profile' : null,
      });
      const meta: SnapshotMetaV1 = { ...rest, format: 1 };
      records.push({ meta, bytes });
      const tx = v1.transaction(['meta', 'bytes'], 'readwrite');
      await tx.objectStore('meta').put(meta);
      await tx.objectStore('bytes').put({ id: meta.id, bytes });
      await tx.done;
    }
    v1.close();

    const store = await open(name);
    const listed = await store.list();
    expect(listed).toHaveLength(records.length);
    for (const { meta, bytes } of records) {
      const got = listed.find((m) => m.id === meta.id);
      expect(got).toEqual({ ...meta, format: RECORD_FORMAT, periodType: null, lastOpenedAt: null });
      expect(await contentOf(await store.readBytes(meta.id))).toEqual(await contentOf(bytes));
    }
    store.close();

    // The records were rewritten in the current format on disk, and version 2's index exists.
    const db = await openLibraryDb({}, { name });
    expect(db.version).toBe(DB_VERSION);
    expect((await db.getAll('meta')).every((m) => m.format === RECORD_FORMAT)).toBe(true);
    expect(await db.countFromIndex('meta', 'addedAt')).toBe(records.length);
    db.close();
  });

  it('creates an empty current database from nothing', async () => {
    const db = await openLibraryDb({}, { name: freshName() });
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['bytes', 'meta']);
    db.close();
  });
});
