// Growable columns the flame graph's level walk fills: the frames, and one depth's (frame, node) groups.

import type { FlameFrames } from './flame';

/** The frames as they are pushed (columns double when full); `finish` trims them to FlameFrames. */
export class FrameColumns {
  length = 0;
  #cap = 256;
  node = new Int32Array(this.#cap);
  parent = new Int32Array(this.#cap);
  depth = new Uint32Array(this.#cap);
  start = new Float64Array(this.#cap);
  value = new Float64Array(this.#cap);
  self = new Float64Array(this.#cap);
  net = new Float64Array(this.#cap);
  merged = new Uint32Array(this.#cap);

  push(node: number, parent: number, depth: number, start: number, value: number, self: number, net: number, merged: number): number {
    if (this.length === this.#cap) this.#grow();
    const i = this.length++;
    this.node[i] = node;
    this.parent[i] = parent;
    this.depth[i] = depth;
    this.start[i] = start;
    this.value[i] = value;
    this.self[i] = self;
    this.net[i] = net;
    this.merged[i] = merged;
    return i;
  }

  #grow(): void {
    this.#cap *= 2;
    this.node = growArray(this.node, new Int32Array(this.#cap));
    this.parent = growArray(this.parent, new Int32Array(this.#cap));
    this.depth = growArray(this.depth, new Uint32Array(this.#cap));
    this.start = growArray(this.start, new Float64Array(this.#cap));
    this.value = growArray(this.value, new Float64Array(this.#cap));
    this.self = growArray(this.self, new Float64Array(this.#cap));
    this.net = growArray(this.net, new Float64Array(this.#cap));
    this.merged = growArray(this.merged, new Uint32Array(this.#cap));
  }

  finish(): FlameFrames {
    const n = this.length;
    return {
      length: n,
      node: this.node.slice(0, n),
      parent: this.parent.slice(0, n),
      depth: this.depth.slice(0, n),
      start: this.start.slice(0, n),
      value: this.value.slice(0, n),
      self: this.self.slice(0, n),
      net: this.net.slice(0, n),
      merged: this.merged.slice(0, n),
    };
  }
}

/**
 * One depth's groups: group g is node `node[g]` under frame `parent[g]`, with Σ|w| `value[g]` and Σw
 * `net[g]`; groups are numbered in the order they were first found. `find` answers most lookups from a
 * per-node slot (the frame and group the node was last found under: in a call tree most nodes have one
 * parent per depth), the rest from an open-addressing table of (frame, node) cleared per depth.
 */
export class LevelGroups {
  length = 0;
  parent = new Int32Array(1024);
  node = new Int32Array(1024);
  value = new Float64Array(1024);
  net = new Float64Array(1024);
  /**
   * Per node n: [2n] the frame it was last found under (frames are never reused), [2n + 1] the group.
   * Read-only outside: a hot loop may check it before calling `find`.
   */
  readonly last: Int32Array;
  /** Slots of 4: frame, node, group (-1: empty), unused. */
  #table = new Int32Array(4096 * 4).fill(-1);
  #mask = 4095;

  constructor(nodeCount: number) {
    this.last = new Int32Array(2 * nodeCount).fill(-1);
  }

  /** Starts a depth: no groups. */
  reset(): void {
    if (this.length === 0) return;
    this.length = 0;
    this.#table.fill(-1);
  }

  /** The group of node n under frame f, added (value 0) when new. */
  find(f: number, n: number): number {
    const i = 2 * n;
    if (this.last[i] === f) return this.last[i + 1]!;
    let h = this.#slot(f, n);
    let g = this.#table[h + 2]!;
    if (g < 0) {
      g = this.#add(f, n);
      this.#table[h] = f;
      this.#table[h + 1] = n;
      this.#table[h + 2] = g;
      if (this.length * 2 > this.#mask) this.#growTable();
    }
    this.last[i] = f;
    this.last[i + 1] = g;
    return g;
  }

  #slot(f: number, n: number): number {
    let h = (Math.imul(f, 0x9e3779b1) ^ Math.imul(n + 1, 0x85ebca6b)) >>> 0;
    h = (h ^ (h >>> 15)) & this.#mask;
    const t = this.#table;
    while (t[4 * h + 2]! >= 0 && (t[4 * h] !== f || t[4 * h + 1] !== n)) h = (h + 1) & this.#mask;
    return 4 * h;
  }

  #add(f: number, n: number): number {
    if (this.length === this.parent.length) {
      const cap = this.length * 2;
      this.parent = growArray(this.parent, new Int32Array(cap));
      this.node = growArray(this.node, new Int32Array(cap));
      this.value = growArray(this.value, new Float64Array(cap));
      this.net = growArray(this.net, new Float64Array(cap));
    }
    const g = this.length++;
    this.parent[g] = f;
    this.node[g] = n;
    this.value[g] = 0;
    this.net[g] = 0;
    return g;
  }

  #growTable(): void {
    const size = (this.#mask + 1) * 2;
    this.#mask = size - 1;
    this.#table = new Int32Array(size * 4).fill(-1);
    for (let g = 0; g < this.length; g++) {
      const h = this.#slot(this.parent[g]!, this.node[g]!);
      this.#table[h] = this.parent[g]!;
      this.#table[h + 1] = this.node[g]!;
      this.#table[h + 2] = g;
    }
  }
}

function growArray<T extends Int32Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
