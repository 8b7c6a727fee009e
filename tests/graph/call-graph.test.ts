// The call graph's trimming: residual edges and their removal rules, and the entropy order behind nodecount.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCallGraph, type CallGraph } from '../../src/graph/call-graph';
import { computeEntropyScore, sortByEntropy } from '../../src/graph/graph-order';
import { addGraphTags, buildGraphPass, buildGraphPassFromKept, createTagTable, type GraphNode, type KeptFrames } from '../../src/graph/graph-pass';
import { buildNodeMap, type NodeMap } from '../../src/graph/nodes';
import { decodeProfile } from '../../src/profile/decode';
import type { Profile } from '../../src/profile/model';
import { LEAKY } from '../helpers/fixtures';
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

describe('tags', () => {
  /** Tags of every node the plain way: each sample's labels added to each stack node once, and to its leaf. */
  function naiveTags(profile: Profile, nodes: NodeMap): Map<string, number> {
    const { samples, labels, strings } = profile;
    const out = new Map<string, number>();
    const add = (key: string, w: number) => out.set(key, (out.get(key) ?? 0) + w);
    for (let s = 0; s < samples.length; s++) {
      const w = samples.values[0]![s]!;
      if (w === 0) continue;
      const lines: string[] = [];
      const bytes: number[] = [];
      for (let l = samples.labelStart[s]!; l < samples.labelStart[s + 1]!; l++) {
        const key = strings[labels.key[l]!]!;
        if (labels.str[l] !== 0) lines.push(`${key}:${strings[labels.str[l]!]}`);
        else if (key === 'bytes') bytes.push(labels.num[l]!);
      }
      const set = lines.sort().join('\\n');
      const frames: number[] = [];
      for (let j = samples.stackStart[s + 1]! - 1; j >= samples.stackStart[s]!; j--) {
        const loc = samples.stack[j]!;
        for (let k = nodes.locNodeStart[loc + 1]! - 1; k >= nodes.locNodeStart[loc]!; k--) frames.push(nodes.locNodes[k]!);
      }
      const tag = (n: number, kind: string) => {
        if (set !== '') add(`${n}|${kind}|${set}`, w);
        for (const b of bytes) add(`${n}|${kind}|${set}|${b}`, w);
      };
      for (const n of new Set(frames)) tag(n, 'cum');
      if (frames.length > 0) tag(frames[frames.length - 1]!, 'flat');
    }
    return out;
  }

  // The (node × tag set) table and, with a limit of 0 cells, the pass grouped by tag set.
  it.each([
    ['cpu.pb.gz', undefined],
    ['heap_t3.pb.gz', undefined],
    ['goroutine_t1.pb.gz', undefined],
    ['cpu.pb.gz', 0],
    ['heap_t3.pb.gz', 0],
    ['goroutine_t1.pb.gz', 0],
  ] as const)('of %s equal the plain sums (dense cells limit %s)', async (name, denseLimit) => {
    const profile = await decodeProfile(new Uint8Array(readFileSync(`${LEAKY}${name}`)));
    const nodes = buildNodeMap(profile);
    const g = buildGraphPass(profile, nodes, 0, null);
    addGraphTags(profile, nodes, 0, g, (v) => `v${v}`, denseLimit);
    const ours = new Map<string, number>();
    for (const n of g) {
      for (const t of n.labelTags.values()) {
        if (t.cum !== 0) ours.set(`${n.id}|cum|${t.name}`, t.cum);
        if (t.flat !== 0) ours.set(`${n.id}|flat|${t.name}`, t.flat);
      }
      for (const [set, m] of n.numericTags) {
        for (const t of m.values()) {
          if (t.cum !== 0) ours.set(`${n.id}|cum|${set}|${t.value}`, t.cum);
          if (t.flat !== 0) ours.set(`${n.id}|flat|${set}|${t.value}`, t.flat);
        }
      }
    }
    const expected = new Map([...naiveTags(profile, nodes)].filter(([, v]) => v !== 0));
    expect(ours.size).toBeGreaterThan(0);
    expect(new Map([...ours].sort())).toEqual(new Map([...expected].sort()));
  });
});

