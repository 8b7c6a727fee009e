// The first top and the flame graphs in two parts (engine + pass worker) equal those built in one pass.

import { describe, expect, it } from 'vitest';
import { buildNodeSums } from '../../src/graph/build-graph';
import { buildNodeMap, readStackColumns, type NodeMap } from '../../src/graph/nodes';
import { decodeProfile } from '../../src/profile/decode';
import type { Profile } from '../../src/profile/model';
import { computeFlameFrames, type FlameOptions } from '../../src/report/flame';
import { buildTopReport, type TopOptions } from '../../src/report/top';
import { createEngine } from '../../workers/engine';
import { copyStackPart, findMiddleSample, SplitPasses } from '../../workers/split-passes';
import { encodeFolded, randomFolded } from '../helpers/folded';
import { readFixtureBuffer } from '../helpers/open-engine';
import { createInThreadPassPort } from '../helpers/pass-port';

const ALWAYS = { minStackEntries: 0, minLocations: 0 };

/** A seeded random profile with two sample types (recursion, inlined frames, zero and negative values). */
const randomProfile = (seed: number, negative = false) =>
  decodeProfile(encodeFolded(randomFolded(seed, negative), { sampleTypes: ['a/count', 'b/bytes'] }));

describe('splitting the samples', () => {
  it('cuts where half the stack entries lie, and the part holds the same stacks', async () => {
    const profile = await randomProfile(7);
    const columns = readStackColumns(profile, buildNodeMap(profile), 0);
    const mid = findMiddleSample(columns);
    const n = columns.values.length;
    const total = columns.ends[n - 1]! - columns.starts[0]!;
    expect(columns.starts[mid]! - columns.starts[0]!).toBeGreaterThanOrEqual(total / 2);
    expect(columns.starts[mid - 1]! - columns.starts[0]!).toBeLessThan(total / 2);
    const part = copyStackPart(columns, mid);
    for (let s = mid; s < n; s++) {
      expect(Array.from(part.stack.subarray(part.starts[s - mid], part.ends[s - mid]))).toEqual(Array.from(columns.stack.subarray(columns.starts[s], columns.ends[s])));
    }
  });
});

