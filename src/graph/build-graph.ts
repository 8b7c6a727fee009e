// Samples → node flat/cum (and the inline markers of in-edges), exactly as pprof's graph.New does.

import type { Profile } from '../profile/model';
import type { NodeMap } from './nodes';

/**
 * Per-node sums for one sample type. `flat[n]`/`cum[n]` are signed sums; cum counts a sample once per
 * node even under recursion. `inEdges[n]` has bit 1 when node n keeps an inline in-edge and bit 2 when
 * it keeps a non-inline one (only computed for nodes that ever occur inlined; 0 otherwise).
 */
export interface NodeSums {
  flat: Float64Array;
  cum: Float64Array;
  inEdges: Uint8Array;
}

export interface BuildGraphOptions {
  sampleIndex: number;
  /** Nodes to keep (1) or drop (0); frames of dropped nodes are skipped, leaving residual edges. */
  kept?: Uint8Array | null;
  /** Compute in-edge markers, dropping edges with |weight| < edgeCutoff first. */
  edgeCutoff?: number | null;
  /**
   * Nodes (1) whose in-edges are tracked; default: every node that occurs inlined. Others can never be
   * marked (inline) — an in-edge is inline only when its callee frame is an inlined line.
   */
  edgeNodes?: Uint8Array | null;
}

/** Accumulates flat and cum of every node for one sample type. */
export function buildNodeSums(profile: Profile, nodes: NodeMap, options: BuildGraphOptions): NodeSums {
  const { samples } = profile;
  const values = samples.values[options.sampleIndex]!;
  const stack = samples.stack;
  const starts = nodes.pruned ? nodes.pruned.stackStart : samples.stackStart;
  const ends = nodes.pruned ? nodes.pruned.stackEnd : samples.stackStart.subarray(1);
  const { locNodeStart, locNodes, locSingle } = nodes;
  const edgeNodes = options.edgeNodes ?? nodes.inlinable;
  const kept = options.kept ?? null;
  const withEdges = options.edgeCutoff !== undefined && options.edgeCutoff !== null;
  const n = nodes.length;
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const seen = new Int32Array(n).fill(-1);
  const edges = withEdges ? new EdgeTable() : null;

  for (let s = 0; s < samples.length; s++) {
    const w = values[s]!;
    if (w === 0) continue;
    let parent = -1;
    let residual = false;
    for (let j = ends[s]! - 1; j >= starts[s]!; j--) {
      const loc = stack[j]!;
      const single = locSingle[loc]!;
      const first = single >= 0 ? 0 : locNodeStart[loc]!;
      const last = single >= 0 ? 0 : locNodeStart[loc + 1]! - 1;
      for (let k = last; k >= first; k--) {
        const node = single >= 0 ? single : locNodes[k]!;
        if (kept !== null && kept[node] === 0) {
          residual = true;
          continue;
        }
        if (seen[node] !== s) {
          seen[node] = s;
          cum[node]! += w;
        }
        if (edges !== null && parent >= 0 && node !== parent && edgeNodes[node] === 1) {
          edges.add(parent, node, w, s, k !== last);
        }
        parent = node;
        residual = false;
      }
    }
    if (parent >= 0 && !residual) flat[parent]! += w;
  }
  const inEdges = new Uint8Array(n);
  if (edges !== null) edges.markInEdges(inEdges, options.edgeCutoff!);
  return { flat, cum, inEdges };
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
