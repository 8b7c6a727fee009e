// Flame graph frames (pprof's stack set, laid out as its web flame graph lays it out), per zoom root, as columns.

import type { NodeMap } from '../graph/nodes';
import { computeFunctionNames } from '../profile/function-names';
import type { Profile } from '../profile/model';

/**
 * The frames of one zoom root, by depth, and left to right within a depth (so a parent comes before its
 * children and siblings are in order).
 * Frame i covers `[start[i], start[i] + value[i])` in sample units (Σ|w|, pprof's sumpos + sumneg) from the
 * root's left edge, at `depth[i]` (the zoom root is depth 0). `node[i]` is its graph node; -1 for the whole
 * profile's root and for an "other" frame: children of `parent[i]` narrower than the cut-off, merged
 * (`merged[i]` of them) so widths always add up. `self[i]` is Σ|w| of the samples that end at the frame; a
 * parent's children start after it (pprof leaves the self gap on the left). `net[i]` is the signed Σw.
 * Children are ordered as pprof's flame graph orders them: decreasing value, ties by first occurrence.
 */
export interface FlameFrames {
  length: number;
  node: Int32Array;
  parent: Int32Array;
  depth: Uint32Array;
  start: Float64Array;
  value: Float64Array;
  self: Float64Array;
  net: Float64Array;
  merged: Uint32Array;
}

export interface FlameOptions {
  sampleIndex: number;
  /**
   * Where the frames start. `path`: graph nodes from the root (empty: the whole profile) — the call-tree
   * frame to zoom into. `pivot`: a graph node, starting at its outermost occurrence in every stack (the
   * sandwich view); `direction` 1 walks to its callees, -1 to its callers.
   */
  path?: readonly number[];
  pivot?: number;
  direction?: 1 | -1;
  /** Children under the start frame's value × minFraction are merged into one "other" frame per parent. */
  minFraction: number;
  /** Frames deeper than this are not produced (their value stays in their parent). */
  maxDepth?: number;
}

/**
 * Cursors into the sample stacks: entry e is sample `sample[e]` at frame `frame[e]` (an index into
 * `nodes.locNodes`, or -(node + 2) for a one-frame location) of location stack slot `slot[e]`; frame -1 is
 * "before the outermost frame".
 */
interface Cursors {
  sample: Int32Array;
  slot: Int32Array;
  frame: Int32Array;
  weight: Float64Array;
  length: number;
}

