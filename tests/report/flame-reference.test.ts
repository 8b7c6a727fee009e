// computeFlameFrames (level walk over cursors) against a naive call tree built sample by sample, on random profiles.

import { describe, expect, it } from 'vitest';
import { buildNodeMap, type NodeMap } from '../../src/graph/nodes';
import { decodeProfile } from '../../src/profile/decode';
import type { Profile } from '../../src/profile/model';
import { computeFlameFrames, type FlameFrames, type FlameOptions } from '../../src/report/flame';
import { encodeFolded } from '../helpers/folded';

interface TreeNode {
  node: number;
  value: number;
  net: number;
  self: number;
  children: Map<number, TreeNode>;
}

/** A sample's frames as nodes, root first (a location's inlined lines: outermost first). */
function nodePath(profile: Profile, nodes: NodeMap, s: number): number[] {
  const { stack, stackStart } = profile.samples;
  const out: number[] = [];
  for (let j = stackStart[s + 1]! - 1; j >= stackStart[s]!; j--) {
    const loc = stack[j]!;
    for (let k = nodes.locNodeStart[loc + 1]! - 1; k >= nodes.locNodeStart[loc]!; k--) out.push(nodes.locNodes[k]!);
  }
  return out;
}

/** The frames as the doc comment of FlameFrames defines them, from a whole call tree (Map order = first seen). */
function naiveFlame(profile: Profile, nodes: NodeMap, o: FlameOptions): FlameFrames {
  const values = profile.samples.values[o.sampleIndex]!;
  const root: TreeNode = { node: -1, value: 0, net: 0, self: 0, children: new Map() };
  for (let s = 0; s < profile.samples.length; s++) {
    const w = values[s]!;
    if (w === 0) continue;
    let rest = nodePath(profile, nodes, s);
    if (o.pivot !== undefined) {
      const i = rest.indexOf(o.pivot);
      if (i < 0) continue;
      rest = o.direction === -1 ? rest.slice(0, i).reverse() : rest.slice(i + 1);
    } else {
      const path = o.path ?? [];
      if (path.some((n, i) => rest[i] !== n)) continue;
      rest = rest.slice(path.length);
    }
    root.value += Math.abs(w);
    root.net += w;
    let t = root;
    for (const n of rest) {
      let c = t.children.get(n);
      if (!c) t.children.set(n, (c = { node: n, value: 0, net: 0, self: 0, children: new Map() }));
      c.value += Math.abs(w);
      c.net += w;
      t = c;
    }
    t.self += Math.abs(w);
  }
  const rootNode = o.pivot ?? (o.path?.length ? o.path[o.path.length - 1]! : -1);
  const cut = root.value * o.minFraction;
  const f = { node: [] as number[], parent: [] as number[], depth: [] as number[], start: [] as number[], value: [] as number[], self: [] as number[], net: [] as number[], merged: [] as number[] };
  const push = (node: number, parent: number, depth: number, start: number, value: number, self: number, net: number, merged: number) => {
    f.node.push(node);
    f.parent.push(parent);
    f.depth.push(depth);
    f.start.push(start);
    f.value.push(value);
    f.self.push(self);
    f.net.push(net);
    f.merged.push(merged);
    return f.node.length - 1;
  };
  let level: { frame: number; tree: TreeNode }[] = [{ frame: push(rootNode, -1, 0, 0, root.value, root.self, root.net, 1), tree: root }];
  for (let depth = 1; level.length > 0 && depth <= (o.maxDepth ?? Infinity); depth++) {
    const next: typeof level = [];
    for (const { frame, tree } of level) {
      const kids = [...tree.children.values()];
      const kept = kids.filter((k) => k.value >= cut && k.value !== 0).sort((a, b) => b.value - a.value);
      const merged = kids.filter((k) => !kept.includes(k));
      let x = f.start[frame]! + f.self[frame]!;
      for (const k of kept) {
        // The walk stops at maxDepth: frames there are not stepped past, so their self stays 0.
        const self = depth === o.maxDepth ? 0 : k.self;
        next.push({ frame: push(k.node, frame, depth, x, k.value, self, k.net, 1), tree: k });
        x += k.value;
      }
      if (merged.length > 0) {
        const v = merged.reduce((a, k) => a + k.value, 0);
        push(-1, frame, depth, x, v, v, merged.reduce((a, k) => a + k.net, 0), merged.length);
      }
    }
    level = next;
  }
  return { length: f.node.length, node: Int32Array.from(f.node), parent: Int32Array.from(f.parent), depth: Uint32Array.from(f.depth), start: Float64Array.from(f.start), value: Float64Array.from(f.value), self: Float64Array.from(f.self), net: Float64Array.from(f.net), merged: Uint32Array.from(f.merged) };
}

