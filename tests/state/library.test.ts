// @vitest-environment happy-dom
// LibraryState wired to ProfilesState (fake engine, in-memory store): every opened file kept, options saved
// back and restored, delete/undo closing views, quota and unavailable storage, other tabs.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLibraryWiring, groupSnapshots, OPTIONS_SAVE_DEBOUNCE_MS, type ChannelLike } from '../../src/state/library.svelte';
import { computeSnapshotId } from '../../src/storage/snapshot';
import { StorageError, type SnapshotStore } from '../../src/storage/store';
import { createMemoryStore, makeSnapshot, type MemoryStore } from '../helpers/memory-store';
import { createFakeEngine, EMPTY, HEAP } from '../views/fake-engine';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A file whose bytes are its name, so different names are different snapshots. */
const fileOf = (name: string, content = name) => new File([new TextEncoder().encode(content)], name);

function setup(store: SnapshotStore | Error, extra: { channel?: () => ChannelLike | null; saveFile?: (b: Blob, n: string) => void } = {}) {
  const engine = createFakeEngine({ 'heap_t0.pb.gz': HEAP, 'heap_t3.pb.gz': HEAP, 'mutex.pb.gz': EMPTY });
  let events: Parameters<Parameters<typeof createLibraryWiring>[1]['openStore']>[0] = {};
  const { profiles, library } = createLibraryWiring(engine, {
    openStore: async (e) => {
      events = e;
      if (store instanceof Error) throw store;
      return store;
    },
    storageManager: { estimate: async () => ({ usage: 2048, quota: 1 << 30 }), persist: async () => true, persisted: async () => false },
    channel: extra.channel ?? null,
    saveFile: extra.saveFile,
    now: () => 1_700_000_000_000,
  });
  return { engine, profiles, library, events: () => events };
}

/** Waits for the library's queued writes. */
const settle = (library: { settled(): Promise<void> }) => library.settled();

afterEach(() => vi.useRealTimers());