describe('tags summed in the graph pass', () => {
  const tagsOf = (g: GraphNode[]) => g.map((n) => ({ id: n.id, labels: [...n.labelTags.entries()], numeric: [...n.numericTags].map(([k, m]) => [k, [...m.entries()]]) }));

  it.each(['cpu.pb.gz', 'heap_t3.pb.gz', 'goroutine_t1.pb.gz'])('equal addGraphTags on %s, nodes dropped', async (name) => {
    const profile = await decodeProfile(new Uint8Array(readFileSync(`${LEAKY}${name}`)));
    const nodes = buildNodeMap(profile);
    // Keep every other node that has samples: residual edges, and leaves that are dropped.
    const kept = new Uint8Array(nodes.length);
    for (let n = 0; n < nodes.length; n += 2) kept[n] = 1;
    const table = createTagTable(profile, nodes.length, kept, (v) => `v${v}`);
    expect(table).not.toBeNull();
    const fused = buildGraphPass(profile, nodes, 0, kept, table);
    const plain = buildGraphPass(profile, nodes, 0, kept);
    addGraphTags(profile, nodes, 0, plain, (v) => `v${v}`);
    expect(tagsOf(fused).some((t) => t.labels.length + t.numeric.length > 0)).toBe(true);
    expect(tagsOf(fused)).toEqual(tagsOf(plain));
  });

  it('gives no table when it would be too large or there are no labels', async () => {
    const profile = await decodeProfile(new Uint8Array(readFileSync(`${LEAKY}heap_t3.pb.gz`)));
    const kept = new Uint8Array(buildNodeMap(profile).length).fill(1);
    expect(createTagTable(profile, kept.length, kept, String, 1)).toBeNull();
    expect(createTagTable({ ...profile, labels: { ...profile.labels, length: 0 } }, kept.length, kept, String)).toBeNull();
  });
});

describe('second graph pass over the kept frames', () => {
  const shape = (g: GraphNode[]) =>
    g.map((n) => ({
      id: n.id,
      flat: n.flat,
      cum: n.cum,
      out: [...n.out].map((e) => [e.dest.id, e.weight, e.residual, e.inline]).sort(),
    }));

  it.each(['cpu.pb.gz', 'heap_t3.pb.gz', 'goroutine_t1.pb.gz'])('equals a full pass on %s', async (name) => {
    const profile = await decodeProfile(new Uint8Array(readFileSync(`${LEAKY}${name}`)));
    const nodes = buildNodeMap(profile);
    for (const [step1, step2] of [[2, 3], [3, 2], [1, 5]] as const) {
      const kept1 = new Uint8Array(nodes.length);
      for (let n = 0; n < nodes.length; n += step1) kept1[n] = 1;
      const recorder: { frames?: KeptFrames } = {};
      buildGraphPass(profile, nodes, 0, kept1, null, recorder);
      const kept2 = new Uint8Array(nodes.length);
      for (let n = 0; n < nodes.length; n += step1 * step2) kept2[n] = 1;
      const fromKept = buildGraphPassFromKept(profile, nodes.length, 0, recorder.frames!, kept2);
      const full = buildGraphPass(profile, nodes, 0, kept2);
      expect(fromKept.length).toBeGreaterThan(0);
      expect(shape(fromKept)).toEqual(shape(full));
    }
  });

  it('gives the edges of a pass over the samples in the order of a pass over its recorded frames, inline frames included', async () => {
    // cpu.pb.gz has inlined frames; a pass over all nodes records the frames the second pass reads.
    const profile = await decodeProfile(new Uint8Array(readFileSync(`${LEAKY}cpu.pb.gz`)));
    const nodes = buildNodeMap(profile);
    const recorder: { frames?: KeptFrames } = {};
    buildGraphPass(profile, nodes, 0, null, null, recorder);
    const kept = new Uint8Array(nodes.length);
    for (let n = 0; n < nodes.length; n += 2) kept[n] = 1;
    const order = (g: GraphNode[]) => g.map((n) => [n.id, n.flat, n.cum, [...n.out].map((e) => [e.dest.id, e.weight, e.residual, e.inline])]);
    const dense = buildGraphPass(profile, nodes, 0, kept);
    expect(dense.some((n) => [...n.out].some((e) => e.inline))).toBe(true);
    expect(order(dense)).toEqual(order(buildGraphPassFromKept(profile, nodes.length, 0, recorder.frames!, kept)));
  });
});
