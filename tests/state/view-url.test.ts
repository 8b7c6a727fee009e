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
});