describe('SplitPasses.buildTopReport equals buildTopReport', () => {
  const variants: Omit<TopOptions, 'sampleIndex'>[] = [
    { nodeFraction: 0, edgeFraction: 0, sort: 'flat' },
    { nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat' },
    { nodeFraction: 0.05, edgeFraction: 0.02, sort: 'cum' },
    { nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat', nodeCount: 3 },
  ];
  for (let seed = 1; seed <= 12; seed++) {
    it(`random profile ${seed} (recursion, inlined frames${seed % 3 === 0 ? ', negative values' : ''})`, async () => {
      const profile = await randomProfile(seed, seed % 3 === 0);
      const nodes = buildNodeMap(profile);
      const { port, requests } = createInThreadPassPort();
      const passes = new SplitPasses(port, ALWAYS);
      for (const sampleIndex of [0, 1]) {
        for (const v of variants) {
          const options = { ...v, sampleIndex };
          const sums = await passes.buildNodeSums('p1', profile, nodes, sampleIndex);
          expect(sums).toEqual(buildNodeSums(profile, nodes, sampleIndex));
          expect(await passes.buildTopReport('p1', profile, nodes, options, sums)).toEqual(buildTopReport(profile, nodes, options));
        }
      }
      // The samples went over once; each sample type's values once; both passes ran in the worker.
      expect(requests.filter((t) => t === 'load')).toHaveLength(1);
      expect(requests).toContain('sums');
      expect(requests).toContain('inEdges');
    });
  }

  it('does a part itself when the worker answers with an error', async () => {
    const profile = await randomProfile(5);
    const nodes = buildNodeMap(profile);
    const { port, requests } = createInThreadPassPort({ fail: true });
    const options = { sampleIndex: 0, nodeFraction: 0, edgeFraction: 0, sort: 'flat' as const };
    const passes = new SplitPasses(port, ALWAYS);
    const sums = await passes.buildNodeSums('p1', profile, nodes, 0);
    expect(await passes.buildTopReport('p1', profile, nodes, options, sums)).toEqual(buildTopReport(profile, nodes, options));
    expect(requests).toContain('sums');
    expect(requests).toContain('inEdges');
  });

  it('does the rest itself when the worker fails while asked', async () => {
    const profile = await randomProfile(9);
    const nodes = buildNodeMap(profile);
    const { port } = createInThreadPassPort();
    const post = port.post;
    port.post = (message, transfer) => {
      post(message, transfer);
      if (message.type === 'sums') port.onfail?.('the worker crashed');
    };
    const options = { sampleIndex: 0, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat' as const };
    const passes = new SplitPasses(port, ALWAYS);
    const sums = await passes.buildNodeSums('p1', profile, nodes, 0);
    expect(await passes.buildTopReport('p1', profile, nodes, options, sums)).toEqual(buildTopReport(profile, nodes, options));
  });
});

describe('SplitPasses.computeFlameFrames equals computeFlameFrames', () => {
  /** Flame requests on a profile: the whole graph, a zoom into its widest frame at depth 2, both sides of a pivot. */
  function requestsFor(profile: Profile, nodes: NodeMap, sampleIndex: number): FlameOptions[] {
    const whole = computeFlameFrames(profile, nodes, { sampleIndex, minFraction: 0 });
    let widest = -1;
    for (let f = 0; f < whole.length; f++) if (whole.depth[f] === 2 && whole.node[f]! >= 0 && (widest < 0 || whole.value[f]! > whole.value[widest]!)) widest = f;
    const out: FlameOptions[] = [];
    for (const minFraction of [0, 0.02]) {
      out.push({ sampleIndex, minFraction }, { sampleIndex, minFraction, maxDepth: 3 });
      if (widest < 0) continue;
      out.push({ sampleIndex, minFraction, path: [whole.node[whole.parent[widest]!]!, whole.node[widest]!] });
      out.push({ sampleIndex, minFraction, pivot: whole.node[widest]!, direction: -1 }, { sampleIndex, minFraction, pivot: whole.node[widest]!, direction: 1 });
    }
    return out;
  }

  for (let seed = 1; seed <= 12; seed++) {
    it(`random profile ${seed} (recursion, inlined frames${seed % 3 === 0 ? ', negative values' : ''})`, async () => {
      const profile = await randomProfile(seed, seed % 3 === 0);
      const nodes = buildNodeMap(profile);
      const { port, walks } = createInThreadPassPort();
      const passes = new SplitPasses(port, ALWAYS);
      let compared = 0;
      for (const sampleIndex of [0, 1]) {
        for (const options of requestsFor(profile, nodes, sampleIndex)) {
          const { frames, threads } = await passes.computeFlameFrames('p1', profile, nodes, options);
          expect(threads).toBe(2);
          expect(frames).toEqual(computeFlameFrames(profile, nodes, options));
          compared++;
        }
      }
      expect(compared).toBeGreaterThanOrEqual(8);
      expect(walks.size).toBe(0);
    });
  }

  it('walks alone, from the start, when the worker answers with an error or fails mid-walk', async () => {
    const profile = await randomProfile(4);
    const nodes = buildNodeMap(profile);
    const options = { sampleIndex: 1, minFraction: 0 };
    const want = computeFlameFrames(profile, nodes, options);
    const refused = createInThreadPassPort({ fail: true });
    expect(await new SplitPasses(refused.port, ALWAYS).computeFlameFrames('p1', profile, nodes, options)).toEqual({ frames: want, threads: 1 });
    const { port, requests } = createInThreadPassPort();
    const post = port.post;
    let steps = 0;
    port.post = (message, transfer) => {
      post(message, transfer);
      if (message.type === 'flameStep' && ++steps === 2) port.onfail?.('the worker crashed');
    };
    expect(await new SplitPasses(port, ALWAYS).computeFlameFrames('p1', profile, nodes, options)).toEqual({ frames: want, threads: 1 });
    expect(requests.filter((t) => t === 'flameStep')).toHaveLength(2);
  });
});

describe('the engine with a pass worker', () => {
  it.each(['heap_t3.pb.gz', 'cpu.pb.gz', 'allocs.pb.gz'])('answers %s\'s tops as without one', async (name) => {
    const { port, requests, held } = createInThreadPassPort();
    const split = createEngine({ warm: false, passes: new SplitPasses(port, ALWAYS) });
    const plain = createEngine({ warm: false });
    const a = await split.open(readFixtureBuffer(name), name);
    const b = await plain.open(readFixtureBuffer(name), name);
    if (!a.ok || !b.ok) throw new Error('not opened');
    for (let sampleIndex = 0; sampleIndex < a.summary.sampleTypes.length; sampleIndex++) {
      for (const sort of ['flat', 'cum', 'name'] as const) {
        const request = { sampleIndex, nodeFraction: 0.005, edgeFraction: 0.001, sort, filter: '' };
        await split.prepareTop(a.summary.id, request);
        expect(split.top(a.summary.id, request)).toEqual({ ...plain.top(b.summary.id, request), computeMs: expect.any(Number), threads: 2 });
      }
    }
    expect(requests.filter((t) => t === 'sums')).toHaveLength(a.summary.sampleTypes.length);
    split.close(a.summary.id);
    expect(held.size).toBe(0);
  });

  it('does not split a profile below the sizes worth it, nor a refined top', async () => {
    const { port, requests } = createInThreadPassPort();
    const engine = createEngine({ warm: false, passes: new SplitPasses(port) });
    const r = await engine.open(readFixtureBuffer('heap_t3.pb.gz'), 'heap_t3.pb.gz');
    if (!r.ok) throw new Error(r.error.message);
    await engine.prepareTop(r.summary.id, { sampleIndex: 0, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat', filter: '' });
    const refined = createEngine({ warm: false, passes: new SplitPasses(port, ALWAYS) });
    const q = await refined.open(readFixtureBuffer('heap_t3.pb.gz'), 'heap_t3.pb.gz');
    if (!q.ok) throw new Error(q.error.message);
    await refined.prepareTop(q.summary.id, { sampleIndex: 0, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat', filter: '', focus: 'json' });
    expect(requests).toEqual([]);
  });

  it('lets the pass worker forget a profile closed while its top was being built', async () => {
    const { port, held } = createInThreadPassPort();
    const engine = createEngine({ warm: false, passes: new SplitPasses(port, ALWAYS) });
    const r = await engine.open(readFixtureBuffer('heap_t3.pb.gz'), 'heap_t3.pb.gz');
    if (!r.ok) throw new Error(r.error.message);
    const request = { sampleIndex: 0, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat' as const, filter: '' };
    const building = engine.prepareTop(r.summary.id, request);
    engine.close(r.summary.id);
    await building.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(held.size).toBe(0);
  });

  it('walks a flame graph in two parts (summing its node totals when the table has not), with the same frames', async () => {
    const { port, requests, walks } = createInThreadPassPort();
    const split = createEngine({ warm: false, passes: new SplitPasses(port, ALWAYS) });
    const plain = createEngine({ warm: false });
    const a = await split.open(readFixtureBuffer('heap_t3.pb.gz'), 'heap_t3.pb.gz');
    const b = await plain.open(readFixtureBuffer('heap_t3.pb.gz'), 'heap_t3.pb.gz');
    if (!a.ok || !b.ok) throw new Error('not opened');
    const request = { sampleIndex: a.summary.defaultSampleIndex, minFraction: 1 / 4000 };
    await split.prepareFlame(a.summary.id, request);
    expect(requests.slice(0, 4)).toEqual(['load', 'sums', 'flameStart', 'flameStep']);
    expect(requests.at(-1)).toBe('flameEnd');
    expect(walks.size).toBe(0);
    const whole = plain.flame(b.summary.id, request);
    expect(whole.threads).toBe(1);
    expect(split.flame(a.summary.id, request)).toEqual({ ...whole, computeMs: expect.any(Number), threads: 2 });
    // A zoom and both halves of a sandwich, in two parts too.
    const leak = whole.nodeIds[whole.nodeName.findIndex((name) => name.startsWith('main.leakyMiddleware.func1'))]!;
    const path = [];
    for (let f = Array.from(whole.node).indexOf(leak); f > 0; f = whole.parent[f]!) path.unshift(whole.node[f]!);
    for (const more of [{ path }, { pivot: leak, direction: -1 as const }, { pivot: leak, direction: 1 as const }]) {
      await split.prepareFlame(a.summary.id, { ...request, ...more });
      expect(split.flame(a.summary.id, { ...request, ...more })).toEqual({ ...plain.flame(b.summary.id, { ...request, ...more }), computeMs: expect.any(Number), threads: 2 });
    }
    // Summed once: the table and a second flame request use them.
    await split.prepareFlame(a.summary.id, request);
    await split.prepareTop(a.summary.id, { sampleIndex: request.sampleIndex, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat', filter: '' });
    expect(requests.filter((t) => t === 'sums')).toHaveLength(1);
    expect(requests.filter((t) => t === 'flameStart')).toHaveLength(4);
  });

  it('sums once when a flame graph and the table ask together', async () => {
    const { port, requests } = createInThreadPassPort();
    const engine = createEngine({ warm: false, passes: new SplitPasses(port, ALWAYS) });
    const r = await engine.open(readFixtureBuffer('heap_t3.pb.gz'), 'heap_t3.pb.gz');
    if (!r.ok) throw new Error(r.error.message);
    const sampleIndex = r.summary.defaultSampleIndex;
    await Promise.all([
      engine.prepareFlame(r.summary.id, { sampleIndex, minFraction: 1 / 4000 }),
      engine.prepareTop(r.summary.id, { sampleIndex, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat', filter: '' }),
    ]);
    expect(requests.filter((t) => t === 'sums')).toHaveLength(1);
  });

  it('runs the requests given to inTurn in the order they came, even when the first waits longer', async () => {
    const engine = createEngine({ warm: false });
    const order: string[] = [];
    const first = engine.inTurn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push('flame');
    });
    const second = engine.inTurn(() => order.push('table'));
    const failing = engine.inTurn(() => {
      throw new Error('no such profile');
    });
    const after = engine.inTurn(() => order.push('next'));
    await Promise.all([first, second, failing.catch(() => undefined), after]);
    expect(order).toEqual(['flame', 'table', 'next']);
  });
});