/** Computes the frames under one start frame. Only frames wide enough are visited, one pass per depth. */
export function computeFlameFrames(profile: Profile, nodes: NodeMap, options: FlameOptions): FlameFrames {
  const { samples } = profile;
  const values = samples.values[options.sampleIndex];
  if (!values) throw new RangeError(`No sample type ${options.sampleIndex}`);
  const stack = samples.stack;
  const starts = nodes.pruned ? nodes.pruned.stackStart : samples.stackStart;
  const ends = nodes.pruned ? nodes.pruned.stackEnd : samples.stackStart.subarray(1);
  const { locNodeStart, locNodes, locSingle } = nodes;
  const direction = options.direction ?? 1;
  const maxDepth = options.maxDepth ?? Infinity;

  const c = createCursors(samples.length);
  for (let s = 0; s < samples.length; s++) {
    const w = values[s]!;
    if (w === 0) continue;
    c.sample[c.length] = s;
    c.slot[c.length] = ends[s]!;
    c.frame[c.length] = -1;
    c.weight[c.length] = w;
    c.length++;
  }

  // Moves entry e one frame toward the leaf (d = 1) or the root (d = -1); false when there is none.
  // A one-frame location (most) is stored as -(node + 2): its node without two more random reads.
  const advance = (e: number, d: 1 | -1): boolean => {
    const s = c.sample[e]!;
    let j = c.slot[e]!;
    const k = c.frame[e]!;
    if (d === 1) {
      if (k >= 0 && k > locNodeStart[stack[j]!]!) {
        c.frame[e] = k - 1;
        return true;
      }
      // Locations without frames (a filter may hide all of a location's lines) are stepped over.
      let loc: number;
      do {
        j--;
        if (j < starts[s]!) return false;
        loc = stack[j]!;
      } while (locSingle[loc]! < 0 && locNodeStart[loc + 1] === locNodeStart[loc]);
      c.slot[e] = j;
      const single = locSingle[loc]!;
      c.frame[e] = single >= 0 ? -2 - single : locNodeStart[loc + 1]! - 1;
      return true;
    }
    if (k >= 0 && k < locNodeStart[stack[j]! + 1]! - 1) {
      c.frame[e] = k + 1;
      return true;
    }
    let loc: number;
    do {
      j++;
      if (j >= ends[s]!) return false;
      loc = stack[j]!;
    } while (locSingle[loc]! < 0 && locNodeStart[loc + 1] === locNodeStart[loc]);
    c.slot[e] = j;
    const single = locSingle[loc]!;
    c.frame[e] = single >= 0 ? -2 - single : locNodeStart[loc]!;
    return true;
  };
  const nodeOf = (k: number): number => (k >= 0 ? locNodes[k]! : -2 - k);

  let rootNode = -1;
  if (options.pivot !== undefined) {
    // Outermost occurrence of the pivot in each stack; samples without it are dropped.
    const pivot = options.pivot;
    rootNode = pivot;
    let kept = 0;
    for (let e = 0; e < c.length; e++) {
      let found = false;
      while (advance(e, 1)) {
        if (nodeOf(c.frame[e]!) === pivot) {
          found = true;
          break;
        }
      }
      if (found) copyCursor(c, e, kept++);
    }
    c.length = kept;
  } else {
    for (const n of options.path ?? []) {
      rootNode = n;
      let kept = 0;
      for (let e = 0; e < c.length; e++) if (advance(e, 1) && nodeOf(c.frame[e]!) === n) copyCursor(c, e, kept++);
      c.length = kept;
    }
  }

  const out = new FrameColumns();
  let rootValue = 0;
  let rootNet = 0;
  for (let e = 0; e < c.length; e++) {
    rootValue += Math.abs(c.weight[e]!);
    rootNet += c.weight[e]!;
  }
  const cut = rootValue * options.minFraction;
  out.push(rootNode, -1, 0, 0, rootValue, 0, rootNet, 1);
  // Level by level, the entries stay in sample order, so the stacks are read front to back (a frame's
  // entries are far apart in memory; reading them frame by frame was bound by cache misses).
  // owner[e]: the frame entry e belongs to at the current depth.
  const owner = new Int32Array(c.length);
  const group = new Int32Array(c.length);
  const table = new PairTable();
  let levelStart = 0;
  let levelEnd = 1;
  for (let depth = 1; depth <= maxDepth && c.length > 0 && levelEnd > levelStart; depth++) {
    table.reset();
    const gParent: number[] = [];
    const gNode: number[] = [];
    const gValue: number[] = [];
    const gNet: number[] = [];
    let alive = 0;
    // Neighbouring samples often share a stack: the last (frame, node) → group spares the hash lookup.
    let lastF = -1;
    let lastN = -1;
    let lastG = -1;
    for (let e = 0; e < c.length; e++) {
      const f = owner[e]!;
      const w = c.weight[e]!;
      if (!advance(e, direction)) {
        out.self[f]! += Math.abs(w);
        continue;
      }
      const n = nodeOf(c.frame[e]!);
      let g = f === lastF && n === lastN ? lastG : table.get(f, n);
      lastF = f;
      lastN = n;
      if (g < 0) {
        g = gNode.length;
        table.set(f, n, g);
        gParent.push(f);
        gNode.push(n);
        gValue.push(0);
        gNet.push(0);
      }
      lastG = g;
      gValue[g]! += Math.abs(w);
      gNet[g]! += w;
      if (alive !== e) copyCursor(c, e, alive);
      owner[alive] = f;
      group[alive] = g;
      alive++;
    }
    c.length = alive;
    // Kept groups sorted by parent (frames of a level are numbered left to right), then pprof's order:
    // decreasing value, ties by first occurrence. Narrow groups are summed into one "other" per parent.
    const parents = levelEnd - levelStart;
    const otherValue = new Float64Array(parents);
    const otherNet = new Float64Array(parents);
    const otherCount = new Uint32Array(parents);
    const kept: number[] = [];
    for (let g = 0; g < gNode.length; g++) {
      const v = gValue[g]!;
      if (v < cut || v === 0) {
        const p = gParent[g]! - levelStart;
        otherValue[p]! += v;
        otherNet[p]! += gNet[g]!;
        otherCount[p]!++;
      } else kept.push(g);
    }
    kept.sort((a, b) => gParent[a]! - gParent[b]! || gValue[b]! - gValue[a]! || a - b);
    const frameOf = new Int32Array(gNode.length).fill(-1);
    const nextStart = out.length;
    let k = 0;
    for (let p = levelStart; p < levelEnd; p++) {
      let x = out.start[p]! + out.self[p]!;
      for (; k < kept.length && gParent[kept[k]!] === p; k++) {
        const g = kept[k]!;
        frameOf[g] = out.push(gNode[g]!, p, depth, x, gValue[g]!, 0, gNet[g]!, 1);
        x += gValue[g]!;
      }
      const o = p - levelStart;
      if (otherCount[o]! > 0) out.push(-1, p, depth, x, otherValue[o]!, otherValue[o]!, otherNet[o]!, otherCount[o]!);
    }
    // Entries of narrow groups stop here; the others move to their new frame.
    let next = 0;
    for (let e = 0; e < c.length; e++) {
      const f = frameOf[group[e]!]!;
      if (f < 0) continue;
      if (next !== e) copyCursor(c, e, next);
      owner[next] = f;
      next++;
    }
    c.length = next;
    levelStart = nextStart;
    levelEnd = out.length;
  }
  return out.finish();
}

