// The call graph's node count in the URL: read back, written beside the view query, pprof's default left out.

import { describe, expect, it } from 'vitest';
import { formatNodeCountQuery, readNodeCountParam } from '../../src/state/graph-url';
import { GRAPH_NODE_COUNT, GraphState } from '../../src/state/graph.svelte';
import { parseViewQuery } from '../../src/state/url-options';

describe('graph node count in the URL', () => {
  it('round-trips a count; 80 (pprof default) is not written; junk reads as none', () => {
    const q = formatNodeCountQuery('v=1&layout=graph', 25);
    expect(q).toBe('v=1&layout=graph&gn=25');
    expect(readNodeCountParam(`?${q}`)).toBe(25);
    expect(formatNodeCountQuery(q, GRAPH_NODE_COUNT)).toBe('v=1&layout=graph');
    for (const bad of ['gn=0', 'gn=-3', 'gn=1e3', 'gn=abc', 'gn=12345678', '']) expect(readNodeCountParam(bad)).toBeNull();
  });

  it('is a known parameter of the view query (no "unknown parameter" notice)', () => {
    expect(parseViewQuery('?v=1&gn=40').notices).toEqual([]);
  });
});

describe('GraphState node count', () => {
  const engine = { graph: () => new Promise<never>(() => {}) };
  const layout = { layout: async () => ({ ok: true, svg: '', ms: 0 }) as const };

  it('starts from the URL count, then from the last count chosen', () => {
    const state = new GraphState(engine, layout, 30);
    expect(state.nodeCountOf('a')).toBe(30);
    state.setNodeCount('a', 12.4);
    expect(state.nodeCountOf('a')).toBe(12);
    expect(state.nodeCountOf('b')).toBe(12);
    state.setNodeCount('b', 90);
    expect(state.nodeCountOf('a')).toBe(12);
  });

  it('starts from pprof default without one', () => {
    expect(new GraphState(engine, layout).nodeCountOf('a')).toBe(GRAPH_NODE_COUNT);
  });
});
