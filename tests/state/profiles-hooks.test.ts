// @vitest-environment happy-dom
// ProfilesState's hooks for the snapshot library: every opened file reported with a copy of its bytes taken
// before the transfer, stored bytes opened with their saved view options, option changes reported.

import { describe, expect, it, vi } from 'vitest';
import { ProfilesState, type OpenedProfile } from '../../src/state/profiles.svelte';
import type { ViewOptions } from '../../src/state/view-options';
import { createFakeEngine, HEAP, type FakeEngine } from '../views/fake-engine';

/** A fake engine whose open() empties the buffer as a transfer to the worker does. */
/** The fake, transferring the bytes it is given as the real client does (a Blob goes as a handle); `given` records them. */
function transferringEngine(engine: FakeEngine, given: (ArrayBuffer | Blob)[] = []): FakeEngine {
  const open = engine.open.bind(engine);
  engine.open = async (bytes, fileName, onProgress) => {
    given.push(bytes);
    const result = await open(bytes, fileName, onProgress);
    if (bytes instanceof ArrayBuffer) structuredClone(bytes, { transfer: [bytes] });
    return result;
  };
  return engine;
}

const fileOf = (name: string, bytes: number[]) => new File([new Uint8Array(bytes)], name);

describe('ProfilesState hooks', () => {
  it('reports each opened file, decoded or not, with an intact copy of its bytes', async () => {
    const opened: OpenedProfile[] = [];
    const given: (ArrayBuffer | Blob)[] = [];
    const engine = transferringEngine(createFakeEngine({ 'heap.pb.gz': HEAP }), given);
    const state = new ProfilesState(engine, { onOpened: (o) => opened.push(o) });
    const files = [fileOf('heap.pb.gz', [1, 2, 3]), fileOf('notes.txt', [4, 5])];
    await state.openFiles(files);
    // The engine reads each file itself (gzip then inflates as it is read): the File goes, not its bytes.
    expect(given).toEqual(files);
    expect(given[0]).toBe(files[0]);

    const kept = await Promise.all(opened.map(async (o) => [...new Uint8Array(await o.bytes!.arrayBuffer())]));
    expect(opened.map((o, i) => [o.fileName, kept[i], o.summary?.fileName ?? null, o.error, o.snapshotId])).toEqual([
      ['heap.pb.gz', [1, 2, 3], 'heap.pb.gz', null, null],
      ['notes.txt', [4, 5], null, 'Not a pprof profile: notes.txt', null],
    ]);
  });

  it('copies bytes that did not come from a file (the demo) before the transfer', async () => {
    const opened: OpenedProfile[] = [];
    const engine = transferringEngine(createFakeEngine({ 'heap_t0.pb.gz': HEAP }));
    const state = new ProfilesState(engine, {
      onOpened: (o) => opened.push(o),
      fetch: async (url) => new Response(new Uint8Array([7, url.pathname.length])),
      baseUri: () => 'http://localhost/',
    });
    await state.openDemo();
    const first = opened.find((o) => o.fileName === 'heap_t0.pb.gz')!;
    expect([...new Uint8Array(await first.bytes!.arrayBuffer())]).toEqual([7, '/demo/heap_t0.pb.gz'.length]);
  });

  it('opens stored bytes with their saved options, without another copy', async () => {
    const onOpened = vi.fn();
    const engine = createFakeEngine({ 'heap.pb.gz': HEAP });
    const state = new ProfilesState(engine, { onOpened });
    const saved: ViewOptions = { sampleIndex: 0, trim: false, sort: 'cum', filter: 'main' };
    const id = await state.openStored(new Uint8Array([1]).buffer, 'heap.pb.gz', { snapshotId: 'abc', options: saved });

    expect(id).not.toBeNull();
    expect(state.activeId).toBe(id);
    expect(state.options).toEqual(saved);
    expect(engine.topRequests().at(-1)).toEqual({ sampleIndex: 0, nodeFraction: 0, edgeFraction: 0.001, sort: 'cum', filter: 'main' });
    expect(onOpened).toHaveBeenCalledWith(expect.objectContaining({ bytes: null, snapshotId: 'abc', error: null }));
  });

  it('falls back to the default sample type when the saved one does not exist', async () => {
    const state = new ProfilesState(createFakeEngine({ 'heap.pb.gz': HEAP }));
    await state.openStored(new Uint8Array([1]).buffer, 'heap.pb.gz', { snapshotId: 'abc', options: { sampleIndex: 7, sort: 'name' } });
    expect(state.options).toEqual({ sampleIndex: 1, trim: true, sort: 'name', filter: '' });
  });

  it('reports option changes with the profile id', async () => {
    const changes: [string, ViewOptions][] = [];
    const state = new ProfilesState(createFakeEngine({ 'heap.pb.gz': HEAP }), { onOptionsChanged: (id, o) => changes.push([id, o]) });
    await state.openFiles([fileOf('heap.pb.gz', [1])]);
    state.setSampleIndex(0);
    state.setTrim(false);
    state.setFilter('js');
    const id = state.activeId!;
    expect(changes).toEqual([
      [id, { sampleIndex: 0, trim: true, sort: 'flat', filter: '' }],
      [id, { sampleIndex: 0, trim: false, sort: 'flat', filter: '' }],
      [id, { sampleIndex: 0, trim: false, sort: 'flat', filter: 'js' }],
    ]);
    state.dispose();
  });
});