/** Open-addressing map (frame, node) → group, cleared per level. */
class PairTable {
  #mask = 4095;
  #keyA = new Int32Array(4096);
  #keyB = new Int32Array(4096);
  #val = new Int32Array(4096).fill(-1);
  #count = 0;

  reset(): void {
    if (this.#count > 0) this.#val.fill(-1);
    this.#count = 0;
  }

  #slot(a: number, b: number): number {
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)) >>> 0;
    h = (h ^ (h >>> 15)) & this.#mask;
    while (this.#val[h]! >= 0 && (this.#keyA[h] !== a || this.#keyB[h] !== b)) h = (h + 1) & this.#mask;
    return h;
  }

  get(a: number, b: number): number {
    return this.#val[this.#slot(a, b)]!;
  }

  set(a: number, b: number, v: number): void {
    const h = this.#slot(a, b);
    this.#keyA[h] = a;
    this.#keyB[h] = b;
    this.#val[h] = v;
    if (++this.#count * 2 > this.#val.length) this.#grow();
  }

  #grow(): void {
    const keyA = this.#keyA;
    const keyB = this.#keyB;
    const val = this.#val;
    const size = val.length * 2;
    this.#mask = size - 1;
    this.#keyA = new Int32Array(size);
    this.#keyB = new Int32Array(size);
    this.#val = new Int32Array(size).fill(-1);
    for (let i = 0; i < val.length; i++) {
      if (val[i]! < 0) continue;
      const h = this.#slot(keyA[i]!, keyB[i]!);
      this.#keyA[h] = keyA[i]!;
      this.#keyB[h] = keyB[i]!;
      this.#val[h] = val[i]!;
    }
  }
}

function createCursors(n: number): Cursors {
  return { sample: new Int32Array(n), slot: new Int32Array(n), frame: new Int32Array(n), weight: new Float64Array(n), length: 0 };
}

function copyCursor(c: Cursors, from: number, to: number): void {
  copyCursorTo(c, from, c, to);
}

function copyCursorTo(c: Cursors, from: number, d: Cursors, to: number): void {
  d.sample[to] = c.sample[from]!;
  d.slot[to] = c.slot[from]!;
  d.frame[to] = c.frame[from]!;
  d.weight[to] = c.weight[from]!;
}

