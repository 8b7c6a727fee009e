// pprof's edges while walking samples: one entry per (parent, child) with its weight and flags.

/**
 * pprof's edges between the nodes a pass keeps, numbered 0..k−1 (slots; `nodeOf[slot]` is the node): `add` is
 * called with slots once per kept frame with a parent; `forEach` and `markInEdges` speak of nodes.
 */
export interface Edges {
  add(parent: number, child: number, w: number, sample: number, residual: boolean, inline: boolean): void;
  /** Visits the edges (as nodes) in the order they were first added. */
  forEach(f: (parent: number, child: number, weight: number, residual: boolean, inline: boolean) => void): void;
  /** Sets the in-edge bits of each child node from the edges whose |weight| reaches the cutoff: 1 inline, 2 not. */
  markInEdges(inEdges: Uint8Array, cutoff: number): void;
}

/** Up to this many kept nodes (this squared cells) the edges live in a dense matrix instead of a hash table. */
export const DENSE_EDGE_NODES = 1024;

/**
 * The edge table for the kept nodes `nodeOf`: a matrix when they are few (a pass over millions of frames then
 * pays no hashing; 214 of 50 005 nodes on synthetic_2m after nodefraction), else open addressing. Both give
 * the same edges in the same order.
 */
export function createEdgeTable(nodeOf: Int32Array): Edges {
  return nodeOf.length <= DENSE_EDGE_NODES ? new DenseEdgeTable(nodeOf) : new EdgeTable(nodeOf);
}

/**
 * Edges as a matrix of the kept nodes: cell `parent × k + child` holds the edge's weight, flags and last
 * sample; `order` lists the cells in the order their edges were first added.
 */
class DenseEdgeTable implements Edges {
  #nodeOf: Int32Array;
  #k: number;
  #weight: Float64Array;
  #stamp: Int32Array;
  /** 0 when the cell holds no edge yet; else 4 | (inline ? 2 : 0) | (residual ? 1 : 0). */
  #flags: Uint8Array;
  #order: number[] = [];

