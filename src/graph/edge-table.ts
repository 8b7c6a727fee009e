// pprof's edges while walking samples: one entry per (parent, child) with its weight and flags.

/**
 * Open-addressing table of edges (parent → child): weight, residual and inline flags, and the last sample
 * that touched each edge (pprof counts an edge once per sample; later visits in that sample change nothing).
 */
export class EdgeTable {
  #mask = 2047;
  #slots = new Int32Array(2048).fill(-1);
  #parent = new Uint32Array(1024);
  #child = new Uint32Array(1024);
  #weight = new Float64Array(1024);
  #flags = new Uint8Array(1024);
  #stamp = new Int32Array(1024);
  #count = 0;

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
    for (let e = 0; e < this.#count; e++) f(this.#parent[e]!, this.#child[e]!, this.#weight[e]!, (this.#flags[e]! & 1) !== 0, (this.#flags[e]! & 2) !== 0);
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
      inEdges[this.#child[e]!]! |= (this.#flags[e]! & 2) !== 0 ? 1 : 2;
    }
  }
}
