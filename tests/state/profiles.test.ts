// @vitest-environment happy-dom
// ProfilesState with a fake engine: open/close, requests from view options, stale replies, demo, TSV, marks.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_FILES, FILTER_DEBOUNCE_MS, ProfilesState } from '../../src/state/profiles.svelte';
import { buildTopRequest, createViewOptions, formatExportFileName, formatTsvFileName } from '../../src/state/view-options';
import { createFakeEngine, EMPTY, HEAP, makeFile } from '../views/fake-engine';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));

// Let frames scheduled by the previous test pass before clearing its marks.
beforeEach(async () => {
  await nextFrame();
  performance.clearMarks();
});
afterEach(() => vi.restoreAllMocks());

describe('view options', () => {
  it('turns Trim into pprof node fractions', () => {
    const options = createViewOptions(2);
    expect(options).toEqual({ sampleIndex: 2, trim: true, sort: 'flat', filter: '' });
    expect(buildTopRequest(options)).toEqual({ sampleIndex: 2, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat', filter: '' });
    expect(buildTopRequest({ ...options, trim: false }).nodeFraction).toBe(0);
  });

  it('names TSV downloads after the file and sample type', () => {
    expect(formatTsvFileName('heap_t3.pb.gz', 'inuse_space')).toBe('heap_t3-inuse_space.top.tsv');
    expect(formatTsvFileName('cpu.pprof', 'cpu')).toBe('cpu-cpu.top.tsv');
    expect(formatExportFileName('heap_t3.pb.gz', 'graph.dot')).toBe('heap_t3.graph.dot');
    expect(formatExportFileName('', 'flame.svg')).toBe('profile.flame.svg');
    expect(formatTsvFileName('profile', 'samples')).toBe('profile-samples.top.tsv');
  });
});

describe('ProfilesState', () => {
  it('opens files, activates the last one and fetches its top view with the defaults', async () => {
    const engine = createFakeEngine({ 'a.pb.gz': HEAP, 'b.pb.gz': EMPTY });
    const state = new ProfilesState(engine);
    await state.openFiles([makeFile('a.pb.gz'), makeFile('b.pb.gz')]);

    expect(state.profiles.map((p) => p.fileName)).toEqual(['a.pb.gz', 'b.pb.gz']);
    expect(state.summary?.fileName).toBe('b.pb.gz');
    expect(state.loading).toBeNull();
    expect(state.view?.sampleType).toBe('contentions');
    expect(engine.topRequests()).toEqual([
      { sampleIndex: 1, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat', filter: '' },
      { sampleIndex: 0, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat', filter: '' },
    ]);
    expect(performance.getEntriesByName('pprof:decoded')).toHaveLength(2);
  });

  it('keeps the open profile and its view when a file fails to open', async () => {
    const engine = createFakeEngine({ 'a.pb.gz': HEAP }, { 'bad.pb.gz': 'Truncated protobuf at byte 12' });
    const state = new ProfilesState(engine);
    await state.openFiles([makeFile('a.pb.gz')]);
    const view = state.view;
    expect(view).not.toBeNull();

    await state.openFiles([makeFile('bad.pb.gz')]);
    expect(state.error).toBe('Could not open bad.pb.gz: Truncated protobuf at byte 12');
    expect(state.view).toBe(view);
    expect(state.profiles.map((p) => p.fileName)).toEqual(['a.pb.gz']);
    state.dismissError();
    expect(state.error).toBeNull();
  });

  it('ignores a stale top reply that arrives after a newer one', async () => {
    const engine = createFakeEngine({ 'a.pb.gz': HEAP });
    const state = new ProfilesState(engine);
    await state.openFiles([makeFile('a.pb.gz')]);

    engine.holdTop = true;
    state.setSort('name');
    state.setSort('cum');
    await sleep(0);
    engine.releaseNewestFirst();
    await sleep(0);
    expect(state.options?.sort).toBe('cum');
    expect(state.viewRequest?.sort).toBe('cum');
    expect(state.view?.name[0]).toBe('main.handler');
  });

  it('debounces the filter and requests it once typing stops', async () => {
    const engine = createFakeEngine({ 'a.pb.gz': HEAP });
    const state = new ProfilesState(engine);
    await state.openFiles([makeFile('a.pb.gz')]);

    state.setFilter('j');
    state.setFilter('js');
    state.setFilter('json');
    expect(state.options?.filter).toBe('json');
    expect(engine.topRequests()).toHaveLength(1);
    await sleep(FILTER_DEBOUNCE_MS + 50);
    expect(engine.topRequests().map((r) => r.filter)).toEqual(['', 'json']);
    expect(state.view?.name).toEqual(['encoding/json.Marshal']);
    expect(state.view?.totalRows).toBe(4);
  });

  it('keeps view options per profile', async () => {
    const engine = createFakeEngine({ 'a.pb.gz': HEAP, 'b.pb.gz': HEAP });
    const state = new ProfilesState(engine);
    await state.openFiles([makeFile('a.pb.gz'), makeFile('b.pb.gz')]);
    state.setTrim(false);
    state.setSampleIndex(0);
    const [a, b] = state.profiles;
    state.activate(a!.id);
    expect(state.options).toEqual({ sampleIndex: 1, trim: true, sort: 'flat', filter: '' });
    state.activate(b!.id);
    expect(state.options).toEqual({ sampleIndex: 0, trim: false, sort: 'flat', filter: '' });
  });

  it('closes profiles, activating a neighbour, then returns to the empty state', async () => {
    const engine = createFakeEngine({ 'a.pb.gz': HEAP, 'b.pb.gz': HEAP, 'c.pb.gz': HEAP });
    const state = new ProfilesState(engine);
    await state.openFiles([makeFile('a.pb.gz'), makeFile('b.pb.gz'), makeFile('c.pb.gz')]);
    const [a, b, c] = state.profiles.map((p) => p.id);
    state.activate(b!);
    state.close(b!);
    expect(state.activeId).toBe(c);
    state.close(c!);
    expect(state.activeId).toBe(a);
    state.close(a!);
    expect(state.activeId).toBeNull();
    expect(state.view).toBeNull();
    expect(state.profiles).toEqual([]);
    expect(engine.calls.filter((x) => x.method === 'close')).toHaveLength(3);
  });

  it('opens the demo from URLs relative to the page and shows heap_t3', async () => {
    const engine = createFakeEngine(Object.fromEntries(DEMO_FILES.map((f) => [f, HEAP])));
    const urls: string[] = [];
    const state = new ProfilesState(engine, {
      baseUri: () => 'https://example.test/tools/pprof-lens/index.html',
      fetch: async (url) => {
        urls.push(url.href);
        return new Response(new Uint8Array([1, 2, 3]));
      },
    });
    await state.openDemo();
    expect(urls).toEqual(DEMO_FILES.map((f) => `https://example.test/tools/pprof-lens/demo/${f}`));
    expect(state.profiles.map((p) => p.fileName)).toEqual(DEMO_FILES);
    expect(state.summary?.fileName).toBe('heap_t3.pb.gz');
    await vi.waitFor(() => expect(state.view).not.toBeNull());
    // Only the shown profile asked for a table.
    expect(engine.topRequests()).toHaveLength(1);
  });

  it('reports a demo that cannot be fetched', async () => {
    const state = new ProfilesState(createFakeEngine({}), {
      baseUri: () => 'https://example.test/',
      fetch: async () => new Response('missing', { status: 404 }),
    });
    await state.openDemo();
    expect(state.error).toMatch(/Could not fetch the demo profiles: .*404/);
    expect(state.loading).toBeNull();
  });

  it('downloads the current table as TSV', async () => {
    const engine = createFakeEngine({ 'heap.pb.gz': HEAP });
    const saved: { blob: Blob; name: string }[] = [];
    const state = new ProfilesState(engine, { saveFile: (blob, name) => saved.push({ blob, name }) });
    await state.openFiles([makeFile('heap.pb.gz')]);
    state.setSort('cum');
    await state.downloadTsv();

    expect(saved).toHaveLength(1);
    expect(saved[0]!.name).toBe('heap-inuse_space.top.tsv');
    expect(saved[0]!.blob.type).toBe('text/tab-separated-values');
    const lines = (await saved[0]!.blob.text()).trimEnd().split('\n');
    expect(lines[0]).toBe('flat\tflat_text\tflat%\tsum%\tcum\tcum_text\tcum%\tname\tinline');
    expect(lines[1]).toBe('524288\t512kB\t11.11%\t11.11%\t4718592\t4608kB\t100%\tmain.handler\t');
    expect(engine.calls.at(-1)).toMatchObject({ method: 'topTsv', request: { sort: 'cum' } });
  });

  it('marks pprof:top-drawn once per open, after the first view', async () => {
    const engine = createFakeEngine({ 'a.pb.gz': HEAP });
    const state = new ProfilesState(engine);
    await state.openFiles([makeFile('a.pb.gz')]);
    await nextFrame();
    expect(performance.getEntriesByName('pprof:top-drawn')).toHaveLength(1);
    state.setSort('cum');
    await sleep(0);
    await nextFrame();
    expect(performance.getEntriesByName('pprof:top-drawn')).toHaveLength(1);
  });
});
