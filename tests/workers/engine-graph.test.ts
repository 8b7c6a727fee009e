// The engine's call graph: pprof's DOT for an open profile, -diff_base against another, refine, caching.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphRequest, GraphView } from '../../workers/protocol';
import { LEAKY } from '../helpers/fixtures';
import { openInEngine } from '../helpers/open-engine';

const oracle = (name: string) => readFileSync(join(LEAKY, 'options', name), 'utf8');

const openAll = openInEngine;

const inuse: GraphRequest = { sampleIndex: 3, nodeFraction: 0.005, edgeFraction: 0.001 };

/** Every call-graph node line of the DOT text has its node info, and every edge joins listed nodes. */
function expectConsistent(view: GraphView) {
  const ids = new Set(view.nodes.map((n) => n.dotId));
  expect(ids.size).toBe(view.nodes.length);
  const dotNodes = [...view.dot.matchAll(/^(N+\d+(?:_\d+)*) \[/gm)].map((m) => m[1]);
  expect(dotNodes.sort()).toEqual([...ids].sort());
  const dotEdges = [...view.dot.matchAll(/^(N+[\d_]+) -> (N+[\d_]+) \[/gm)].map((m) => `${m[1]}>${m[2]}`);
  expect(dotEdges.sort()).toEqual(view.edges.map((e) => `${e.from}>${e.to}`).sort());
  for (const e of view.edges) {
    expect(ids.has(e.from)).toBe(true);
    expect(ids.has(e.to)).toBe(true);
  }
}

describe('engine graph', () => {
  it('answers pprof\'s -dot for an open profile, with its nodes and edges as data', async () => {
    const { engine, ids } = await openAll('heap_t3.pb.gz');
    const view = engine.graph(ids[0]!, inuse);
    expect(view.dot).toBe(oracle('heap_t3.inuse_space.dot.txt'));
    expect(view.isDiff).toBe(false);
    expect(view.sampleUnit).toBe('bytes');
    expect(view.nodes.some((n) => n.isTag && n.dotId.startsWith('NN'))).toBe(true);
    expect(view.edges.some((e) => e.residual)).toBe(true);
    expect(view.edges.some((e) => e.inline)).toBe(true);
    expectConsistent(view);
  });

  it('takes nodeCount 0 as pprof\'s 80 and caches replies', async () => {
    const { engine, ids } = await openAll('cpu.pb.gz');
    const a = engine.graph(ids[0]!, { sampleIndex: 1, nodeFraction: 0.005, edgeFraction: 0.001, nodeCount: 0 });
    expect(a.dot).toBe(oracle('cpu.dot.txt'));
    // Label-set tag nodes name their labels one a line; call-graph nodes carry their function's file.
    const labelTag = a.nodes.find((n) => n.isTag)!;
    expect(labelTag.name.split('\n').length).toBeGreaterThan(1);
    expect(a.dot).toContain(`label = "${labelTag.name.replaceAll('\n', '\\n')}"`);
    expect(a.nodes.filter((n) => !n.isTag).every((n) => /\.(go|s)$/.test(n.file))).toBe(true);
    const b = engine.graph(ids[0]!, { sampleIndex: 1, nodeFraction: 0.005, edgeFraction: 0.001, nodeCount: 80 });
    expect(b.dot).toBe(a.dot);
    const c = engine.graph(ids[0]!, { sampleIndex: 1, nodeFraction: 0.005, edgeFraction: 0.001, nodeCount: 30 });
    expect(c.dot).toBe(oracle('cpu.dot-nodecount30.txt'));
    expect(engine.graph(ids[0]!, { sampleIndex: 1, nodeFraction: 0.005, edgeFraction: 0.001 }).nodes).toBe(a.nodes);
  });

  it('draws -diff_base against another open profile, and forgets it when that profile closes', async () => {
    const { engine, ids } = await openAll('heap_t3.pb.gz', 'heap_t0.pb.gz');
    const view = engine.graph(ids[0]!, { ...inuse, sampleIndex: 1, diffBaseId: ids[1] });
    expect(view.dot).toBe(oracle('heap_t3-vs-t0.alloc_space.diff_base.dot.txt'));
    expect(view.isDiff).toBe(true);
    engine.close(ids[1]!);
    expect(() => engine.graph(ids[0]!, { ...inuse, sampleIndex: 1, diffBaseId: ids[1] })).toThrow(/No open profile/);
  });

  it('forgets graphs of a closed base even after its merge left the cache', async () => {
    const { engine, ids } = await openAll('heap_t3.pb.gz', 'heap_t0.pb.gz', 'heap_t1.pb.gz', 'heap_t2.pb.gz');
    for (const base of ids.slice(1)) engine.graph(ids[0]!, { ...inuse, diffBaseId: base });
    engine.close(ids[1]!);
    expect(() => engine.graph(ids[0]!, { ...inuse, diffBaseId: ids[1] })).toThrow(/No open profile/);
    expect(engine.graph(ids[0]!, { ...inuse, diffBaseId: ids[3] }).isDiff).toBe(true);
  });

  it('applies refine options as the top table does', async () => {
    const { engine, ids } = await openAll('heap_t3.pb.gz');
    const focused = engine.graph(ids[0]!, { ...inuse, focus: 'json' });
    expect(focused.dot).toContain('Active filters:\\l   focus=json\\l');
    expect(focused.nodes.filter((n) => !n.isTag).length).toBeLessThan(engine.graph(ids[0]!, inuse).nodes.filter((n) => !n.isTag).length);
    expectConsistent(focused);
    expect(engine.graph(ids[0]!, { ...inuse, ignore: 'no-such-function' }).notices).toEqual(['Ignore expression matched no samples']);
    const top = () => engine.top(ids[0]!, { ...inuse, sort: 'flat', filter: '', focus: '(' });
    expect(top).toThrow();
    expect(() => engine.graph(ids[0]!, { ...inuse, focus: '(' })).toThrow();
  });
});
