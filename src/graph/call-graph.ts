// pprof's call graph for the graph view (newTrimmedGraph in visual mode): cutoffs, nodecount, edges.

import type { Profile } from '../profile/model';
import { buildNodeSums, type NodeSums } from './build-graph';
import { addGraphTags, buildGraphPass, buildGraphPassFromKept, createTagTable, type GraphNode, type GraphTag, type KeptFrames } from './graph-pass';
import { removeEdge, removeRedundantEdges, sortByEntropy } from './graph-order';
import type { NodeMap } from './nodes';

export interface CallGraphOptions {
  sampleIndex: number;
  /** pprof's -nodefraction (0.005 by default). */
  nodeFraction: number;
  /** pprof's -edgefraction (0.001 by default). */
  edgeFraction: number;
  /** pprof's -nodecount (80 for graphs; 0 keeps every node). Tags count as nodes when selecting. */
  nodeCount: number;
  /** Formats a numeric label value into a tag name (pprof's FormatTag). */
  formatTag: (value: number, key: string) => string;
}

/**
 * A trimmed call graph: `nodes` in pprof's entropy order (node i is `N{i+1}` in DOT), their surviving edges
 * in `in`/`out`, tags under the node cutoff removed. The counts feed the legend.
 */
export interface CallGraph {
  nodes: GraphNode[];
  /** Nodes left after nodefraction, before nodecount. */
  origCount: number;
  droppedNodes: number;
  droppedEdges: number;
  /** Σ flat of the untrimmed graph (signed), the base of pprof's cutoffs. */
  totalValue: number;
}

/**
 * Builds the graph as `go tool pprof -dot` does: a first graph, its nodes under nodefraction dropped (the
 * graph rebuilt without them, residual edges joining across), ordered by entropy; then the top `nodeCount`
 * (tags counted as nodes) kept and the graph rebuilt and reordered; finally light tags and edges removed
 * and residual edges that another path makes redundant. `firstPass` (the untrimmed sums of this sample type,
 * e.g. cached) spares the first pass; tags are summed only for the nodes that can be drawn.
 */
export function buildCallGraph(profile: Profile, nodes: NodeMap, options: CallGraphOptions, firstPass?: NodeSums): CallGraph {
  const { sampleIndex } = options;
  // The first graph's nodes and their sums are the top table's (pass 1, often cached): no edges needed yet.
  const sums = firstPass ?? buildNodeSums(profile, nodes, sampleIndex);
  let totalValue = 0;
  let present = 0;
  for (let n = 0; n < nodes.length; n++) {
    if (sums.flat[n] === 0 && sums.cum[n] === 0) continue;
    present++;
    totalValue += sums.flat[n]!;
  }
  const nodeCutoff = Math.abs(Math.trunc(totalValue * options.nodeFraction));
  const edgeCutoff = Math.abs(Math.trunc(totalValue * options.edgeFraction));
  let kept: Uint8Array | null = null;
  let droppedNodes = 0;
  if (nodeCutoff > 0) {
    const mask = new Uint8Array(nodes.length);
    let keptCount = 0;
    for (let n = 0; n < nodes.length; n++) {
      if ((sums.flat[n] !== 0 || sums.cum[n] !== 0) && Math.abs(sums.cum[n]!) >= nodeCutoff) {
        mask[n] = 1;
        keptCount++;
      }
    }
    if (keptCount !== present) {
      droppedNodes = present - keptCount;
      kept = mask;
    }
  }
  // With nodes dropped, the tags of the kept ones are summed in the same pass (when their table is small).
  const tagging = kept ? createTagTable(profile, nodes.length, kept, options.formatTag) : null;
  // With nodes dropped, the first pass records the kept frames: the second one, over fewer nodes, reads only them.
  const recorder: { frames?: KeptFrames } | null = kept && options.nodeCount > 0 ? {} : null;
  let g = buildGraphPass(profile, nodes, sampleIndex, kept, tagging, recorder);
  const origCount = g.length;
  sortByEntropy(g, nodes.name, nodes.info);
  // Only the first nodeCount nodes can be drawn (each counts at least one when selecting): only they need tags.
  if (!tagging) addGraphTags(profile, nodes, sampleIndex, options.nodeCount > 0 ? g.slice(0, options.nodeCount) : g, options.formatTag);
  if (options.nodeCount > 0) {
    trimLowFrequencyTags(g, nodeCutoff);
    trimLowFrequencyEdges(g, edgeCutoff);
    const top = selectTopNodes(g, options.nodeCount);
    if (top.length !== g.length) {
      const tagged = new Map(top.map((n) => [n.id, n]));
      const keep = keepOnly(nodes.length, top);
      g = recorder?.frames ? buildGraphPassFromKept(profile, nodes.length, sampleIndex, recorder.frames, keep) : buildGraphPass(profile, nodes, sampleIndex, keep);
      // A node's tags do not depend on the other nodes kept.
      for (const n of g) {
        const before = tagged.get(n.id)!;
        n.labelTags = before.labelTags;
        n.numericTags = before.numericTags;
      }
      sortByEntropy(g, nodes.name, nodes.info);
    }
  }
  trimLowFrequencyTags(g, nodeCutoff);
  const droppedEdges = trimLowFrequencyEdges(g, edgeCutoff);
  removeRedundantEdges(g, nodes.name);
  return { nodes: g, origCount, droppedNodes, droppedEdges, totalValue };
}

