// Samples → node flat/cum, and the inline markers of in-edges, exactly as pprof's graph.New does.

import type { Profile } from '../profile/model';
import { createEdgeTable, type Edges } from './edge-table';
import { buildKeptLocations, LOCATION_DROPPED, LOCATION_EMPTY, type KeptLocations } from './kept-locations';
import { readStackColumns, type NodeMap, type StackColumns } from './nodes';

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
  const columns = readStackColumns(profile, nodes, sampleIndex);
  let next = 0;
  const total = profile.samples.length;
  return {
    step(count: number): boolean {
      const end = Math.min(total, next + count);
      sumSamples(columns, nodes, next, end, flat, cum, seen);
      next = end;
      return next === total;
    },
    finish(): NodeSums {
      if (next < total) sumSamples(columns, nodes, next, total, flat, cum, seen);
      next = total;
      return { flat, cum };
    },
  };
}

/** The part of a NodeMap that sumSamples reads: each location's frames as nodes. */
export type FrameNodes = Pick<NodeMap, 'locNodeStart' | 'locNodes' | 'locSingle'>;

/**
 * Adds samples [from, to) of `columns` into flat and cum; `seen[node]` is the last sample that counted the
 * node's cum (initially −1). Sums over disjoint sample ranges add up to the sums over all of them.
 */
export function sumSamples(
  columns: StackColumns,
  nodes: FrameNodes,
  from: number,
  to: number,
  flat: Float64Array,
  cum: Float64Array,
  seen: Int32Array,
): void {
  const { values, stack, starts, ends } = columns;
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

/** The kept locations and edge table of one in-edge pass: parts of the samples add into `edges`. */
export interface InEdgePass {
  kept: KeptLocations;
  /** Per slot, 1 when the slot's node is one of `edgeNodes`. */
  isEdgeNode: Uint8Array;
  edges: Edges;
}

/** Sets up buildInEdges' pass: the kept locations of `options.kept`, which slots are edge nodes, an empty table. */
export function prepareInEdgePass(nodes: NodeMap, options: Pick<InEdgeOptions, 'kept' | 'edgeNodes'>): InEdgePass {
  const kept = buildKeptLocations(nodes, options.kept);
  const isEdgeNode = new Uint8Array(kept.count);
  for (let slot = 0; slot < kept.count; slot++) isEdgeNode[slot] = options.edgeNodes[kept.nodeOf[slot]!]!;
  return { kept, isEdgeNode, edges: createEdgeTable(kept.nodeOf) };
}

/**
 * pprof's in-edges of the nodes in `edgeNodes`, reduced to the marker the top table prints: bit 1 when a
 * node keeps an inline in-edge, bit 2 when it keeps a non-inline one.
 */
export function buildInEdges(profile: Profile, nodes: NodeMap, options: InEdgeOptions): Uint8Array {
  const pass = prepareInEdgePass(nodes, options);
  addInEdges(readStackColumns(profile, nodes, options.sampleIndex), pass.kept, pass.isEdgeNode, pass.edges, 0, profile.samples.length);
  const inEdges = new Uint8Array(nodes.length);
  pass.edges.markInEdges(inEdges, options.edgeCutoff);
  return inEdges;
}

/**
 * Adds the in-edges of samples [from, to) into `edges` (slots of `kept`), only those into edge nodes. Each
 * stack entry is one read of its location's kept frames (kept-locations.ts).
 */
export function addInEdges(
  columns: StackColumns,
  kept: Pick<KeptLocations, 'code' | 'listStart' | 'listEntry'>,
  isEdgeNode: Uint8Array,
  edges: Edges,
  from: number,
  to: number,
): void {
  const { values, stack, starts, ends } = columns;
  const { code, listStart, listEntry } = kept;
  for (let s = from; s < to; s++) {
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
}
