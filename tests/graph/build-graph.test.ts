// The fast graph code against a naive transcription of pprof's graph.New / newTrimmedGraph, plus table cases.

import { describe, expect, it } from 'vitest';
import { buildNodeMap, type NodeMap } from '../../src/graph/nodes';
import { buildTrimmedGraph } from '../../src/graph/trim';
import { buildNodeSums, createNodeSumsBuilder } from '../../src/graph/build-graph';
import { decodeProfile } from '../../src/profile/decode';
import type { Profile } from '../../src/profile/model';
import { encodeFolded, randomFolded } from '../helpers/folded';

interface NaiveNode {
  flat: number;
  cum: number;
  inEdges: Map<number, { weight: number; inline: boolean }>;
}

/** pprof's algorithm, written plainly with maps (slow, obviously right). */
function naiveGraph(profile: Profile, nodes: NodeMap, sampleIndex: number, kept: Set<number> | null) {
  const g = new Map<number, NaiveNode>();
  const node = (n: number) => {
    let x = g.get(n);
    if (!x) g.set(n, (x = { flat: 0, cum: 0, inEdges: new Map() }));
    return x;
  };
  const { samples } = profile;
  for (let s = 0; s < samples.length; s++) {
    const w = samples.values[sampleIndex]![s]!;
    if (w === 0) continue;
    const seenNode = new Set<number>();
    const seenEdge = new Set<string>();
    let parent = -1;
    let residual = false;
    for (let j = samples.stackStart[s + 1]! - 1; j >= samples.stackStart[s]!; j--) {
      const loc = samples.stack[j]!;
      const frames = Array.from(nodes.locNodes.subarray(nodes.locNodeStart[loc], nodes.locNodeStart[loc + 1]));
      for (let k = frames.length - 1; k >= 0; k--) {
        const n = frames[k]!;
        if (kept && !kept.has(n)) {
          residual = true;
          continue;
        }
        if (!seenNode.has(n)) {
          seenNode.add(n);
          node(n).cum += w;
        }
        const key = `${parent}>${n}`;
        if (!seenEdge.has(key) && parent >= 0 && n !== parent) {
          seenEdge.add(key);
          const e = node(n).inEdges.get(parent);
          const inline = k !== frames.length - 1;
          if (e) {
            e.weight += w;
            if (!inline) e.inline = false;
          } else node(n).inEdges.set(parent, { weight: w, inline });
        }
        parent = n;
        residual = false;
      }
    }
    if (parent >= 0 && !residual) node(parent).flat += w;
  }
  for (const [n, x] of g) if (x.flat === 0 && x.cum === 0) g.delete(n);
  return g;
}

function naiveTrimmed(profile: Profile, nodes: NodeMap, sampleIndex: number, nodeFraction: number, edgeFraction: number) {
  let g = naiveGraph(profile, nodes, sampleIndex, null);
  let total = 0;
  for (const x of g.values()) total += x.flat;
  const nodeCutoff = Math.abs(Math.trunc(total * nodeFraction));
  const edgeCutoff = Math.abs(Math.trunc(total * edgeFraction));
  let dropped = 0;
  if (nodeCutoff > 0) {
    const kept = new Set([...g].filter(([, x]) => Math.abs(x.cum) >= nodeCutoff).map(([n]) => n));
    dropped = g.size - kept.size;
    g = naiveGraph(profile, nodes, sampleIndex, kept);
  }
  const marker = new Map<number, number>();
  for (const [n, x] of g) {
    let bits = 0;
    for (const e of x.inEdges.values()) if (Math.abs(e.weight) >= edgeCutoff) bits |= e.inline ? 1 : 2;
    marker.set(n, bits);
  }
  return { g, dropped, marker };
}