describe('LibraryState', () => {
  it('keeps every opened file once, with its kind, sample types and profile time', async () => {
    const store = createMemoryStore();
    const { profiles, library } = setup(store);
    await library.start();
    await profiles.openFiles([fileOf('heap_t0.pb.gz'), fileOf('mutex.pb.gz'), fileOf('heap_t3.pb.gz', 'heap_t0.pb.gz')]);
    await settle(library);

    expect(library.snapshots.map((m) => [m.name, m.kind, m.sampleTypes.length, m.size, m.decodeError])).toEqual([
      ['heap_t0.pb.gz', 'heap', 2, 13, null],
      ['mutex.pb.gz', 'other', 1, 11, null] // contentions alone, without delay: not Go's mutex profile,
    ]);
    expect(store.meta.size).toBe(2);
    expect(await store.bytes.get(library.snapshots[0]!.id)!.text()).toBe('heap_t0.pb.gz');
    expect(library.estimate).toEqual({ usage: 2048, quota: 1 << 30 });
  });

  it('keeps files opened before the library finished opening', async () => {
    const store = createMemoryStore();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { profiles, library } = createLibraryWiring(createFakeEngine({ 'heap_t0.pb.gz': HEAP }), {
      openStore: async () => {
        await gate; // IndexedDB still opening (or blocked by an older tab)
        return store;
      },
    });
    const started = library.start();
    await profiles.openFiles([fileOf('heap_t0.pb.gz')]);
    expect(profiles.summary?.fileName).toBe('heap_t0.pb.gz');
    release();
    await started;
    await settle(library);
    expect([...store.meta.values()].map((m) => m.name)).toEqual(['heap_t0.pb.gz']);
    expect(library.snapshots.map((m) => m.name)).toEqual(['heap_t0.pb.gz']);
  });

  it('keeps a file that does not decode, listed with its error', async () => {
    const store = createMemoryStore();
    const { profiles, library } = setup(store);
    await library.start();
    await profiles.openFiles([fileOf('notes.txt')]);
    await settle(library);
    expect(library.snapshots.map((m) => [m.name, m.kind, m.decodeError])).toEqual([['notes.txt', 'other', 'Not a pprof profile: notes.txt']]);
    expect(profiles.error).toBe('Could not open notes.txt: Not a pprof profile: notes.txt');
  });

  it('saves view options (debounced) and opens a snapshot with them again', async () => {
    const store = createMemoryStore();
    const first = setup(store);
    await first.library.start();
    await first.profiles.openFiles([fileOf('heap_t3.pb.gz')]);
    await settle(first.library);
    first.profiles.setSampleIndex(0);
    first.profiles.setSort('cum');
    const id = first.library.snapshots[0]!.id;
    expect(store.meta.get(id)!.viewOptions).toBeNull();
    await sleep(OPTIONS_SAVE_DEBOUNCE_MS + 50);
    expect(store.meta.get(id)!.viewOptions).toEqual({ sampleIndex: 0, trim: true, sort: 'cum', filter: '' });

    // A new session (reload): the library lists it; opening it restores the options.
    const second = setup(store);
    await second.library.start();
    expect(second.library.snapshots.map((m) => m.name)).toEqual(['heap_t3.pb.gz']);
    await second.library.open([id]);
    expect(second.profiles.options).toEqual({ sampleIndex: 0, trim: true, sort: 'cum', filter: '' });
    expect(second.engine.topRequests().at(-1)?.sampleIndex).toBe(0);
    expect(store.calls.readBytes).toBe(1);
    await settle(second.library);
    expect(store.meta.size).toBe(1);
    expect(store.meta.get(id)!.lastOpenedAt).toBe(1_700_000_000_000);
  });

  it('saves view options changed while the file was still being kept (hashed and written)', async () => {
    const store = createMemoryStore();
    const { profiles, library } = setup(store);
    await library.start();
    await profiles.openFiles([fileOf('heap_t3.pb.gz')]);
    // No settling: the library is still keeping the file when the sample type changes.
    profiles.setSampleIndex(0);
    await settle(library);
    await sleep(OPTIONS_SAVE_DEBOUNCE_MS + 50);
    await settle(library);
    const id = library.snapshots[0]!.id;
    expect(store.meta.get(id)!.viewOptions).toMatchObject({ sampleIndex: 0 });
  });

  it('shows a snapshot already open instead of opening it twice; opens it again once closed', async () => {
    const store = createMemoryStore();
    const { engine, profiles, library } = setup(store);
    await library.start();
    await profiles.openFiles([fileOf('heap_t0.pb.gz'), fileOf('heap_t3.pb.gz')]);
    await settle(library);
    const t0 = library.snapshots.find((m) => m.name === 'heap_t0.pb.gz')!;
    await library.open([t0.id]);
    expect(profiles.profiles.map((p) => p.fileName)).toEqual(['heap_t0.pb.gz', 'heap_t3.pb.gz']);
    expect(profiles.summary?.fileName).toBe('heap_t0.pb.gz');

    profiles.close(profiles.activeId!);
    await library.open([t0.id]);
    expect(profiles.profiles.map((p) => p.fileName)).toEqual(['heap_t3.pb.gz', 'heap_t0.pb.gz']);
    expect(engine.calls.filter((c) => c.method === 'open')).toHaveLength(3);
  });

  it('a file dropped again opens with the options saved with its bytes, unless already changed', async () => {
    const saved = { sampleIndex: 0, trim: false, sort: 'cum' as const, filter: '' };
    const bytes = new TextEncoder().encode('heap_t3.pb.gz').buffer;
    const id = await computeSnapshotId(bytes);
    const store = createMemoryStore([{ meta: makeSnapshot(id, { name: 'after lunch', viewOptions: saved }), bytes }]);
    const { engine, profiles, library } = setup(store);
    await library.start();
    await profiles.openFiles([new File([bytes], 'heap_t3.pb.gz')]);
    await settle(library);
    expect(profiles.options).toEqual(saved);
    await vi.waitFor(() => expect(engine.topRequests().at(-1)).toEqual({ sampleIndex: 0, nodeFraction: 0, edgeFraction: 0.001, sort: 'cum', filter: '' }));
    expect(store.meta.size).toBe(1);
    expect(store.meta.get(id)!.name).toBe('after lunch');

    // Changed before the library answered: the person's choice stays.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const other = setup({ ...store, add: async (m, b) => (await gate, store.add(m, b)) });
    await other.library.start();
    await other.profiles.openFiles([new File([bytes], 'heap_t3.pb.gz')]);
    other.profiles.setSort('name');
    release();
    await settle(other.library);
    expect(other.profiles.options?.sort).toBe('name');
    expect(other.profiles.options?.sampleIndex).toBe(1);
  });

  it('renames, notes and tags a snapshot', async () => {
    const store = createMemoryStore([{ meta: makeSnapshot('a'), bytes: new ArrayBuffer(4) }]);
    const { library } = setup(store);
    await library.start();
    await library.rename('a', '  before the fix ');
    await library.setNote('a', 'grows 2 MB/h');
    await library.setTags('a', 'leak, prod, leak');
    await library.rename('a', '   ');
    expect(store.meta.get('a')).toMatchObject({ name: 'before the fix', note: 'grows 2 MB/h', tags: ['leak', 'prod'] });
    expect(library.snapshots[0]).toEqual(store.meta.get('a'));
  });

  it('deletes snapshots, closing their open views, and undoes the deletion', async () => {
    const store = createMemoryStore();
    const { profiles, library } = setup(store);
    await library.start();
    await profiles.openFiles([fileOf('heap_t0.pb.gz'), fileOf('heap_t3.pb.gz')]);
    await settle(library);
    const t3 = library.snapshots.find((m) => m.name === 'heap_t3.pb.gz')!;
    library.toggleSelected(t3.id);

    await library.remove([t3.id]);
    expect(profiles.profiles.map((p) => p.fileName)).toEqual(['heap_t0.pb.gz']);
    expect(profiles.summary?.fileName).toBe('heap_t0.pb.gz');
    expect(library.snapshots.map((m) => m.name)).toEqual(['heap_t0.pb.gz']);
    expect(library.selected.size).toBe(0);
    expect(library.undo?.label).toBe('Deleted heap_t3.pb.gz');
    expect(store.bytes.has(t3.id)).toBe(false);

    await library.undoRemove();
    expect(library.snapshots.map((m) => m.name).sort()).toEqual(['heap_t0.pb.gz', 'heap_t3.pb.gz']);
    expect(await store.bytes.get(t3.id)!.text()).toBe('heap_t3.pb.gz');
    expect(library.undo).toBeNull();
  });

  it('says clearly when the disk is full, keeps nothing half-written, and the profile stays open', async () => {
    const store = createMemoryStore();
    store.failAdd = new StorageError('quota', "The browser's storage for this site is full: keeping heap_t3.pb.gz failed and nothing was written.");
    const { profiles, library } = setup(store);
    await library.start();
    await profiles.openFiles([fileOf('heap_t3.pb.gz')]);
    await settle(library);
    expect(library.error).toMatch(/^Could not keep heap_t3\.pb\.gz in the library\. The browser's storage for this site is full.*The profile is open for this session\.$/);
    expect(store.meta.size).toBe(0);
    expect(profiles.summary?.fileName).toBe('heap_t3.pb.gz');
    expect(profiles.view).not.toBeNull();
  });

  it('works without IndexedDB and says nothing will be kept', async () => {
    const { profiles, library } = setup(new StorageError('unavailable', 'no IndexedDB'));
    await library.start();
    expect(library.status).toBe('unavailable');
    expect(library.notice).toMatch(/nothing will be kept after this tab closes/);
    await profiles.openFiles([fileOf('heap_t3.pb.gz')]);
    expect(profiles.summary?.fileName).toBe('heap_t3.pb.gz');
    expect(library.error).toBeNull();
  });

  it('closes when another tab upgrades the database and asks for a reload', async () => {
    const store = createMemoryStore();
    const { profiles, library, events } = setup(store);
    await library.start();
    events().onVersionChange?.();
    expect(library.status).toBe('closed');
    expect(library.notice).toMatch(/reload this tab/);
    expect(store.closed).toBe(true);
    await profiles.openFiles([fileOf('heap_t3.pb.gz')]);
    expect(profiles.summary?.fileName).toBe('heap_t3.pb.gz');
  });

  it('tells other tabs of changes and reloads when told; a snapshot deleted elsewhere closes here', async () => {
    const posted: unknown[] = [];
    const channel: ChannelLike = { postMessage: (m) => posted.push(m), close: () => {}, onmessage: null };
    const store = createMemoryStore();
    const { profiles, library } = setup(store, { channel: () => channel });
    await library.start();
    await profiles.openFiles([fileOf('heap_t3.pb.gz')]);
    await settle(library);
    expect(posted).toEqual([{ type: 'changed' }]);

    // Another tab adds one and deletes ours.
    const ours = library.snapshots[0]!.id;
    store.meta.delete(ours);
    store.meta.set('other', makeSnapshot('other'));
    channel.onmessage?.(new MessageEvent('message', { data: { type: 'changed' } }));
    await vi.waitFor(() => expect(library.snapshots.map((m) => m.id)).toEqual(['other']));
    expect(library.snapshots.map((m) => m.id)).toEqual(['other']);
    expect(profiles.profiles).toEqual([]);
  });

  it('Compare… returns the chosen snapshots in profile-time order and says comparing comes later', async () => {
    const store = createMemoryStore([
      { meta: makeSnapshot('late', { name: 'heap_t3', timeNanos: 3e18 }), bytes: new ArrayBuffer(1) },
      { meta: makeSnapshot('early', { name: 'heap_t0', timeNanos: 1e18 }), bytes: new ArrayBuffer(1) },
    ]);
    const { library } = setup(store);
    await library.start();
    library.toggleSelectAll();
    expect(library.compare().map((m) => m.id)).toEqual(['early', 'late']);
    expect(library.info).toBe('Comparing snapshots comes in a later version of pprof-lens. Chosen: heap_t0, heap_t3.');
  });

  it('exports the original bytes under the original file name, decode errors included', async () => {
    const saved: [string, string][] = [];
    const bytes = new TextEncoder().encode('not a profile').buffer;
    const store = createMemoryStore([{ meta: makeSnapshot('bad', { name: 'renamed', fileName: 'dump.txt', decodeError: 'Not a pprof profile' }), bytes }]);
    const { library } = setup(store, { saveFile: (blob, name) => void blob.text().then((t) => saved.push([name, t])) });
    await library.start();
    await library.exportSnapshots(['bad']);
    await sleep(0);
    expect(saved).toEqual([['dump.txt', 'not a profile']]);
  });

  it('asks for persistent storage', async () => {
    const { library } = setup(createMemoryStore());
    await library.start();
    expect(library.persisted).toBe(false);
    await library.requestPersist();
    expect(library.persisted).toBe(true);
    expect(library.info).toMatch(/keep the library even when the disk runs low/);
  });
});

describe('groupSnapshots', () => {
  const list = [
    makeSnapshot('c', { kind: 'cpu', name: 'cpu prod', timeNanos: 5e18 }),
    makeSnapshot('h3', { kind: 'heap', name: 'heap_t3', timeNanos: 3e18, tags: ['leak'] }),
    makeSnapshot('h0', { kind: 'heap', name: 'heap_t0', timeNanos: 1e18 }),
    makeSnapshot('x', { kind: 'other', name: 'dump', timeNanos: 0, addedAt: 10, note: 'LEAK suspected' }),
  ];
  it('groups by kind in the library order, each sorted by profile time', () => {
    expect(groupSnapshots(list, '').map((g) => [g.kind, g.snapshots.map((m) => m.id)])).toEqual([
      ['heap', ['h0', 'h3']],
      ['cpu', ['c']],
      ['other', ['x']],
    ]);
  });
  it('searches names, notes, tags and kinds, case-insensitively', () => {
    expect(groupSnapshots(list, 'leak').flatMap((g) => g.snapshots.map((m) => m.id))).toEqual(['h3', 'x']);
    expect(groupSnapshots(list, 'CPU').flatMap((g) => g.snapshots.map((m) => m.id))).toEqual(['c']);
  });
});
