// The flame graph's call tree and frames: widths equal cum, recursion, pprof's child order, merged tiny boxes.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildNodeSums } from '../../src/graph/build-graph';
import { buildNodeMap } from '../../src/graph/nodes';
import { decodeProfile } from '../../src/profile/decode';
import { findDefaultSampleIndex } from '../../src/profile/model';
import { computeFlameFrames, computeFlameMatches, hasFunctionInTwoFiles, type FlameFrames } from '../../src/report/flame';
import { encodeFolded } from '../helpers/folded';
import { LEAKY } from '../helpers/fixtures';

async function flameOf(folded: string, minFraction = 0) {
  const profile = await decodeProfile(encodeFolded(folded));
  const nodes = buildNodeMap(profile);
  return { profile, nodes, frames: computeFlameFrames(profile, nodes, { sampleIndex: 0, minFraction }) };
}

const nameOf = (f: FlameFrames, names: string[], i: number) => (f.node[i]! >= 0 ? names[f.node[i]!]! : i === 0 ? 'root' : 'other');

/** Σ width of each function's outermost boxes (no ancestor box of the same function). */
function outermostWidths(f: FlameFrames): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < f.length; i++) {
    const n = f.node[i]!;
    if (n < 0) continue;
    let nested = false;
    for (let p = f.parent[i]!; p >= 0; p = f.parent[p]!) if (f.node[p] === n) nested = true;
    if (!nested) out.set(n, (out.get(n) ?? 0) + f.value[i]!);
  }
  return out;
}

