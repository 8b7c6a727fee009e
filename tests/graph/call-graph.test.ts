// The call graph's trimming: residual edges and their removal rules, and the entropy order behind nodecount.

import { describe, expect, it } from 'vitest';
import { buildCallGraph, type CallGraph } from '../../src/graph/call-graph';
import { computeEntropyScore, sortByEntropy } from '../../src/graph/graph-order';
import { buildGraphPass, type GraphNode } from '../../src/graph/graph-pass';
import { buildNodeMap, type NodeMap } from '../../src/graph/nodes';
import { decodeProfile } from '../../src/profile/decode';
import type { Profile } from '../../src/profile/model';
import { encodeFolded } from '../helpers/folded';

const formatTag = (v: number) => String(v);

async function graphOf(folded: string, nodeFraction: number, nodeCount = 0) {
  const profile = await decodeProfile(encodeFolded(folded));
  const nodes = buildNodeMap(profile);
  const graph = buildCallGraph(profile, nodes, { sampleIndex: 0, nodeFraction, edgeFraction: 0, nodeCount, formatTag });
  return { profile, nodes, graph };
}

/** Edges as `from -> to` (`...` when residual), by function name. */
function edgesOf(graph: CallGraph, nodes: NodeMap): string[] {
  return graph.nodes.flatMap((n) => [...n.out].map((e) => `${nodes.name[e.src.id]} ${e.residual ? '...' : '->'} ${nodes.name[e.dest.id]}`)).sort();
}

const names = (list: GraphNode[], nodes: NodeMap) => list.map((n) => nodes.name[n.id]);

describe('residual edges', () => {
  // mid (cum 10) falls under the 10 % cutoff (15) while main and leaf stay.
  const base = 'main;mid;leaf 10\nmain;other 50\nroot2;leaf 90';

  it('join kept nodes across dropped ones, and count the dropped nodes', async () => {
    const { nodes, graph } = await graphOf(base, 0.1);
    expect(names(graph.nodes, nodes)).not.toContain('mid');
    expect(graph.droppedNodes).toBe(1);
    expect(edgesOf(graph, nodes)).toContain('main ... leaf');
    expect(edgesOf(graph, nodes)).not.toContain('main -> leaf');
  });

  it('are not built when nothing is dropped', async () => {
    const { nodes, graph } = await graphOf(base, 0);
    expect(edgesOf(graph, nodes).filter((e) => e.includes('...'))).toEqual([]);
    expect(edgesOf(graph, nodes)).toContain('mid -> leaf');
  });

  it('go when the caller reaches the callee through a heavier non-residual edge', async () => {
    const { nodes, graph } = await graphOf(`${base}\nmain;other;leaf 20`, 0.1);
    expect(edgesOf(graph, nodes)).toContain('other -> leaf');
    expect(edgesOf(graph, nodes)).not.toContain('main ... leaf');
  });

  it('stay when lighter non-residual edges come first (pprof stops at the first non-residual edge)', async () => {
    const { nodes, graph } = await graphOf(`${base}\nmain;other;leaf 5`, 0.1);
    // other -> leaf (5) is lighter than the residual edge (10): the walk from the lightest stops there.
    expect(edgesOf(graph, nodes)).toContain('other -> leaf');
    expect(edgesOf(graph, nodes)).toContain('main ... leaf');
  });
});

/** pprof's entropy score written out naively from its definition, for comparison. */
function naiveScore(n: GraphNode): number {
  const entropy = (weights: number[], self: number) => {
    const total = self + weights.filter((w) => w > 0).reduce((a, b) => a + b, 0);
    if (total === 0) return 0;
    let s = 0;
    for (const w of weights) s -= (w / total) * Math.log2(w / total);
    if (self > 0) s -= (self / total) * Math.log2(self / total);
    return s;
  };
  const inScore = n.in.size === 0 ? 1 : entropy([...n.in].map((e) => e.weight), 0);
  const outScore = n.out.size === 0 ? 1 : entropy([...n.out].map((e) => e.weight), n.flat);
  return Math.trunc((inScore + outScore) * n.cum) + n.flat;
}

describe('entropy order', () => {
  const folded = 'a;x;leaf 10\nb;x;leaf 10\nc;y;leaf2 20\nd;z 3\nd;z;w 1';

  async function firstGraph(text: string): Promise<{ profile: Profile; nodes: NodeMap; g: GraphNode[] }> {
    const profile = await decodeProfile(encodeFolded(text));
    const nodes = buildNodeMap(profile);
    return { profile, nodes, g: buildGraphPass(profile, nodes, 0, null) };
  }

  it('scores every node as its definition says', async () => {
    const { g } = await firstGraph(folded);
    for (const n of g) expect(Number(computeEntropyScore(n))).toBe(naiveScore(n));
  });

  it('puts a node whose callers spread before a fall-through node of the same cum', async () => {
    const { nodes, g } = await firstGraph(folded);
    const order = names(sortByEntropy(g, nodes.name, nodes.info), nodes);
    expect(order.indexOf('x')).toBeLessThan(order.indexOf('y'));
  });

  it('is what -nodecount keeps, not the cum order', async () => {
    const { nodes, g } = await firstGraph(folded);
    const entropyFirst = names(sortByEntropy([...g], nodes.name, nodes.info), nodes).slice(0, 3);
    const cumFirst = names([...g].sort((p, q) => Math.abs(q.cum) - Math.abs(p.cum) || (nodes.name[p.id]! < nodes.name[q.id]! ? -1 : 1)), nodes).slice(0, 3);
    expect(entropyFirst).not.toEqual(cumFirst);
    const { nodes: n2, graph } = await graphOf(folded, 0, 3);
    expect(names(graph.nodes, n2).sort()).toEqual([...entropyFirst].sort());
    expect(graph.origCount).toBe(g.length);
  });
});
