// The engine's flame graph data for one open profile: nodes at pprof's flame-graph granularity, per-type sums.

import type { NodeSums } from '../src/graph/build-graph';
import { buildNodeMap, cleanPath, trimSourcePath, type NodeMap } from '../src/graph/nodes';
import type { Profile } from '../src/profile/model';
import { computeFlameFrames, computeFlameMatches, computeNodeDescriptions, hasFunctionInTwoFiles, type FlameFrames, type NodeDescriptions } from '../src/report/flame';
import { computeTotal } from '../src/report/total';
import { selectOutputUnit } from '../src/report/units';
import type { FlameMatches, FlameRequest, FlameView } from './protocol';

/** The engine's `functions` nodes and their (cached) sums for a sample type: the top table's numbers. */
export type FunctionSums = (sampleIndex: number) => { nodes: NodeMap; sums: NodeSums };

/** How many frame replies are kept per profile (zooming back out is then instant). */
const FRAMES_CACHE = 8;

/**
 * Flame graph reports of one profile. pprof's flame graph uses the `filefunctions` granularity; a node's
 * whole-profile flat/cum are its function's (functions granularity, the top table's numbers, already summed
 * by the engine), so the first flame graph costs no extra pass over the samples for them.
 */
export class FlameReports {
  #profile: Profile;
  #functionNodes: NodeMap;
  #functionSums: FunctionSums;
  #nodes: NodeMap | null = null;
  #sharesFunctionNodes = false;
  #descriptions: NodeDescriptions | null = null;
  #functionOf: Int32Array | null = null;
  #units: (string | undefined)[] = [];
  #totals: (number | undefined)[] = [];
  #frames = new Map<string, FlameView>();

  constructor(profile: Profile, functionNodes: NodeMap, functionSums: FunctionSums) {
    this.#profile = profile;
    this.#functionNodes = functionNodes;
    this.#functionSums = functionSums;
  }

  /**
   * pprof's flame-graph nodes (`filefunctions`). When no function name spans two files they are the
   * engine's functions nodes (already built), named `function file` here as filefunctions names them.
   */
  get nodes(): NodeMap {
    if (!this.#nodes) {
      const functions = this.#functionNodes;
      this.#nodes = hasFunctionInTwoFiles(this.#profile, functions)
        ? buildNodeMap(this.#profile, { granularity: 'filefunctions', noInlines: false })
        : functions;
      this.#sharesFunctionNodes = this.#nodes === functions;
    }
    return this.#nodes;
  }

  /** pprof's total for a sample type (a pass over the samples: cached). */
  #totalOf(sampleIndex: number): number {
    return (this.#totals[sampleIndex] ??= computeTotal(this.#profile, sampleIndex));
  }

  /** A node's printable name at filefunctions granularity. */
  #nameOf(n: number, d: NodeDescriptions): string {
    const nodes = this.nodes;
    if (!this.#sharesFunctionNodes || d.fn[n] === '' || d.file[n] === '') return nodes.name[n]!;
    const raw = trimSourcePath(d.file[n]!);
    return raw === '' ? nodes.name[n]! : `${d.fn[n]} ${cleanPath(raw)}`;
  }

  /** pprof's output unit for this sample type, as its text reports choose it (every node, no trimming). */
  #unitFor(sampleIndex: number, total: number): string {
    let unit = this.#units[sampleIndex];
    if (unit === undefined) {
      const { flat, cum } = this.#functionSums(sampleIndex).sums;
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

  /** For each flame node, the functions-granularity node of the same function name (or -1). */
  #functionNodeOf(functions: NodeMap, d: NodeDescriptions): Int32Array {
    if (!this.#functionOf) {
      const byName = new Map<string, number>();
      functions.name.forEach((name, i) => byName.set(name, i));
      this.#functionOf = Int32Array.from(d.fn, (fn, n) => byName.get(fn || this.nodes.name[n]!) ?? -1);
    }
    return this.#functionOf;
  }

  /** The frames of a request; cached, so the caller must copy before transferring them. */
  frames(request: FlameRequest, now: () => number): FlameView {
    const key = frameKey(request);
    const hit = this.#frames.get(key);
    if (hit) {
      this.#frames.delete(key);
      this.#frames.set(key, hit);
      return { ...hit, computeMs: 0 };
    }
    const start = now();
    return this.#store(key, this.#describe(request, computeFlameFrames(this.#profile, this.nodes, request), start, now, 1));
  }

  /** Computes (unless cached) the frames of a request with `walk`, for `frames` to answer. */
  async prepare(request: FlameRequest, now: () => number, walk: (request: FlameRequest) => Promise<{ frames: FlameFrames; threads: number }>): Promise<void> {
    const key = frameKey(request);
    if (this.#frames.has(key)) return;
    const start = now();
    const { frames, threads } = await walk(request);
    this.#store(key, this.#describe(request, frames, start, now, threads));
  }

  #store(key: string, view: FlameView): FlameView {
    this.#frames.set(key, view);
    while (this.#frames.size > FRAMES_CACHE) this.#frames.delete(this.#frames.keys().next().value!);
    return view;
  }

  /** The reply for a request's frames: with the nodes they name, their tooltip facts and pprof's unit. */
  #describe(request: FlameRequest, frames: FlameFrames, start: number, now: () => number, threads: number): FlameView {
    const profile = this.#profile;
    const type = profile.sampleTypes[request.sampleIndex];
    if (!type) throw new RangeError(`No sample type ${request.sampleIndex}`);
    const nodes = this.nodes;
    this.#descriptions ??= computeNodeDescriptions(profile, nodes);
    const d = this.#descriptions;
    const fns = this.#functionSums(request.sampleIndex);
    const fnOf = this.#functionNodeOf(fns.nodes, d);
    const sums = fns.sums;
    const total = this.#totalOf(request.sampleIndex);
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
      nodeName: pick((n) => this.#nameOf(n, d)),
      nodeFunction: pick((n) => d.fn[n]!),
      nodeFile: pick((n) => d.file[n]!),
      nodeLine: Uint32Array.from(ids, (n) => d.line[n]!),
      nodeFlat: Float64Array.from(ids, (n) => (fnOf[n]! >= 0 ? sums.flat[fnOf[n]!]! : 0)),
      nodeCum: Float64Array.from(ids, (n) => (fnOf[n]! >= 0 ? sums.cum[fnOf[n]!]! : 0)),
      computeMs: now() - start,
      threads,
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
    const flameNodes = this.nodes;
    // The functions nodes' cum (the table's, cached) serves when they are the flame nodes: one matched
    // node then needs no pass over the stacks.
    const cum = this.#sharesFunctionNodes ? this.#functionSums(sampleIndex).sums.cum : undefined;
    const { nodes, value } = computeFlameMatches(this.#profile, flameNodes, sampleIndex, rx, cum);
    const ids: number[] = [];
    for (let n = 0; n < nodes.length; n++) if (nodes[n] === 1) ids.push(n);
    return { ok: true, nodes: Int32Array.from(ids), value, total: this.#totalOf(sampleIndex) };
  }
}

/** A frames request's cache key. */
function frameKey(request: FlameRequest): string {
  return JSON.stringify([request.sampleIndex, request.path ?? [], request.pivot ?? null, request.direction ?? 1, request.minFraction, request.maxDepth ?? null]);
}
