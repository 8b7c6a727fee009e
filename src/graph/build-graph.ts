// Samples → node flat/cum, and the inline markers of in-edges, exactly as pprof's graph.New does.

import type { Profile } from '../profile/model';
import { createEdgeTable } from './edge-table';
import { buildKeptLocations, LOCATION_DROPPED, LOCATION_EMPTY } from './kept-locations';
import { readStackRanges, type NodeMap } from './nodes';

/**
 * Per-node sums for one sample type: `flat[n]`/`cum[n]` are signed sums; cum counts a sample once per
 * node even under recursion.
 */
export interface NodeSums {
  flat: Float64Array;
  cum: Float64Array;
}

/** Accumulates flat and cum of every node for one sample type (pprof's graph.New without edges). */
export function buildNodeSums(profile: Profile, nodes: NodeMap, sampleIndex: number): NodeSums {
  return createNodeSumsBuilder(profile, nodes, sampleIndex).finish();
}

/**
 * buildNodeSums in steps, for idle time: `step(count)` sums the next `count` samples and says whether all
 * are done; `finish()` sums the rest and returns the sums.
 */
export function createNodeSumsBuilder(profile: Profile, nodes: NodeMap, sampleIndex: number) {
  const n = nodes.length;
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const seen = new Int32Array(n).fill(-1);
  let next = 0;
  const total = profile.samples.length;
  return {
    step(count: number): boolean {
      const end = Math.min(total, next + count);
      sumSamples(profile, nodes, sampleIndex, next, end, flat, cum, seen);
      next = end;
      return next === total;
    },
    finish(): NodeSums {
      if (next < total) sumSamples(profile, nodes, sampleIndex, next, total, flat, cum, seen);
      next = total;
      return { flat, cum };
    },
  };
}

/** Adds samples [from, to) into flat and cum; `seen[node]` is the last sample that counted the node's cum. */
function sumSamples(
  profile: Profile,
  nodes: NodeMap,
  sampleIndex: number,
  from: number,
  to: number,
  flat: Float64Array,
  cum: Float64Array,
  seen: Int32Array,
): void {
  const { samples } = profile;
  const values = samples.values[sampleIndex]!;
  const stack = samples.stack;
  const { starts, ends } = readStackRanges(profile, nodes);
  const { locNodeStart, locNodes, locSingle } = nodes;
  for (let s = from; s < to; s++) {
    const w = values[s]!;
    if (w === 0) continue;
    let leaf = -1;
    for (let j = ends[s]! - 1; j >= starts[s]!; j--) {
      const loc = stack[j]!;
      const single = locSingle[loc]!;
      if (single >= 0) {
        leaf = single;
        if (seen[single] !== s) {
          seen[single] = s;
          cum[single]! += w;
        }
        continue;
      }
      for (let k = locNodeStart[loc + 1]! - 1; k >= locNodeStart[loc]!; k--) {
        const node = locNodes[k]!;
        leaf = node;
        if (seen[node] !== s) {
          seen[node] = s;
          cum[node]! += w;
        }
      }
    }
    if (leaf >= 0) flat[leaf]! += w;
  }
}

export interface InEdgeOptions {
  sampleIndex: number;
  /** Nodes kept (1) or dropped (0); dropped frames are skipped, leaving residual edges. null keeps all. */
  kept: Uint8Array | null;
  /** Edges with |weight| under this are dropped before marking. */
  edgeCutoff: number;
  /**
   * Nodes (1) whose in-edges matter. Only nodes that occur as an inlined line can be marked (inline):
   * an in-edge is inline only when its callee frame is an inlined line.
   */
  edgeNodes: Uint8Array;
}

/**
 * pprof's in-edges of the nodes in `edgeNodes`, reduced to the marker the top table prints: bit 1 when a
 * node keeps an inline in-edge, bit 2 when it keeps a non-inline one. Each stack entry is one read of its
 * location's kept frames (kept-locations.ts).
 */
export function buildInEdges(profile: Profile, nodes: NodeMap, options: InEdgeOptions): Uint8Array {
  const { samples } = profile;
  const values = samples.values[options.sampleIndex]!;
  const stack = samples.stack;
  const { starts, ends } = readStackRanges(profile, nodes);
  const { count: k, nodeOf, code, listStart, listEntry } = buildKeptLocations(nodes, options.kept);
  const isEdgeNode = new Uint8Array(k);
  for (let slot = 0; slot < k; slot++) isEdgeNode[slot] = options.edgeNodes[nodeOf[slot]!]!;
  const edges = createEdgeTable(nodeOf);
  for (let s = 0; s < samples.length; s++) {
    const w = values[s]!;
    if (w === 0) continue;
    let parent = -1;
    for (let j = ends[s]! - 1; j >= starts[s]!; j--) {
      const c = code[stack[j]!]!;
      if (c >= 0) {
        // One frame, the outermost line of its location: an edge into it is not inline.
        if (parent >= 0 && c !== parent && isEdgeNode[c] === 1) edges.add(parent, c, w, s, false, false);
        parent = c;
        continue;
      }
      if (c === LOCATION_DROPPED || c === LOCATION_EMPTY) continue;
      const list = -3 - c;
      for (let q = listStart[list]!; q < listStart[list + 1]!; q++) {
        const e = listEntry[q]!;
        const slot = e >> 2;
        if (parent >= 0 && slot !== parent && isEdgeNode[slot] === 1) edges.add(parent, slot, w, s, false, (e & 1) !== 0);
        parent = slot;
      }
    }
  }
  const inEdges = new Uint8Array(nodes.length);
  edges.markInEdges(inEdges, options.edgeCutoff);
  return inEdges;
}
