// Samples → node flat/cum, and the inline markers of in-edges, exactly as pprof's graph.New does.

import type { Profile } from '../profile/model';
import type { NodeMap } from './nodes';

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
  const { samples } = profile;
  const values = samples.values[sampleIndex]!;
  const stack = samples.stack;
  const starts = nodes.pruned ? nodes.pruned.stackStart : samples.stackStart;
  const ends = nodes.pruned ? nodes.pruned.stackEnd : samples.stackStart.subarray(1);
  const { locNodeStart, locNodes, locSingle } = nodes;
  const n = nodes.length;
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const seen = new Int32Array(n).fill(-1);
  for (let s = 0; s < samples.length; s++) {
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
  return { flat, cum };
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
 * node keeps an inline in-edge, bit 2 when it keeps a non-inline one. Samples without any such node are
 * skipped after a cheap scan of their locations.
 */
export function buildInEdges(profile: Profile, nodes: NodeMap, options: InEdgeOptions): Uint8Array {
  const { samples } = profile;
  const values = samples.values[options.sampleIndex]!;
  const stack = samples.stack;
  const starts = nodes.pruned ? nodes.pruned.stackStart : samples.stackStart;
  const ends = nodes.pruned ? nodes.pruned.stackEnd : samples.stackStart.subarray(1);
  const { locNodeStart, locNodes, locSingle } = nodes;
  const { kept, edgeNodes } = options;
  const locHasEdgeNode = new Uint8Array(locNodeStart.length - 1);
  for (let l = 0; l < locHasEdgeNode.length; l++) {
    for (let k = locNodeStart[l]!; k < locNodeStart[l + 1]!; k++) if (edgeNodes[locNodes[k]!] === 1) locHasEdgeNode[l] = 1;
  }
  const edges = new EdgeTable();
  for (let s = 0; s < samples.length; s++) {
    const w = values[s]!;
    if (w === 0) continue;
    let relevant = false;
    for (let j = starts[s]!; j < ends[s]! && !relevant; j++) relevant = locHasEdgeNode[stack[j]!] === 1;
    if (!relevant) continue;
    let parent = -1;
    for (let j = ends[s]! - 1; j >= starts[s]!; j--) {
      const loc = stack[j]!;
      const single = locSingle[loc]!;
      if (single >= 0) {
        // One frame: the outermost line of its location, so any edge into it is not inline.
        if (kept !== null && kept[single] === 0) continue;
        if (parent >= 0 && single !== parent && edgeNodes[single] === 1) edges.add(parent, single, w, s, false);
        parent = single;
        continue;
      }
      const last = locNodeStart[loc + 1]! - 1;
      for (let k = last; k >= locNodeStart[loc]!; k--) {
        const node = locNodes[k]!;
        if (kept !== null && kept[node] === 0) continue;
        if (parent >= 0 && node !== parent && edgeNodes[node] === 1) edges.add(parent, node, w, s, k !== last);
        parent = node;
      }
    }
  }
  const inEdges = new Uint8Array(nodes.length);
  edges.markInEdges(inEdges, options.edgeCutoff);
  return inEdges;
}

/**
 * Open-addressing table of edges (parent → child) with weight, an all-inline flag and the last sample
 * that touched each edge (pprof counts an edge once per sample; the first visit sets its inline flag).
 */
class EdgeTable {
  #mask: number;
  #slots: Int32Array;
  #parent: Uint32Array;
  #child: Uint32Array;
  #weight: Float64Array;
  #inline: Uint8Array;
  #stamp: Int32Array;
  #count = 0;

  constructor() {
    const cap = 1024;
    this.#mask = cap * 2 - 1;
    this.#slots = new Int32Array(cap * 2).fill(-1);
    this.#parent = new Uint32Array(cap);
    this.#child = new Uint32Array(cap);
    this.#weight = new Float64Array(cap);
    this.#inline = new Uint8Array(cap);
    this.#stamp = new Int32Array(cap);
  }

  add(parent: number, child: number, w: number, sample: number, inline: boolean): void {
    let h = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(child, 0x85ebca6b)) & this.#mask;
    for (;;) {
      const e = this.#slots[h]!;
      if (e < 0) break;
      if (this.#parent[e] === parent && this.#child[e] === child) {
        if (this.#stamp[e] === sample) return;
        this.#stamp[e] = sample;
        this.#weight[e]! += w;
        if (!inline) this.#inline[e] = 0;
        return;
      }
      h = (h + 1) & this.#mask;
    }
    const e = this.#count++;
    if (e === this.#parent.length) this.#grow();
    this.#parent[e] = parent;
    this.#child[e] = child;
    this.#weight[e] = w;
    this.#inline[e] = inline ? 1 : 0;
    this.#stamp[e] = sample;
    // Keep the load factor at or under one half.
    if (this.#count * 2 > this.#slots.length) this.#rehash();
    else this.#slots[h] = e;
  }

  #insertSlot(e: number): void {
    let h = (Math.imul(this.#parent[e]!, 0x9e3779b1) ^ Math.imul(this.#child[e]!, 0x85ebca6b)) & this.#mask;
    while (this.#slots[h]! >= 0 && this.#slots[h] !== e) h = (h + 1) & this.#mask;
    this.#slots[h] = e;
  }

  #grow(): void {
    const cap = this.#parent.length * 2;
    const grow = <T extends Uint32Array | Float64Array | Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a as never);
      return b;
    };
    this.#parent = grow(this.#parent, (k) => new Uint32Array(k));
    this.#child = grow(this.#child, (k) => new Uint32Array(k));
    this.#weight = grow(this.#weight, (k) => new Float64Array(k));
    this.#inline = grow(this.#inline, (k) => new Uint8Array(k));
    this.#stamp = grow(this.#stamp, (k) => new Int32Array(k));
  }

  #rehash(): void {
    const size = this.#slots.length * 2;
    this.#mask = size - 1;
    this.#slots = new Int32Array(size).fill(-1);
    for (let e = 0; e < this.#count; e++) this.#insertSlot(e);
  }

  /** Sets the in-edge bits of each child from the edges whose |weight| reaches the cutoff. */
  markInEdges(inEdges: Uint8Array, cutoff: number): void {
    for (let e = 0; e < this.#count; e++) {
      if (Math.abs(this.#weight[e]!) < cutoff) continue;
      inEdges[this.#child[e]!]! |= this.#inline[e] ? 1 : 2;
    }
  }
}