/** A seeded PRNG (mulberry32): the same random profiles on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random folded stacks over a few functions: recursion, inlined frames (`a+b`), repeated stacks, negative
 * values; `signs` 'positive' or 'negative' makes every value that sign (the walk then skips summing Σw).
 */
function randomFolded(rnd: () => number, lines: number, signs: 'mixed' | 'positive' | 'negative' = 'mixed'): string {
  const fns = ['main', 'a', 'b', 'c', 'd', 'e', 'f+g', 'g', 'h+a'];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const depth = 1 + Math.floor(rnd() * 7);
    const frames = ['main'];
    for (let d = 1; d < depth; d++) frames.push(fns[Math.floor(rnd() * fns.length)]!);
    let v = Math.floor(rnd() * 40) - (rnd() < 0.2 ? 20 : 0);
    if (signs !== 'mixed') v = (signs === 'negative' ? -1 : 1) * (Math.abs(v) + 1);
    out.push(`${frames.join(';')} ${v}`);
  }
  return out.join('\n');
}

/** Frames as comparable rows (depth-first order is not what is compared: the column order is). */
function rows(f: FlameFrames): string[] {
  return Array.from({ length: f.length }, (_, i) => `${f.node[i]} ${f.parent[i]} ${f.depth[i]} ${f.start[i]} ${f.value[i]} ${f.self[i]} ${f.net[i]} ${f.merged[i]}`);
}

describe('computeFlameFrames against a naive call tree', () => {
  for (let seed = 1; seed <= 40; seed++) {
    it(`random profile ${seed}${seed % 5 === 0 ? ', every value negative' : seed % 5 === 1 ? ', every value positive' : ''}`, async () => {
      const rnd = random(seed);
      const signs = seed % 5 === 0 ? 'negative' : seed % 5 === 1 ? 'positive' : 'mixed';
      const profile = await decodeProfile(encodeFolded(randomFolded(rnd, 5 + Math.floor(rnd() * 60), signs)));
      const nodes = buildNodeMap(profile);
      const minFraction = [0, 0.01, 0.05, 0.2][seed % 4]!;
      const pick = () => Math.floor(rnd() * nodes.length);
      const cases: FlameOptions[] = [
        { sampleIndex: 0, minFraction },
        { sampleIndex: 0, minFraction, maxDepth: 1 + (seed % 4) },
        { sampleIndex: 0, minFraction, path: [nodes.name.indexOf('main')] },
        { sampleIndex: 0, minFraction, path: [nodes.name.indexOf('main'), pick()] },
        { sampleIndex: 0, minFraction, pivot: pick(), direction: 1 },
        { sampleIndex: 0, minFraction, pivot: pick(), direction: -1 },
      ];
      for (const o of cases) expect(rows(computeFlameFrames(profile, nodes, o)), JSON.stringify(o)).toEqual(rows(naiveFlame(profile, nodes, o)));
    });
  }

  it('the reference itself tells a wrong child order apart', async () => {
    const profile = await decodeProfile(encodeFolded('main;a 1\nmain;b 2'));
    const nodes = buildNodeMap(profile);
    const f = naiveFlame(profile, nodes, { sampleIndex: 0, minFraction: 0 });
    expect(Array.from(f.node, (n) => nodes.name[n] ?? 'root')).toEqual(['root', 'main', 'b', 'a']);
    expect(Array.from(f.start)).toEqual([0, 0, 0, 2]);
  });
});