describe('buildCallTree / computeFlameFrames', () => {
  it('gives each function boxes whose widths add up to its cum, under recursion too', async () => {
    const { profile, nodes, frames } = await flameOf('main;a;a;b 5\nmain;a;b;a 3\nmain;c 2\nmain 1\nmain;b 4');
    const sums = buildNodeSums(profile, nodes, 0);
    const widths = outermostWidths(frames);
    for (let n = 0; n < nodes.length; n++) expect(widths.get(n), nodes.name[n]).toBe(sums.cum[n]);
    expect(frames.value[0]).toBe(15);
  });

  it('orders children by decreasing value, ties by first occurrence, and leaves the self gap on the left', async () => {
    const { nodes, frames } = await flameOf('main;x 1\nmain;b 2\nmain;a 2\nmain;c 7\nmain 3');
    const main = 1;
    expect(nameOf(frames, nodes.name, main)).toBe('main');
    const kids = [];
    for (let i = 0; i < frames.length; i++) if (frames.parent[i] === main) kids.push(i);
    expect(kids.map((i) => nameOf(frames, nodes.name, i))).toEqual(['c', 'b', 'a', 'x']);
    expect(frames.start[kids[0]!]).toBe(frames.start[main]! + 3);
    for (let k = 1; k < kids.length; k++) expect(frames.start[kids[k]!]).toBe(frames.start[kids[k - 1]!]! + frames.value[kids[k - 1]!]!);
  });

  it('merges boxes under the cut-off into one "other" per parent, keeping the parent total', async () => {
    const lines = ['main;big 1000'];
    for (let i = 0; i < 50; i++) lines.push(`main;tiny${i} 1`);
    const { frames } = await flameOf(lines.join('\n'), 0.01);
    const main = 1;
    const kids = [];
    for (let i = 0; i < frames.length; i++) if (frames.parent[i] === main) kids.push(i);
    expect(kids).toHaveLength(2);
    const other = kids[1]!;
    expect(frames.node[other]).toBe(-1);
    expect(frames.merged[other]).toBe(50);
    expect(frames.value[other]).toBe(50);
    expect(kids.reduce((s, i) => s + frames.value[i]!, 0) + frames.self[main]!).toBe(frames.value[main]);
  });

  it('zooms into a call-tree path: depths and starts relative to it', async () => {
    const { profile, nodes } = await flameOf('main;a;b 5\nmain;a;c 3\nmain;d 2\nmain;x;a 4');
    const id = (n: string) => nodes.name.indexOf(n);
    const sub = computeFlameFrames(profile, nodes, { sampleIndex: 0, minFraction: 0, path: [id('main'), id('a')] });
    expect(Array.from(sub.node)).toEqual([id('a'), id('b'), id('c')]);
    expect(Array.from(sub.depth)).toEqual([0, 1, 1]);
    expect(Array.from(sub.start)).toEqual([0, 0, 5]);
    expect(sub.value[0]).toBe(8);
  });

  it('sandwich: callees and callers of a pivot from its outermost occurrence', async () => {
    const { profile, nodes } = await flameOf('main;a;b 5\nmain;x;a;a;c 3\nmain;d 2');
    const id = (n: string) => nodes.name.indexOf(n);
    const down = computeFlameFrames(profile, nodes, { sampleIndex: 0, minFraction: 0, pivot: id('a'), direction: 1 });
    expect(down.value[0]).toBe(8);
    expect(Array.from(down.node).map((n) => nodes.name[n])).toEqual(['a', 'b', 'a', 'c']);
    const up = computeFlameFrames(profile, nodes, { sampleIndex: 0, minFraction: 0, pivot: id('a'), direction: -1 });
    expect(Array.from(up.node).map((n) => nodes.name[n])).toEqual(['a', 'main', 'x', 'main']);
    expect(Array.from(up.value)).toEqual([8, 5, 3, 3]);
  });

  it('counts a search match once per sample', async () => {
    const { profile, nodes } = await flameOf('main;json;json 5\nmain;a;json 3\nmain;b 2');
    const m = computeFlameMatches(profile, nodes, 0, /json/);
    expect(m.value).toBe(8);
    expect(m.nodes[nodes.name.indexOf('json')]).toBe(1);
  });

  it('a search matching one node takes its cum when every value has one sign, exactly as the pass over the stacks', async () => {
    const profile = await decodeProfile(new Uint8Array(readFileSync(`${LEAKY}heap_t3.pb.gz`)));
    const nodes = buildNodeMap(profile);
    for (let si = 0; si < profile.sampleTypes.length; si++) {
      const { cum } = buildNodeSums(profile, nodes, si);
      for (let n = 0; n < nodes.length; n++) {
        const exact = new RegExp(`^${nodes.name[n]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
        expect(computeFlameMatches(profile, nodes, si, exact, cum).value, nodes.name[n]).toBe(computeFlameMatches(profile, nodes, si, exact).value);
      }
    }
  });

  it('a search over values of both signs (a diff) sums |w| per sample, not |cum|', async () => {
    const { profile, nodes } = await flameOf('main;json 5\nmain;b;json -3\nmain;b 2');
    const { cum } = buildNodeSums(profile, nodes, 0);
    expect(cum[nodes.name.indexOf('json')]).toBe(2);
    expect(computeFlameMatches(profile, nodes, 0, /json/, cum).value).toBe(8);
    expect(computeFlameMatches(profile, nodes, 0, /json|b/, cum).value).toBe(10);
    expect(computeFlameMatches(profile, nodes, 0, /nothing/, cum).value).toBe(0);
  });

  it('on heap_t3, the root is the total and leakyMiddleware.func1 boxes add up to its cum in the oracle', async () => {
    const profile = await decodeProfile(new Uint8Array(readFileSync(`${LEAKY}heap_t3.pb.gz`)));
    const nodes = buildNodeMap(profile);
    const si = findDefaultSampleIndex(profile);
    const frames = computeFlameFrames(profile, nodes, { sampleIndex: si, minFraction: 0 });
    const sums = buildNodeSums(profile, nodes, si);
    const widths = outermostWidths(frames);
    for (let n = 0; n < nodes.length; n++) expect(widths.get(n) ?? 0).toBe(Math.abs(sums.cum[n]!));
    // The oracle's cum of main.leakyMiddleware.func1 in bytes.
    const row = readFileSync(`${LEAKY}heap_t3.inuse_space.top-all.txt`, 'utf8').split('\n').find((l) => l.endsWith(' main.leakyMiddleware.func1'))!;
    const cum = Number(/\s(\d+)B\s+[\d.]+%\s+main/.exec(row)![1]);
    expect(widths.get(nodes.name.indexOf('main.leakyMiddleware.func1'))).toBe(cum);
  });

  it('on heap_t3 no function spans two files, so functions nodes give the filefunctions frames', async () => {
    const profile = await decodeProfile(new Uint8Array(readFileSync(`${LEAKY}heap_t3.pb.gz`)));
    const functions = buildNodeMap(profile);
    expect(hasFunctionInTwoFiles(profile, functions)).toBe(false);
    const fileFunctions = buildNodeMap(profile, { granularity: 'filefunctions', noInlines: false });
    const si = findDefaultSampleIndex(profile);
    const a = computeFlameFrames(profile, functions, { sampleIndex: si, minFraction: 0 });
    const b = computeFlameFrames(profile, fileFunctions, { sampleIndex: si, minFraction: 0 });
    expect(Array.from(a.value)).toEqual(Array.from(b.value));
    expect(Array.from(a.depth)).toEqual(Array.from(b.depth));
    const fn = (name: string) => name.split(' ')[0];
    expect(Array.from(a.node, (n) => (n < 0 ? '' : functions.name[n]))).toEqual(Array.from(b.node, (n) => (n < 0 ? '' : fn(fileFunctions.name[n]!))));
  });
});

describe('computeFlameFrames with locations that have no frame', () => {
  it('steps over them (a filter may leave a location without lines)', async () => {
    const profile = await decodeProfile(encodeFolded('main;a;b 5\nmain;c 2'));
    const nodes = buildNodeMap(profile);
    const a = nodes.name.indexOf('a');
    // The node map with location "a" given no frame, as a filter hiding it would.
    const loc = Array.from({ length: profile.locations.length }, (_, l) => l).find((l) => nodes.locNodes[nodes.locNodeStart[l]!] === a)!;
    const out: number[] = [];
    const start = new Uint32Array(nodes.locNodeStart.length);
    for (let l = 0; l < profile.locations.length; l++) {
      start[l] = out.length;
      if (l !== loc) for (let k = nodes.locNodeStart[l]!; k < nodes.locNodeStart[l + 1]!; k++) out.push(nodes.locNodes[k]!);
    }
    start[profile.locations.length] = out.length;
    const locSingle = Int32Array.from({ length: profile.locations.length }, (_, l) => (start[l + 1]! - start[l]! === 1 ? out[start[l]!]! : -1));
    const hidden = { ...nodes, locNodeStart: start, locNodes: Uint32Array.from(out), locSingle };
    const f = computeFlameFrames(profile, hidden, { sampleIndex: 0, minFraction: 0 });
    const names = Array.from(f.node, (n) => (n < 0 ? 'root' : nodes.name[n]));
    expect(names).toEqual(['root', 'main', 'b', 'c']);
    expect(Array.from(f.depth)).toEqual([0, 1, 2, 2]);
    const up = computeFlameFrames(profile, hidden, { sampleIndex: 0, minFraction: 0, pivot: nodes.name.indexOf('b'), direction: -1 });
    expect(Array.from(up.node, (n) => nodes.name[n])).toEqual(['b', 'main']);
  });
});