function keepOnly(count: number, list: GraphNode[]): Uint8Array {
  const kept = new Uint8Array(count);
  for (const n of list) kept[n.id] = 1;
  return kept;
}

/** pprof draws at most four tag nodes per node, and counts at most four when selecting nodes. */
const MAX_TAGS_COUNTED = 4;

/**
 * pprof's selectTopNodes in visual mode: the first nodes in order until nodes plus their tags with a flat
 * value (at most four per node, as pprof of Go 1.19 counts them) reach `maxNodes`.
 */
export function selectTopNodes(g: GraphNode[], maxNodes: number): GraphNode[] {
  let limit = maxNodes;
  let count = 0;
  for (let i = 0; i < g.length; i++) {
    count += Math.min(countFlatTags(g[i]!), MAX_TAGS_COUNTED) + 1;
    if (count >= maxNodes) {
      limit = i + 1;
      break;
    }
  }
  return g.slice(0, Math.min(limit, g.length));
}

function countFlatTags(n: GraphNode): number {
  let count = 0;
  for (const t of n.labelTags.values()) if (t.flat !== 0) count++;
  for (const m of n.numericTags.values()) for (const t of m.values()) if (t.flat !== 0) count++;
  return count;
}

function trimTagMap(tags: Map<string, GraphTag>, min: number): Map<string, GraphTag> {
  const kept = new Map<string, GraphTag>();
  for (const [k, t] of tags) if (Math.abs(t.flat) >= min || Math.abs(t.cum) >= min) kept.set(k, t);
  return kept;
}

/** pprof's TrimLowFrequencyTags: tags whose |flat| and |cum| are both under the cutoff go. */
export function trimLowFrequencyTags(g: GraphNode[], cutoff: number): void {
  for (const n of g) {
    n.labelTags = trimTagMap(n.labelTags, cutoff);
    for (const [k, m] of n.numericTags) n.numericTags.set(k, trimTagMap(m, cutoff));
  }
}

/** pprof's TrimLowFrequencyEdges: edges with |weight| under the cutoff go; returns how many. */
export function trimLowFrequencyEdges(g: GraphNode[], cutoff: number): number {
  let dropped = 0;
  for (const n of g) {
    for (const e of [...n.in]) {
      if (Math.abs(e.weight) < cutoff) {
        removeEdge(e);
        dropped++;
      }
    }
  }
  return dropped;
}
