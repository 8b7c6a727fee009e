// The engine's flame graph data for one open profile: nodes at pprof's flame-graph granularity, per-type sums.

import { buildNodeSums, type NodeSums } from '../src/graph/build-graph';
import { buildNodeMap, type NodeMap } from '../src/graph/nodes';
import type { Profile } from '../src/profile/model';
import { computeFlameFrames, computeFlameMatches, computeNodeDescriptions, type NodeDescriptions } from '../src/report/flame';
import { computeTotal } from '../src/report/total';
import { selectOutputUnit } from '../src/report/units';
import type { FlameMatches, FlameRequest, FlameView } from './protocol';

/** Flame graph reports of one profile. pprof's flame graph uses the `filefunctions` granularity. */
export class FlameReports {
  #profile: Profile;
  #nodes: NodeMap | null = null;
  #descriptions: NodeDescriptions | null = null;
  #sums: (NodeSums | undefined)[] = [];
  #units: (string | undefined)[] = [];

  constructor(profile: Profile) {
    this.#profile = profile;
  }

  get nodes(): NodeMap {
    this.#nodes ??= buildNodeMap(this.#profile, { granularity: 'filefunctions', noInlines: false });
    return this.#nodes;
  }

  #sumsFor(sampleIndex: number): NodeSums {
    let sums = this.#sums[sampleIndex];
    if (!sums) sums = this.#sums[sampleIndex] = buildNodeSums(this.#profile, this.nodes, sampleIndex);
    return sums;
  }

  /** pprof's output unit for this sample type, as its text reports choose it (every node, no trimming). */
  #unitFor(sampleIndex: number, total: number): string {
    let unit = this.#units[sampleIndex];
    if (unit === undefined) {
      const { flat, cum } = this.#sumsFor(sampleIndex);
      let min = 0;
      for (let n = 0; n < flat.length; n++) {
        let v = Math.abs(flat[n]!);
        if (v === 0) v = Math.abs(cum[n]!);
        if (v > 0 && (min === 0 || v < min)) min = v;
      }
      unit = this.#units[sampleIndex] = selectOutputUnit(min, total, this.#profile.sampleTypes[sampleIndex]!.unit);
    }
    return unit;
  }

  frames(request: FlameRequest, now: () => number): FlameView {
    const start = now();
    const profile = this.#profile;
    const type = profile.sampleTypes[request.sampleIndex];
    if (!type) throw new RangeError(`No sample type ${request.sampleIndex}`);
    const nodes = this.nodes;
    const frames = computeFlameFrames(profile, nodes, request);
    this.#descriptions ??= computeNodeDescriptions(profile, nodes);
    const d = this.#descriptions;
    const sums = this.#sumsFor(request.sampleIndex);
    const total = computeTotal(profile, request.sampleIndex);
    // Only the nodes the frames (and the zoom path) name travel, with their tooltip facts.
    const used = new Set<number>();
    for (let i = 0; i < frames.length; i++) if (frames.node[i]! >= 0) used.add(frames.node[i]!);
    for (const n of request.path ?? []) used.add(n);
    if (request.pivot !== undefined) used.add(request.pivot);
    const ids = Int32Array.from([...used].sort((a, b) => a - b));
    const pick = <T>(f: (n: number) => T) => Array.from(ids, f);
    return {
      ...frames,
      sampleType: type.type,
      sampleUnit: type.unit,
      outputUnit: this.#unitFor(request.sampleIndex, total),
      total,
      nodeIds: ids,
      nodeName: pick((n) => nodes.name[n]!),
      nodeFunction: pick((n) => d.fn[n]!),
      nodeFile: pick((n) => d.file[n]!),
      nodeLine: Uint32Array.from(ids, (n) => d.line[n]!),
      nodeFlat: Float64Array.from(ids, (n) => sums.flat[n]!),
      nodeCum: Float64Array.from(ids, (n) => sums.cum[n]!),
      computeMs: now() - start,
    };
  }

  /** The nodes whose name matches `pattern` (a regular expression, case-insensitive) and their share. */
  matches(sampleIndex: number, pattern: string): FlameMatches {
    let rx: RegExp;
    try {
      rx = new RegExp(pattern, 'i');
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    const { nodes, value } = computeFlameMatches(this.#profile, this.nodes, sampleIndex, rx);
    const ids: number[] = [];
    for (let n = 0; n < nodes.length; n++) if (nodes[n] === 1) ids.push(n);
    return { ok: true, nodes: Int32Array.from(ids), value, total: computeTotal(this.#profile, sampleIndex) };
  }
}