describe('buildTrimmedGraph equals the naive pprof algorithm', () => {
  const fractions: [number, number][] = [
    [0, 0],
    [0, 0.001],
    [0.005, 0.001],
    [0.05, 0.02],
    [0.2, 0.1],
  ];
  for (let seed = 1; seed <= 40; seed++) {
    it(`random profile ${seed}`, async () => {
      const profile = await decodeProfile(encodeFolded(randomFolded(seed, seed % 3 === 0), { sampleTypes: ['a/count', 'b/bytes'] }));
      const nodes = buildNodeMap(profile);
      for (const sampleIndex of [0, 1]) {
        for (const [nodeFraction, edgeFraction] of fractions) {
          const options = { sampleIndex, nodeFraction, edgeFraction, sort: 'flat' as const };
          const fast = buildTrimmedGraph(profile, nodes, options);
          expect(buildTrimmedGraph(profile, nodes, options, buildNodeSums(profile, nodes, sampleIndex))).toEqual(fast);
          const slow = naiveTrimmed(profile, nodes, sampleIndex, nodeFraction, edgeFraction);
          expect(fast.droppedNodes).toBe(slow.dropped);
          expect(new Set(fast.order)).toEqual(new Set(slow.g.keys()));
          for (const n of fast.order) {
            expect(fast.flat[n]).toBe(slow.g.get(n)!.flat);
            expect(fast.cum[n]).toBe(slow.g.get(n)!.cum);
            expect(fast.inEdges[n], `marker of ${nodes.name[n]}`).toBe(slow.marker.get(n));
          }
        }
      }
    });
  }
});

describe('node sums, by example', () => {
  const cases: [string, string, Record<string, [number, number]>][] = [
    ['flat goes to the leaf, cum to every frame', 'main;a;b 5\nmain;a 2', { main: [0, 7], a: [2, 7], b: [5, 5] }],
    ['recursion counts cum once per sample', 'main;a;a;a 4', { main: [0, 4], a: [4, 4] }],
    ['inlined lines are frames of their own', 'main;a+b 3', { main: [0, 3], a: [0, 3], b: [3, 3] }],
    ['negative values (a diff) sum signed', 'main;a 5\nmain;a -8', { main: [0, -3], a: [-3, -3] }],
  ];
  it.each(cases)('%s', async (_name, folded, expected) => {
    const profile = await decodeProfile(encodeFolded(folded));
    const nodes = buildNodeMap(profile);
    const g = buildTrimmedGraph(profile, nodes, { sampleIndex: 0, nodeFraction: 0, edgeFraction: 0, sort: 'flat' });
    const got: Record<string, [number, number]> = {};
    for (const n of g.order) got[nodes.name[n]!] = [g.flat[n]!, g.cum[n]!];
    expect(got).toEqual(expected);
  });

  it('marks a function only ever inlined as inline, and one also called as partial-inline', async () => {
    const profile = await decodeProfile(encodeFolded('main;a+b 3\nmain;c+d 2\nmain;d 1'));
    const nodes = buildNodeMap(profile);
    const g = buildTrimmedGraph(profile, nodes, { sampleIndex: 0, nodeFraction: 0, edgeFraction: 0, sort: 'flat' });
    const marker = (name: string) => g.inEdges[nodes.name.indexOf(name)];
    expect(marker('b')).toBe(1);
    expect(marker('d')).toBe(3);
    expect(marker('a')).toBe(0);
  });

  it('cuts stacks at drop_frames as pprof does', async () => {
    const profile = await decodeProfile(encodeFolded('main;malloc;inner 5\nmain;work 3', { dropFrames: 'malloc' }));
    const nodes = buildNodeMap(profile);
    const g = buildTrimmedGraph(profile, nodes, { sampleIndex: 0, nodeFraction: 0, edgeFraction: 0, sort: 'flat' });
    const names = Array.from(g.order, (n) => nodes.name[n]);
    expect(names).toEqual(['main', 'work']);
    expect(g.flat[nodes.name.indexOf('main')]).toBe(5);
  });
});

describe('node sums in idle steps', () => {
  for (const seed of [3, 7, 12]) {
    it(`equal one pass on random profile ${seed}, whatever the step size`, async () => {
      const profile = await decodeProfile(encodeFolded(randomFolded(seed, true), { sampleTypes: ['a/count', 'b/bytes'] }));
      const nodes = buildNodeMap(profile);
      const whole = buildNodeSums(profile, nodes, 1);
      for (const count of [1, 3, 1000]) {
        const builder = createNodeSumsBuilder(profile, nodes, 1);
        let steps = 0;
        while (!builder.step(count)) steps++;
        expect(steps).toBe(Math.ceil(profile.samples.length / count) - 1);
        expect(builder.finish()).toEqual(whole);
      }
      // Finishing part way sums the rest.
      const half = createNodeSumsBuilder(profile, nodes, 1);
      half.step(Math.floor(profile.samples.length / 2));
      expect(half.finish()).toEqual(whole);
    });
  }
});