class FrameColumns {
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
    const g = <T extends Int32Array | Uint32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const out = make(this.#cap);
      out.set(a as never);
      return out;
    };
    this.node = g(this.node, (n) => new Int32Array(n));
    this.parent = g(this.parent, (n) => new Int32Array(n));
    this.depth = g(this.depth, (n) => new Uint32Array(n));
    this.start = g(this.start, (n) => new Float64Array(n));
    this.value = g(this.value, (n) => new Float64Array(n));
    this.self = g(this.self, (n) => new Float64Array(n));
    this.net = g(this.net, (n) => new Float64Array(n));
    this.merged = g(this.merged, (n) => new Uint32Array(n));
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
 * The graph nodes whose name matches `pattern` (1 in `nodes`), and `value`: Σ|w| of the samples with at
 * least one matching frame — the share of the total the search accounts for (a sample counts once).
 */
export function computeFlameMatches(profile: Profile, nodes: NodeMap, sampleIndex: number, pattern: RegExp): { nodes: Uint8Array; value: number } {
  const matched = new Uint8Array(nodes.length);
  for (let n = 0; n < nodes.length; n++) if (pattern.test(nodes.name[n]!)) matched[n] = 1;
  const { samples } = profile;
  const values = samples.values[sampleIndex]!;
  const starts = nodes.pruned ? nodes.pruned.stackStart : samples.stackStart;
  const ends = nodes.pruned ? nodes.pruned.stackEnd : samples.stackStart.subarray(1);
  const { locNodeStart, locNodes } = nodes;
  const locMatches = new Uint8Array(locNodeStart.length - 1);
  let any = false;
  for (let l = 0; l < locMatches.length; l++) {
    for (let k = locNodeStart[l]!; k < locNodeStart[l + 1]!; k++) {
      if (matched[locNodes[k]!] === 1) {
        locMatches[l] = 1;
        any = true;
      }
    }
  }
  let value = 0;
  if (any) {
    for (let s = 0; s < samples.length; s++) {
      for (let j = starts[s]!; j < ends[s]!; j++) {
        if (locMatches[samples.stack[j]!] === 1) {
          value += Math.abs(values[s]!);
          break;
        }
      }
    }
  }
  return { nodes: matched, value };
}

/**
 * What a tooltip says of each graph node: `fn[n]` its function name ('' when unknown), `file[n]` its source
 * file ('' when unknown) and `line[n]` the function's start line (0 when unknown) — from the first frame
 * seen of the node.
 */
export interface NodeDescriptions {
  fn: string[];
  file: string[];
  line: Uint32Array;
}

/** Describes every node of a node map from the frames that fall into it. */
export function computeNodeDescriptions(profile: Profile, nodes: NodeMap): NodeDescriptions {
  const { locations, lines, functions, strings } = profile;
  const fnNames = computeFunctionNames(profile);
  const fn = new Array<string>(nodes.length).fill('');
  const file = new Array<string>(nodes.length).fill('');
  const line = new Uint32Array(nodes.length);
  const seen = new Uint8Array(nodes.length);
  for (let l = 0; l < locations.length; l++) {
    const end = locations.lineStart[l + 1]!;
    const first = nodes.locNodeStart[l]!;
    const count = nodes.locNodeStart[l + 1]! - first;
    // The node map keeps a location's last `count` lines (pruning and noinlines drop inner ones).
    for (let i = 0; i < count; i++) {
      const n = nodes.locNodes[first + i]!;
      if (seen[n]) continue;
      seen[n] = 1;
      const li = end - count + i;
      const f = li >= locations.lineStart[l]! ? lines.function[li]! : -1;
      if (f < 0) continue;
      fn[n] = fnNames[f] ?? '';
      file[n] = strings[functions.filename[f]!] ?? '';
      line[n] = Math.max(0, functions.startLine[f]!);
    }
  }
  return { fn, file, line };
}

/**
 * Whether a functions-granularity node map has a node whose frames come from more than one source file.
 * When none has, pprof's flame-graph granularity (`filefunctions`) makes exactly the same nodes, so the
 * functions map (already built for the top table) can stand in for it and spare a second map.
 */
export function hasFunctionInTwoFiles(profile: Profile, functionNodes: NodeMap): boolean {
  const { locations, lines, functions } = profile;
  const fileOf = new Int32Array(functionNodes.length).fill(-1);
  for (let l = 0; l < locations.length; l++) {
    const end = locations.lineStart[l + 1]!;
    const first = functionNodes.locNodeStart[l]!;
    const count = functionNodes.locNodeStart[l + 1]! - first;
    for (let i = 0; i < count; i++) {
      const li = end - count + i;
      const f = li >= locations.lineStart[l]! ? lines.function[li]! : -1;
      if (f < 0) continue;
      const n = functionNodes.locNodes[first + i]!;
      const file = functions.filename[f]!;
      if (fileOf[n] === -1) fileOf[n] = file;
      else if (fileOf[n] !== file) return true;
    }
  }
  return false;
}
