// pprof's orders for the graph view: the entropy node order, the edge order, and redundant residual edges.

import type { GraphEdge, GraphNode } from './graph-pass';
import type { NodeInfo } from './nodes';

const MIN_INT64 = -(2n ** 63n);

/** Go's int64(x) on amd64: out of range (and NaN) gives the minimum int64. */
function toInt64(x: number): bigint {
  if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 63) return MIN_INT64;
  return BigInt(Math.trunc(x));
}

/** Go's abs64 on int64 (the minimum stays negative). */
function abs64(v: bigint): bigint {
  return v < 0n ? BigInt.asIntN(64, -v) : v;
}

/** Go's math.Log2: exact for powers of two, else ln(frac)/ln 2 + exp. */
function log2(x: number): number {
  if (x === 0) return -Infinity;
  let exp = Math.floor(Math.log2(x)) + 1;
  let frac = x / 2 ** exp;
  // Correct the estimate so frac is in [0.5, 1).
  if (frac >= 1) {
    frac /= 2;
    exp++;
  } else if (frac < 0.5) {
    frac *= 2;
    exp--;
  }
  if (frac === 0.5) return exp - 1;
  return Math.log(frac) * (1 / Math.LN2) + exp;
}

function edgeEntropy(edges: Set<GraphEdge>, self: number): number {
  let total = self;
  for (const e of edges) if (e.weight > 0) total += Math.abs(e.weight);
  let score = 0;
  if (total !== 0) {
    for (const e of edges) {
      const frac = Math.abs(e.weight) / total;
      score += -frac * log2(frac);
    }
    if (self > 0) {
      const frac = Math.abs(self) / total;
      score += -frac * log2(frac);
    }
  }
  return score;
}

/**
 * pprof's entropyScore: how much a node is worth showing. Entry and leaf nodes get a bonus; a node whose
 * in- or out-edges spread their weight scores higher than a simple fall-through. int64 arithmetic as Go's.
 */
export function computeEntropyScore(n: GraphNode): bigint {
  let score = 0;
  score += n.in.size === 0 ? 1 : edgeEntropy(n.in, 0);
  score += n.out.size === 0 ? 1 : edgeEntropy(n.out, n.flat);
  return BigInt.asIntN(64, toInt64(score * n.cum) + BigInt(n.flat));
}

/** Go's fmt.Sprint of a NodeInfo, pprof's last tie-break between nodes. */
function formatNodeInfo(i: NodeInfo): string {
  return `{${i.name}  ${i.address} ${i.file} ${i.startLine} ${i.lineno} ${i.objfile}}`;
}

/** Sorts nodes in pprof's EntropyOrder: |score|, then printable name, then |flat|, then the NodeInfo text. */
export function sortByEntropy(nodes: GraphNode[], names: string[], info: NodeInfo[]): GraphNode[] {
  const score = new Map<GraphNode, bigint>();
  for (const n of nodes) score.set(n, abs64(computeEntropyScore(n)));
  return nodes.sort((a, b) => {
    const sa = score.get(a)!;
    const sb = score.get(b)!;
    if (sa !== sb) return sa > sb ? -1 : 1;
    const na = names[a.id]!;
    const nb = names[b.id]!;
    if (na !== nb) return na < nb ? -1 : 1;
    const fa = Math.abs(a.flat);
    const fb = Math.abs(b.flat);
    if (fa !== fb) return fb - fa;
    const ia = formatNodeInfo(info[a.id]!);
    const ib = formatNodeInfo(info[b.id]!);
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
}

/** pprof's edge order: |weight| descending, then caller name, then callee name. */
export function sortEdges(edges: Iterable<GraphEdge>, names: string[]): GraphEdge[] {
  return [...edges].sort((a, b) => {
    if (a.weight !== b.weight) {
      const d = Math.abs(b.weight) - Math.abs(a.weight);
      if (d !== 0) return d;
    }
    const fa = names[a.src.id]!;
    const fb = names[b.src.id]!;
    if (fa !== fb) return fa < fb ? -1 : 1;
    const ta = names[a.dest.id]!;
    const tb = names[b.dest.id]!;
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  });
}

/** Removes an edge from both of its nodes. */
export function removeEdge(e: GraphEdge): void {
  e.src.out.delete(e);
  e.dest.in.delete(e);
}

/** True when e.src reaches e.dest through other edges (a breadth-first walk up the callers). */
function isRedundantEdge(e: GraphEdge): boolean {
  const seen = new Set<GraphNode>([e.dest]);
  const queue: GraphNode[] = [e.dest];
  for (let q = 0; q < queue.length; q++) {
    for (const ie of queue[q]!.in) {
      if (ie === e || seen.has(ie.src)) continue;
      if (ie.src === e.src) return true;
      seen.add(ie.src);
      queue.push(ie.src);
    }
  }
  return false;
}

/**
 * pprof's RemoveRedundantEdges: from the last node back, each node's in-edges from the lightest up, a
 * residual edge goes when its caller reaches the node another way; the walk stops at the first non-residual
 * edge (heavier residual edges stay, to avoid confusion).
 */
export function removeRedundantEdges(nodes: GraphNode[], names: string[]): void {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const inEdges = sortEdges(nodes[i]!.in, names);
    for (let j = inEdges.length - 1; j >= 0; j--) {
      const e = inEdges[j]!;
      if (!e.residual) break;
      if (isRedundantEdge(e)) removeEdge(e);
    }
  }
}
