// LabelsState: the panel's open state and the -tags report of the latest request only.

import { describe, expect, it } from 'vitest';
import type { TagsRequest, TagsView } from '../../src/engine-client/client';
import { LabelsState } from '../../src/state/labels.svelte';

function view(sampleType: string): TagsView {
  return { sampleType, sampleUnit: 'count', keys: [], text: [], computeMs: 0 };
}

/** An engine whose replies wait until released, in any order. */
function heldEngine() {
  const pending: { request: TagsRequest; resolve: (v: TagsView) => void; reject: (e: Error) => void }[] = [];
  return {
    pending,
    engine: {
      tags: (_id: string, request: TagsRequest) => new Promise<TagsView>((resolve, reject) => pending.push({ request, resolve, reject })),
    },
  };
}

describe('LabelsState', () => {
  it('toggles the panel', () => {
    const labels = new LabelsState(heldEngine().engine);
    expect(labels.open).toBe(false);
    labels.toggle();
    expect(labels.open).toBe(true);
    labels.toggle(false);
    expect(labels.open).toBe(false);
  });

  it('keeps only the latest request\'s reply, and the previous report while the next loads', async () => {
    const { engine, pending } = heldEngine();
    const labels = new LabelsState(engine);
    const first = labels.load('p1', { sampleIndex: 0 });
    const second = labels.load('p1', { sampleIndex: 0, tagFocus: 'a=^b$' });
    expect(labels.isLoading('p1', { sampleIndex: 0, tagFocus: 'a=^b$' })).toBe(true);
    // The newer reply first, then the older one late: the older one is dropped.
    pending[1]!.resolve(view('focused'));
    await second;
    pending[0]!.resolve(view('all'));
    await first;
    expect(labels.viewOf('p1')?.sampleType).toBe('focused');
    expect(labels.viewOf('p2')).toBeNull();
    expect(labels.isLoading('p1', { tagFocus: 'a=^b$', sampleIndex: 0 })).toBe(false);

    // The same request again asks nothing; a failing one keeps the last report and says why.
    await labels.load('p1', { tagFocus: 'a=^b$', sampleIndex: 0 });
    expect(pending).toHaveLength(2);
    const failing = labels.load('p1', { sampleIndex: 1 });
    pending[2]!.reject(new Error('No open profile p1'));
    await failing;
    expect(labels.errorOf('p1')).toBe('No open profile p1');
    expect(labels.viewOf('p1')?.sampleType).toBe('focused');
  });
});
