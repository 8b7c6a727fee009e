// pprof's trimmed graph for reports: drop nodes under nodefraction, drop light edges, sort the rest.

import type { Profile } from '../profile/model';
import { buildInEdges, buildNodeSums, type InEdgeOptions, type NodeSums } from './build-graph';
import { readStackRanges, type NodeMap } from './nodes';

export interface TrimOptions {
  sampleIndex: number;
  /** pprof's -nodefraction (0.005 by default; 0 keeps every node). */
  nodeFraction: number;
  /** pprof's -edgefraction (0.001 by default). */
  edgeFraction: number;
  sort: 'flat' | 'cum';
  /** pprof's -nodecount: keep only the first N nodes in order (0 keeps all). */
  nodeCount?: number;
}

/**
 * The nodes a report shows, in order, with their sums. `order` lists node indexes; nodes whose flat and
 * cum are both 0 are never listed. `droppedNodes` counts nodes removed by nodefraction.
 */
export interface TrimmedGraph extends NodeSums {
  /** Per node: bit 1 keeps an inline in-edge, bit 2 a non-inline one (pprof's `(inline)` markers). */
  inEdges: Uint8Array;
  order: Uint32Array;
  droppedNodes: number;
  /** Nodes left after nodefraction, before nodecount (pprof's origCount). */
  origCount: number;
  /** Σ flat over all nodes before trimming (signed), the base of pprof's cutoffs. */
  totalValue: number;
  nodeCutoff: number;
}

/**
 * Builds and trims the graph as pprof's newTrimmedGraph does for text reports. `firstPass` (the untrimmed
 * sums of this sample type, e.g. cached) saves the first pass when given. Dropping nodes does not change a
 * kept node's flat or cum, so a second pass runs only when inline markers need edges.
 */
export function buildTrimmedGraph(
  profile: Profile,
  nodes: NodeMap,
  options: TrimOptions,
  firstPass?: NodeSums,
): TrimmedGraph {
  const plan = planTrimmedGraph(profile, nodes, options, firstPass ?? buildNodeSums(profile, nodes, options.sampleIndex));
  return finishTrimmedGraph(plan, plan.inEdgePass ? buildInEdges(profile, nodes, plan.inEdgePass) : null);
}

/** buildTrimmedGraph up to its in-edge pass: the nodes in order, and that pass's options (null: none needed). */
export interface TrimPlan extends Omit<TrimmedGraph, 'inEdges'> {
  inEdgePass: InEdgeOptions | null;
}

/** The first half of buildTrimmedGraph, from the untrimmed sums: cutoffs, kept nodes, order, edge nodes. */
export function planTrimmedGraph(profile: Profile, nodes: NodeMap, options: TrimOptions, sums: NodeSums): TrimPlan {
  const { sampleIndex, nodeFraction, edgeFraction } = options;
  // Σ flat of all nodes = Σ value over samples that have a leaf frame; known before any pass.
  const totalValue = computeTotalValue(profile, nodes, sampleIndex);
  const hasNegative = hasNegativeValue(profile.samples.values[sampleIndex]!);
  const nodeCutoff = Math.abs(Math.trunc(totalValue * nodeFraction));
  const edgeCutoff = Math.abs(Math.trunc(totalValue * edgeFraction));
  let kept: Uint8Array | null = null;
  let droppedNodes = 0;
  if (nodeCutoff > 0) {
    kept = new Uint8Array(nodes.length);
    for (let n = 0; n < nodes.length; n++) {
      if (sums.flat[n] === 0 && sums.cum[n] === 0) continue;
      if (Math.abs(sums.cum[n]!) >= nodeCutoff) kept[n] = 1;
      else droppedNodes++;
    }
  }
  const list: number[] = [];
  for (let n = 0; n < nodes.length; n++) {
    if ((sums.flat[n] !== 0 || sums.cum[n] !== 0) && (kept === null || kept[n] === 1)) list.push(n);
  }
  let sorted = sortNodes(list, nodes.name, sums, options.sort);
  const origCount = sorted.length;
  const nodeCount = options.nodeCount ?? 0;
  if (nodeCount > 0 && sorted.length > nodeCount) {
    // pprof's SelectTopNodes: the first N in order; the graph is rebuilt with them (edges only change).
    sorted = sorted.slice(0, nodeCount);
    kept = new Uint8Array(nodes.length);
    for (const n of sorted) kept[n] = 1;
  }
  // Only inlined nodes whose cum reaches the edge cutoff can keep an inline in-edge (with no negative
  // values an edge weighs at most its callee's cum), so only their in-edges are tracked.
  const edgeNodes = new Uint8Array(nodes.length);
  let tracked = 0;
  for (let n = 0; n < nodes.length; n++) {
    if (nodes.inlinable[n] !== 1 || (kept !== null && kept[n] !== 1)) continue;
    if (sums.cum[n] === 0 && sums.flat[n] === 0) continue;
    if (!hasNegative && Math.abs(sums.cum[n]!) < edgeCutoff) continue;
    edgeNodes[n] = 1;
    tracked++;
  }
  return {
    flat: sums.flat,
    cum: sums.cum,
    order: Uint32Array.from(sorted),
    droppedNodes,
    origCount,
    totalValue,
    nodeCutoff,
    inEdgePass: tracked > 0 ? { sampleIndex, kept, edgeCutoff, edgeNodes } : null,
  };
}

/** The trimmed graph from its plan and the in-edge pass's result (null when the plan needed none). */
export function finishTrimmedGraph(plan: TrimPlan, inEdges: Uint8Array | null): TrimmedGraph {
  const { inEdgePass: _pass, ...graph } = plan;
  return { ...graph, inEdges: inEdges ?? new Uint8Array(plan.flat.length) };
}

/** pprof's FlatNameOrder (|flat|, name, |cum|) or CumNameOrder (|cum|, name, |flat|). */
export function sortNodes(list: number[], names: string[], sums: NodeSums, sort: 'flat' | 'cum'): number[] {
  const first = sort === 'flat' ? sums.flat : sums.cum;
  const second = sort === 'flat' ? sums.cum : sums.flat;
  return list.sort((a, b) => {
    const fa = Math.abs(first[a]!);
    const fb = Math.abs(first[b]!);
    if (fa !== fb) return fb - fa;
    const na = names[a]!;
    const nb = names[b]!;
    if (na !== nb) return na < nb ? -1 : 1;
    return Math.abs(second[b]!) - Math.abs(second[a]!);
  });
}

/** Whether any value is negative (a plain loop: `some` with a callback takes ~15 ms over 2 M values). */
export function hasNegativeValue(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i]! < 0) return true;
  return false;
}

/** Σ value of the samples with at least one frame (each adds its value to one leaf node's flat). */
export function computeTotalValue(profile: Profile, nodes: NodeMap, sampleIndex: number): number {
  const { samples } = profile;
  const values = samples.values[sampleIndex]!;
  const { starts, ends } = readStackRanges(profile, nodes);
  let total = 0;
  for (let s = 0; s < samples.length; s++) if (ends[s]! > starts[s]!) total += values[s]!;
  return total;
}