  constructor(nodeOf: Int32Array) {
    this.#nodeOf = nodeOf;
    const k = (this.#k = nodeOf.length);
    this.#weight = new Float64Array(k * k);
    this.#stamp = new Int32Array(k * k);
    this.#flags = new Uint8Array(k * k);
  }

  add(parent: number, child: number, w: number, sample: number, residual: boolean, inline: boolean): void {
    const cell = parent * this.#k + child;
    const f = this.#flags[cell]!;
    if (f === 0) {
      this.#order.push(cell);
      this.#flags[cell] = 4 | (inline ? 2 : 0) | (residual ? 1 : 0);
      this.#weight[cell] = w;
      this.#stamp[cell] = sample;
      return;
    }
    if (this.#stamp[cell] === sample) return;
    this.#stamp[cell] = sample;
    this.#weight[cell]! += w;
    if (residual) this.#flags[cell]! |= 1;
    if (!inline) this.#flags[cell]! &= ~2;
  }

  forEach(f: (parent: number, child: number, weight: number, residual: boolean, inline: boolean) => void): void {
    const k = this.#k;
    for (const c of this.#order) {
      const flags = this.#flags[c]!;
      f(this.#nodeOf[(c / k) | 0]!, this.#nodeOf[c % k]!, this.#weight[c]!, (flags & 1) !== 0, (flags & 2) !== 0);
    }
  }

  markInEdges(inEdges: Uint8Array, cutoff: number): void {
    for (const c of this.#order) {
      if (Math.abs(this.#weight[c]!) < cutoff) continue;
      inEdges[this.#nodeOf[c % this.#k]!]! |= (this.#flags[c]! & 2) !== 0 ? 1 : 2;
    }
  }
}

/**
 * Open-addressing table of edges between slots (parent → child): weight, residual and inline flags, and the last sample
 * that touched each edge (pprof counts an edge once per sample; later visits in that sample change nothing).
 */
class EdgeTable implements Edges {
  #nodeOf: Int32Array;
  #mask = 2047;
  #slots = new Int32Array(2048).fill(-1);
  #parent = new Uint32Array(1024);
  #child = new Uint32Array(1024);
  #weight = new Float64Array(1024);
  #flags = new Uint8Array(1024);
  #stamp = new Int32Array(1024);
  #count = 0;

  constructor(nodeOf: Int32Array) {
    this.#nodeOf = nodeOf;
  }

  add(parent: number, child: number, w: number, sample: number, residual: boolean, inline: boolean): void {
    let h = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(child, 0x85ebca6b)) & this.#mask;
    for (;;) {
      const e = this.#slots[h]!;
      if (e < 0) break;
      if (this.#parent[e] === parent && this.#child[e] === child) {
        if (this.#stamp[e] === sample) return;
        this.#stamp[e] = sample;
        this.#weight[e]! += w;
        if (residual) this.#flags[e]! |= 1;
        if (!inline) this.#flags[e]! &= ~2;
        return;
      }
      h = (h + 1) & this.#mask;
    }
    const e = this.#count++;
    if (e === this.#parent.length) this.#grow();
    this.#parent[e] = parent;
    this.#child[e] = child;
    this.#weight[e] = w;
    this.#flags[e] = (residual ? 1 : 0) | (inline ? 2 : 0);
    this.#stamp[e] = sample;
    if (this.#count * 2 > this.#slots.length) this.#rehash();
    else this.#slots[h] = e;
  }

  forEach(f: (parent: number, child: number, weight: number, residual: boolean, inline: boolean) => void): void {
    const nodeOf = this.#nodeOf;
    for (let e = 0; e < this.#count; e++) f(nodeOf[this.#parent[e]!]!, nodeOf[this.#child[e]!]!, this.#weight[e]!, (this.#flags[e]! & 1) !== 0, (this.#flags[e]! & 2) !== 0);
  }

  #grow(): void {
    const cap = this.#parent.length * 2;
    const grow = <T extends Uint32Array | Float64Array | Uint8Array | Int32Array>(a: T, b: T): T => {
      b.set(a as never);
      return b;
    };
    this.#parent = grow(this.#parent, new Uint32Array(cap));
    this.#child = grow(this.#child, new Uint32Array(cap));
    this.#weight = grow(this.#weight, new Float64Array(cap));
    this.#flags = grow(this.#flags, new Uint8Array(cap));
    this.#stamp = grow(this.#stamp, new Int32Array(cap));
  }

  #rehash(): void {
    const size = this.#slots.length * 2;
    this.#mask = size - 1;
    this.#slots = new Int32Array(size).fill(-1);
    for (let e = 0; e < this.#count; e++) {
      let h = (Math.imul(this.#parent[e]!, 0x9e3779b1) ^ Math.imul(this.#child[e]!, 0x85ebca6b)) & this.#mask;
      while (this.#slots[h]! >= 0) h = (h + 1) & this.#mask;
      this.#slots[h] = e;
    }
  }

  /** Sets the in-edge bits of each child from the edges whose |weight| reaches the cutoff: 1 inline, 2 not. */
  markInEdges(inEdges: Uint8Array, cutoff: number): void {
    for (let e = 0; e < this.#count; e++) {
      if (Math.abs(this.#weight[e]!) < cutoff) continue;
      inEdges[this.#nodeOf[this.#child[e]!]!]! |= (this.#flags[e]! & 2) !== 0 ? 1 : 2;
    }
  }
}

/** Edges as columns of nodes, in the order they were first added: what another worker's part sends back. */
export interface EdgeList {
  parent: Int32Array;
  child: Int32Array;
  weight: Float64Array;
  /** 1 residual, 2 inline. */
  flags: Uint8Array;
}

/** The edges of a table as an EdgeList. */
export function listEdges(edges: Edges): EdgeList {
  const parent: number[] = [];
  const child: number[] = [];
  const weight: number[] = [];
  const flags: number[] = [];
  edges.forEach((p, c, w, residual, inline) => {
    parent.push(p);
    child.push(c);
    weight.push(w);
    flags.push((residual ? 1 : 0) | (inline ? 2 : 0));
  });
  return { parent: Int32Array.from(parent), child: Int32Array.from(child), weight: Float64Array.from(weight), flags: Uint8Array.from(flags) };
}

/**
 * Adds the edges of another part of the samples (listEdges of a table over the same kept nodes) into `edges`:
 * weights add up, residual if either part's is, inline only if both parts' are — one pass over all the
 * samples gives the same. `slotOf[node]` is the node's slot in `edges`.
 */
export function addEdgeList(edges: Edges, list: EdgeList, slotOf: Int32Array): void {
  // Each listed (parent, child) is distinct: one stamp that no sample uses counts each once.
  const stamp = -2;
  for (let e = 0; e < list.parent.length; e++) {
    const f = list.flags[e]!;
    edges.add(slotOf[list.parent[e]!]!, slotOf[list.child[e]!]!, list.weight[e]!, stamp, (f & 1) !== 0, (f & 2) !== 0);
  }
}
