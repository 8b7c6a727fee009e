// The call graph state: one engine request and one layout per option set, stale replies dropped, errors kept per options.

import { describe, expect, it } from 'vitest';
import type { GraphRequest, GraphView } from '../../src/engine-client/client';
import { GRAPH_EDGE_FRACTION, GRAPH_NODE_COUNT, GRAPH_NODE_FRACTION, GraphState } from '../../src/state/graph.svelte';

function graphView(dot: string): GraphView {
  return { dot, nodes: [], edges: [], isDiff: false, sampleUnit: 'bytes', computeMs: 0 };
}

/** An engine whose replies wait for `release(i)`, and a layout that wraps the DOT in fake SVG. */
function fakes() {
  const requests: GraphRequest[] = [];
  const waiting: (() => void)[] = [];
  const engine = {
    graph: (_id: string, request: GraphRequest) =>
      new Promise<GraphView>((resolve) => {
        requests.push(request);
        waiting.push(() => resolve(graphView(`digraph { n${request.nodeCount} }`)));
      }),
  };
  const layouts: string[] = [];
  const layout = {
    layout: async (dot: string) => {
      layouts.push(dot);
      return dot.includes('bad') ? ({ ok: false, error: 'Graphviz could not lay out the graph: bad' } as const) : ({ ok: true, svg: `<svg>${dot}</svg>`, ms: 1 } as const);
    },
  };
  return { engine, layout, requests, layouts, release: (i: number) => waiting[i]!() };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('GraphState', () => {
  it('asks for pprof defaults, lays the DOT out and keeps it under its options', async () => {
    const f = fakes();
    const state = new GraphState(f.engine, f.layout);
    const done = state.load('p1', 2, { focus: 'main' });
    expect(state.isLoading('p1', 2, { focus: 'main' })).toBe(true);
    f.release(0);
    await done;
    expect(f.requests).toEqual([{ focus: 'main', sampleIndex: 2, nodeCount: GRAPH_NODE_COUNT, nodeFraction: GRAPH_NODE_FRACTION, edgeFraction: GRAPH_EDGE_FRACTION }]);
    expect(state.graphOf('p1', 2, { focus: 'main' })?.svg).toBe('<svg>digraph { n80 }</svg>');
    expect(state.graphOf('p1', 2, {})).toBeNull();
    expect(state.isLoading('p1', 2, { focus: 'main' })).toBe(false);
    // Loading the same options again asks nothing.
    await state.load('p1', 2, { focus: 'main' });
    expect(f.requests).toHaveLength(1);
  });

  it('drops a reply that arrives after newer options were asked for, and keeps the last graph meanwhile', async () => {
    const f = fakes();
    const state = new GraphState(f.engine, f.layout);
    const first = state.load('p1', 0, {});
    state.setNodeCount('p1', 20);
    const second = state.load('p1', 0, {});
    f.release(1);
    await second;
    f.release(0);
    await first;
    await flush();
    expect(f.layouts).toEqual(['digraph { n20 }']);
    expect(state.graphOf('p1', 0, {})?.graph.dot).toBe('digraph { n20 }');
    state.setNodeCount('p1', 30);
    expect(state.graphOf('p1', 0, {})).toBeNull();
    expect(state.lastGraphOf('p1')?.graph.dot).toBe('digraph { n20 }');
    expect(state.lastGraphOf('p2')).toBeNull();
  });

  it('keeps a layout error or an engine failure under the options that caused it', async () => {
    const f = fakes();
    const bad = { graph: async () => graphView('digraph { bad') };
    const state = new GraphState(bad, f.layout);
    await state.load('p1', 0, {});
    expect(state.errorOf('p1', 0, {})).toBe('Graphviz could not lay out the graph: bad');
    expect(state.errorOf('p1', 1, {})).toBeNull();
    const failing = new GraphState({ graph: async () => Promise.reject(new Error('Unknown profile p9')) }, f.layout);
    await failing.load('p9', 0, {});
    expect(failing.errorOf('p9', 0, {})).toBe('Could not build the call graph: Unknown profile p9');
  });

  it('clamps the node count and forgets a closed profile', async () => {
    const f = fakes();
    const state = new GraphState(f.engine, f.layout);
    state.setNodeCount('p1', 0);
    expect(state.nodeCountOf('p1')).toBe(1);
    state.setNodeCount('p1', 12.6);
    expect(state.nodeCountOf('p1')).toBe(13);
    const done = state.load('p1', 0, {});
    f.release(0);
    await done;
    state.forget('p1');
    // Its own count is gone: it reads the count last chosen for any profile.
    state.setNodeCount('p2', 40);
    expect(state.nodeCountOf('p1')).toBe(40);
    expect(state.lastGraphOf('p1')).toBeNull();
  });
});

describe('GraphState after a failure', () => {
  it('does not ask again for options that failed until they change', async () => {
    let calls = 0;
    const state = new GraphState({ graph: async () => (calls++, Promise.reject(new Error('boom'))) }, { layout: async () => ({ ok: true, svg: '', ms: 0 }) });
    await state.load('p1', 0, {});
    await state.load('p1', 0, {});
    expect(calls).toBe(1);
    state.setNodeCount('p1', 10);
    await state.load('p1', 0, {});
    expect(calls).toBe(2);
  });
});
