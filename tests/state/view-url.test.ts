// @vitest-environment happy-dom
// The view in the URL: written on every change of the active profile's options, read once at start.

import { describe, expect, it } from 'vitest';
import { ProfilesState } from '../../src/state/profiles.svelte';
import { ViewUrlState } from '../../src/state/view-url.svelte';
import { createFakeEngine, HEAP, makeFile } from '../views/fake-engine';

function createUrl(search: string) {
  const url = { search, writes: [] as string[] };
  return {
    url,
    deps: {
      search: () => url.search,
      replaceQuery: (q: string) => {
        url.search = `?${q}`;
        url.writes.push(q);
      },
    },
  };
}

/** A fake session history: entries, the current index, push/replace, and back() as the browser's Back does. */
function createHistory() {
  const h = { entries: [''], index: 0 };
  const deps = {
    search: () => h.entries[h.index]!,
    replaceQuery: (q: string) => void (h.entries[h.index] = `?${q}`),
    pushQuery: (q: string) => {
      h.entries.splice(h.index + 1, Infinity, `?${q}`);
      h.index++;
    },
  };
  return { h, deps, back: () => void (h.index = Math.max(0, h.index - 1)), forward: () => void (h.index = Math.min(h.entries.length - 1, h.index + 1)) };
}

describe('ViewUrlState', () => {
  it('applies a link without a snapshot to the next profile opened, as the whole view', async () => {
    const engine = createFakeEngine({ 'heap.pb.gz': HEAP });
    const profiles = new ProfilesState(engine);
    const { url, deps } = createUrl(`?v=1&si=${HEAP.sampleTypes[0]!.type}&f=main&g=lines&sort=cum&bogus=1`);
    const viewUrl = new ViewUrlState(profiles, null, deps);
    await viewUrl.restore();
    expect(viewUrl.notices).toEqual(['Ignored the unknown link parameter “bogus”.']);

    await profiles.openFiles([makeFile('heap.pb.gz')]);
    viewUrl.write();
    expect(profiles.options).toEqual({ sampleIndex: 0, trim: true, sort: 'cum', filter: '', focus: 'main', granularity: 'lines' });
    await Promise.resolve();
    expect(engine.topRequests().at(-1)).toMatchObject({ sampleIndex: 0, sort: 'cum', focus: 'main', granularity: 'lines' });

    // Every later change is written back, with pprof's names.
    viewUrl.write();
    profiles.setOptions({ ignore: '^runtime\\.', focus: '' });
    viewUrl.write();
    const q = new URLSearchParams(url.search);
    expect(q.get('i')).toBe('^runtime\\.');
    expect(q.get('f')).toBeNull();
    expect(q.get('g')).toBe('lines');
    profiles.dispose();
  });

  it('reads nothing from a URL without a view and writes the view once a profile is open', async () => {
    const profiles = new ProfilesState(createFakeEngine({ 'heap.pb.gz': HEAP }));
    const { url, deps } = createUrl('');
    const viewUrl = new ViewUrlState(profiles, null, deps);
    await viewUrl.restore();
    viewUrl.write();
    expect(url.writes).toEqual([]);
    await profiles.openFiles([makeFile('heap.pb.gz')]);
    viewUrl.write();
    expect(url.search).toBe(`?v=1&si=${HEAP.sampleTypes[HEAP.defaultSampleIndex ?? 0]!.type}`);
    profiles.dispose();
  });

  it('pushes a history entry per refine step, replaces it for the rest, and restores a view on Back', async () => {
    const engine = createFakeEngine({ 'heap.pb.gz': HEAP });
    const profiles = new ProfilesState(engine);
    const { h, deps, back, forward } = createHistory();
    const viewUrl = new ViewUrlState(profiles, null, deps);
    await viewUrl.restore();
    await profiles.openFiles([makeFile('heap.pb.gz')]);
    viewUrl.write();
    // Opening a profile replaces the entry the page had.
    expect(h.entries).toEqual(['?v=1&si=inuse_space']);

    profiles.setOptions({ tagFocus: 'handler=^/api/orders$' });
    viewUrl.write();
    profiles.setFilter('json');
    viewUrl.write();
    profiles.setSort('cum');
    viewUrl.write();
    profiles.setSampleIndex(0);
    viewUrl.write();
    profiles.setOptions({ granularity: 'lines' });
    viewUrl.write();
    expect(h.entries).toEqual([
      '?v=1&si=inuse_space',
      // The search text and the sort changed the entry of the tagfocus step; they are no step of their own.
      '?v=1&si=inuse_space&tf=handler%3D%5E%2Fapi%2Forders%24&sort=cum&search=json',
      '?v=1&si=alloc_space&tf=handler%3D%5E%2Fapi%2Forders%24&sort=cum&search=json',
      '?v=1&si=alloc_space&tf=handler%3D%5E%2Fapi%2Forders%24&g=lines&sort=cum&search=json',
    ]);

    // Back (popstate) restores the previous entry's view as a whole, and writes nothing.
    back();
    await viewUrl.restore();
    viewUrl.write();
    expect(profiles.options).toEqual({ sampleIndex: 0, trim: true, sort: 'cum', filter: 'json', tagFocus: 'handler=^/api/orders$' });
    await Promise.resolve();
    expect(engine.topRequests().at(-1)).toMatchObject({ sampleIndex: 0, tagFocus: 'handler=^/api/orders$' });
    expect(engine.topRequests().at(-1)!.granularity).toBeUndefined();
    back();
    back();
    await viewUrl.restore();
    viewUrl.write();
    expect(profiles.options).toEqual({ sampleIndex: 1, trim: true, sort: 'flat', filter: '' });
    expect(h.entries).toHaveLength(4);
    forward();
    await viewUrl.restore();
    viewUrl.write();
    expect(profiles.options?.tagFocus).toBe('handler=^/api/orders$');
    expect(h.entries).toHaveLength(4);
    profiles.dispose();
  });
});
