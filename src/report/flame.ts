// Flame graph frames (pprof's stack set, laid out as its web flame graph lays it out), per zoom root, as columns.

import type { FrameNodes } from '../graph/build-graph';
import { readStackColumns, type NodeMap, type StackColumns } from '../graph/nodes';
import { computeFunctionNames } from '../profile/function-names';
import type { Profile } from '../profile/model';
import { FrameColumns, LevelGroups } from './flame-columns';

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

/** The cut the app asks for: boxes narrower than this share of the zoom root are merged (≈ 1 px at 4 000 px). */
export const FLAME_MIN_FRACTION = 1 / 4000;

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
  /** Frames deeper than this are not produced (their value stays in their parent); self at this depth is 0. */
  maxDepth?: number;
}

/** Where a walk starts: the whole profile, a zoom path, or a sandwich pivot and direction. */
export type FlameStart = Pick<FlameOptions, 'path' | 'pivot' | 'direction'>;

/** Computes the frames under one start frame. Only frames wide enough are visited, one pass per depth. */
export function computeFlameFrames(profile: Profile, nodes: NodeMap, options: FlameOptions): FlameFrames {
  if (!profile.samples.values[options.sampleIndex]) throw new RangeError(`No sample type ${options.sampleIndex}`);
  const walk = new FlameWalk(readStackColumns(profile, nodes, options.sampleIndex), nodes, options);
  const levels = new FrameLevels(walk.rootNode, walk.sumRoot(), options, nodes.length);
  while (levels.next(walk.alive)) {
    walk.step(levels.groups, levels.out.self);
    walk.setFrames(levels.endLevel());
  }
  return levels.finish();
}

/**
 * The walk of one part of the samples (all of them, or [from, to): the engine's and the pass worker's
 * shares), one depth at a time. Level by level, the entries stay in sample order, so the stacks are read
 * front to back (a frame's entries are far apart in memory; reading them frame by frame was bound by cache
 * misses).
 */
export class FlameWalk {
  /** The start frame's node (-1: the whole profile's root). */
  readonly rootNode: number;
  #c: Cursors;
  #stack: Uint32Array;
  #nodes: FrameNodes;
  #direction: 1 | -1;
  /** #group[e]: entry e's group at the last depth, whose frame is #frameOf[group] (-1: merged, it stops). */
  #group: Int32Array;
  #frameOf: Int32Array = Int32Array.of(0);
  /** 1 when every weight is positive, -1 when every one is negative, 0 when they are mixed. */
  #sign: number;

  constructor(columns: StackColumns, nodes: FrameNodes, start: FlameStart, from = 0, to = columns.values.length) {
    this.#stack = columns.stack;
    this.#nodes = nodes;
    this.#direction = start.direction ?? 1;
    const { cursors, rootNode } = startCursors(columns, nodes, start, from, to);
    this.#c = cursors;
    this.rootNode = rootNode;
    // Before the first depth every entry is in the root frame (group 0, frame 0).
    this.#group = new Int32Array(cursors.length);
    this.#sign = readSign(cursors.weight, cursors.length);
  }

  /** Entries still walked. */
  get alive(): number {
    return this.#c.length;
  }

  /** Σ|w| and Σw of the samples under the start frame. */
  sumRoot(): { value: number; net: number } {
    const c = this.#c;
    let value = 0;
    let net = 0;
    for (let e = 0; e < c.length; e++) {
      value += Math.abs(c.weight[e]!);
      net += c.weight[e]!;
    }
    return { value, net };
  }

  /**
   * One depth: every entry in a kept frame steps one frame and joins its (frame, node) group in `groups`
   * (numbered by first occurrence); an entry whose stack ends adds |w| to `self[frame − selfBase]`.
   */
  step(groups: LevelGroups, self: Float64Array, selfBase = 0): void {
    groupNextFrames(this.#c, this.#stack, this.#nodes, this.#direction, this.#sign, self, selfBase, groups, this.#group, this.#frameOf);
  }

  /** The frame of each group of the last step (-1: merged, its entries stop there). */
  setFrames(frameOf: Int32Array): void {
    this.#frameOf = frameOf;
  }
}

/** One depth's groups from another part of the samples, and the self it found for the depth above. */
export interface LevelPart {
  length: number;
  parent: Int32Array;
  node: Int32Array;
  value: Float64Array;
  net: Float64Array;
  /** Self of frames [levelStart, levelEnd) (the depth above), from the part's stacks that ended there. */
  self: Float64Array;
}

/**
 * The frames of a walk as its depths are added. A depth's groups come from one walk, or from the parts of
 * the samples in sample order: then numbered as one walk over all of them numbers them, so the frames are
 * the same (sums of integer values below 2^53 are exact in any order).
 */
export class FrameLevels {
  readonly groups: LevelGroups;
  readonly out = new FrameColumns();
  #cut: number;
  #maxDepth: number;
  #depth = 0;
  #levelStart = 0;
  #levelEnd = 1;

  constructor(rootNode: number, root: { value: number; net: number }, options: Pick<FlameOptions, 'minFraction' | 'maxDepth'>, nodeCount: number) {
    this.#cut = root.value * options.minFraction;
    this.#maxDepth = options.maxDepth ?? Infinity;
    this.groups = new LevelGroups(nodeCount);
    this.out.push(rootNode, -1, 0, 0, root.value, 0, root.net, 1);
  }

  /** The frames of the depth above the one being walked: [levelStart, levelEnd). */
  get levelStart(): number {
    return this.#levelStart;
  }

  get levelEnd(): number {
    return this.#levelEnd;
  }

  /** Starts the next depth (no groups yet) when there is one, `alive` entries still walking. */
  next(alive: number): boolean {
    if (this.#depth >= this.#maxDepth || alive === 0 || this.#levelEnd === this.#levelStart) return false;
    this.#depth++;
    this.groups.reset();
    return true;
  }

  /** Adds a part's groups (its samples come after those added so far) and self; returns each part group's group. */
  addPart(part: LevelPart): Int32Array {
    const self = this.out.self;
    for (let i = 0; i < part.self.length; i++) self[this.#levelStart + i]! += part.self[i]!;
    const groups = this.groups;
    const own = new Int32Array(part.length);
    for (let g = 0; g < part.length; g++) {
      const k = groups.find(part.parent[g]!, part.node[g]!);
      groups.value[k]! += part.value[g]!;
      groups.net[k]! += part.net[g]!;
      own[g] = k;
    }
    return own;
  }

  /** Pushes this depth's frames; returns each group's frame (-1: merged). */
  endLevel(): Int32Array {
    const frameOf = pushLevelFrames(this.out, this.groups, this.#levelStart, this.#levelEnd, this.#depth, this.#cut);
    this.#levelStart = this.#levelEnd;
    this.#levelEnd = this.out.length;
    return frameOf;
  }

  finish(): FlameFrames {
    return this.out.finish();
  }
}

/**
 * Cursors into the sample stacks, one per sample still walked: entry e is at location stack slot `slot[e]`,
 * frame `frame[e]` (an index into `nodes.locNodes`, or -(node + 2) for a one-frame location; -1 is "before
 * the outermost frame") and may not step past `bound[e]` (the stack's first slot when walking toward the
 * leaf, one past its last when walking toward the root). `sample[e]` is its sample, kept (only for the
 * callers of a pivot, whose bound changes) until the walk starts.
 */
interface Cursors {
  sample: Int32Array | null;
  slot: Int32Array;
  frame: Int32Array;
  bound: Int32Array;
  weight: Float64Array;
  length: number;
}

/** One cursor per sample of [from, to) with a value, moved to the start frame (a zoom path or a sandwich pivot). */
function startCursors(columns: StackColumns, nodes: FrameNodes, options: FlameStart, from: number, to: number): { cursors: Cursors; rootNode: number } {
  const { values, stack, starts, ends } = columns;
  const n = to - from;
  const c: Cursors = {
    sample: options.pivot !== undefined && options.direction === -1 ? new Int32Array(n) : null,
    slot: new Int32Array(n),
    frame: new Int32Array(n),
    bound: new Int32Array(n),
    weight: new Float64Array(n),
    length: 0,
  };
  for (let s = from; s < to; s++) {
    const w = values[s]!;
    if (w === 0) continue;
    const e = c.length++;
    if (c.sample) c.sample[e] = s;
    c.slot[e] = ends[s]!;
    c.frame[e] = -1;
    c.bound[e] = starts[s]!;
    c.weight[e] = w;
  }
  let rootNode = -1;
  const keep = (test: (e: number) => boolean) => {
    let kept = 0;
    for (let e = 0; e < c.length; e++) {
      if (!test(e)) continue;
      if (kept !== e) copyCursor(c, e, kept);
      if (c.sample) c.sample[kept] = c.sample[e]!;
      kept++;
    }
    c.length = kept;
  };
  if (options.pivot !== undefined) {
    // Outermost occurrence of the pivot in each stack; samples without it are dropped.
    const pivot = options.pivot;
    rootNode = pivot;
    keep((e) => {
      for (let node = stepCursor(c, e, stack, nodes, 1); node >= 0; node = stepCursor(c, e, stack, nodes, 1)) if (node === pivot) return true;
      return false;
    });
    // Callers walk back toward the root: the bound is then the stack's end.
    if (c.sample) for (let e = 0; e < c.length; e++) c.bound[e] = ends[c.sample[e]!]!;
  } else {
    for (const node of options.path ?? []) {
      rootNode = node;
      keep((e) => stepCursor(c, e, stack, nodes, 1) === node);
    }
  }
  return { cursors: c, rootNode };
}

/**
 * Moves entry e one frame toward the leaf (d = 1) or the root (d = -1) and returns the frame's node, or -1
 * when the stack has no more frames. Locations without frames (a filter may hide all of a location's
 * lines) are stepped over; a one-frame location (most) is stored as -(node + 2): its node without two more
 * random reads.
 */
function stepCursor(c: Cursors, e: number, stack: Uint32Array, nodes: FrameNodes, d: 1 | -1): number {
  const { locNodeStart, locNodes, locSingle } = nodes;
  let j = c.slot[e]!;
  const k = c.frame[e]!;
  if (k >= 0 && (d === 1 ? k > locNodeStart[stack[j]!]! : k < locNodeStart[stack[j]! + 1]! - 1)) {
    c.frame[e] = k - d;
    return locNodes[k - d]!;
  }
  const bound = c.bound[e]!;
  for (;;) {
    j -= d;
    if (d === 1 ? j < bound : j >= bound) return -1;
    const loc = stack[j]!;
    const single = locSingle[loc]!;
    if (single >= 0) {
      c.slot[e] = j;
      c.frame[e] = -2 - single;
      return single;
    }
    const first = locNodeStart[loc]!;
    const end = locNodeStart[loc + 1]!;
    if (first === end) continue;
    const f = d === 1 ? end - 1 : first;
    c.slot[e] = j;
    c.frame[e] = f;
    return locNodes[f]!;
  }
}

/**
 * One pass per depth: every entry whose frame was kept (frameOf[group[e]] ≥ 0) steps one frame, and the
 * (frame, node) pairs become groups with their Σ|w| and Σw, numbered by first occurrence; `group[e]` is
 * then entry e's new group. Entries of merged frames stop, those whose stack ended give their weight to
 * their frame's self (`self[frame − selfBase]`); the others are compacted to the front, in order.
 */
function groupNextFrames(c: Cursors, stack: Uint32Array, nodes: FrameNodes, d: 1 | -1, sign: number, self: Float64Array, selfBase: number, groups: LevelGroups, group: Int32Array, frameOf: Int32Array): void {
  const { weight, slot, frame, bound } = c;
  const locSingle = nodes.locSingle;
  const last = groups.last;
  let { value, net } = groups;
  let alive = 0;
  for (let e = 0; e < c.length; e++) {
    const f = frameOf[group[e]!]!;
    if (f < 0) continue;
    const w = weight[e]!;
    // The common step inline: out of a one-frame location (or none yet) into the next slot's one-frame
    // location. Inlined frames, locations without frames and the stack's end go through stepCursor.
    const b = bound[e]!;
    const j = slot[e]! - d;
    const single = frame[e]! < 0 && (d === 1 ? j >= b : j < b) ? locSingle[stack[j]!]! : -1;
    let n = single;
    if (single >= 0) {
      slot[alive] = j;
      frame[alive] = -2 - single;
    } else {
      n = stepCursor(c, e, stack, nodes, d);
      if (n < 0) {
        self[f - selfBase]! += Math.abs(w);
        continue;
      }
      slot[alive] = slot[e]!;
      frame[alive] = frame[e]!;
    }
    bound[alive] = b;
    weight[alive] = w;
    let g: number;
    if (last[2 * n] === f) g = last[2 * n + 1]!;
    else {
      g = groups.find(f, n);
      value = groups.value;
      net = groups.net;
    }
    value[g]! += Math.abs(w);
    if (sign === 0) net[g]! += w;
    group[alive++] = g;
  }
  c.length = alive;
  // Weights of one sign: each group's Σw is ±Σ|w| (one random write per entry spared).
  if (sign !== 0) for (let g = 0; g < groups.length; g++) net[g] = sign * value[g]!;
}

/**
 * Pushes one depth's frames: kept groups by parent (a level's frames are numbered left to right), then in
 * pprof's order, decreasing value, ties by first occurrence; groups narrower than `cut` are summed into one
 * "other" frame per parent. Returns each group's frame, -1 for a merged one.
 */
function pushLevelFrames(out: FrameColumns, groups: LevelGroups, levelStart: number, levelEnd: number, depth: number, cut: number): Int32Array {
  const { parent, node, value, net } = groups;
  const parents = levelEnd - levelStart;
  const otherValue = new Float64Array(parents);
  const otherNet = new Float64Array(parents);
  const otherCount = new Uint32Array(parents);
  const kept: number[] = [];
  for (let g = 0; g < groups.length; g++) {
    const v = value[g]!;
    if (v < cut || v === 0) {
      const p = parent[g]! - levelStart;
      otherValue[p]! += v;
      otherNet[p]! += net[g]!;
      otherCount[p]!++;
    } else kept.push(g);
  }
  kept.sort((a, b) => parent[a]! - parent[b]! || value[b]! - value[a]! || a - b);
  const frameOf = new Int32Array(groups.length).fill(-1);
  let k = 0;
  for (let p = levelStart; p < levelEnd; p++) {
    let x = out.start[p]! + out.self[p]!;
    for (; k < kept.length && parent[kept[k]!] === p; k++) {
      const g = kept[k]!;
      frameOf[g] = out.push(node[g]!, p, depth, x, value[g]!, 0, net[g]!, 1);
      x += value[g]!;
    }
    const o = p - levelStart;
    if (otherCount[o]! > 0) out.push(-1, p, depth, x, otherValue[o]!, otherValue[o]!, otherNet[o]!, otherCount[o]!);
  }
  return frameOf;
}

/** -1 when the first `n` values (zeros aside) are all negative, 0 when their signs are mixed, else 1. */
function readSign(values: Float64Array, n = values.length): number {
  let pos = false;
  let neg = false;
  for (let i = 0; i < n && !(pos && neg); i++) {
    const v = values[i]!;
    if (v > 0) pos = true;
    else if (v < 0) neg = true;
  }
  return pos && neg ? 0 : neg ? -1 : 1;
}

function copyCursor(c: Cursors, from: number, to: number): void {
  c.slot[to] = c.slot[from]!;
  c.frame[to] = c.frame[from]!;
  c.bound[to] = c.bound[from]!;
  c.weight[to] = c.weight[from]!;
}

/**
 * The graph nodes whose name matches `pattern` (1 in `nodes`), and `value`: Σ|w| of the samples with at
 * least one matching frame — the share of the total the search accounts for (a sample counts once).
 * `cum`, when given, is the nodes' cum for this sample type (graph/build-graph's, a sample counted once per
 * node): when one node matches and every value has the same sign, |cum| is that sum, to the last bit (the
 * same values added in the same order), and the pass over the stacks is spared.
 */
export function computeFlameMatches(profile: Profile, nodes: NodeMap, sampleIndex: number, pattern: RegExp, cum?: Float64Array): { nodes: Uint8Array; value: number } {
  const matched = new Uint8Array(nodes.length);
  let count = 0;
  let last = -1;
  for (let n = 0; n < nodes.length; n++) {
    if (!pattern.test(nodes.name[n]!)) continue;
    matched[n] = 1;
    count++;
    last = n;
  }
  if (count === 0) return { nodes: matched, value: 0 };
  if (count === 1 && cum && readSign(profile.samples.values[sampleIndex]!) !== 0) return { nodes: matched, value: Math.abs(cum[last]!) };
  const locMatches = markMatchingLocations(nodes, matched);
  return { nodes: matched, value: locMatches ? sumMatchingSamples(profile, nodes, sampleIndex, locMatches) : 0 };
}

/** 1 for each location with a frame in a matched node; null when no location has one. */
export function markMatchingLocations(nodes: NodeMap, matched: Uint8Array): Uint8Array | null {
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
  return any ? locMatches : null;
}

/** Σ|w| of the samples whose stack holds at least one location marked in `locMatches` (each sample once). */
export function sumMatchingSamples(profile: Profile, nodes: NodeMap, sampleIndex: number, locMatches: Uint8Array): number {
  const { values, stack, starts, ends } = readStackColumns(profile, nodes, sampleIndex);
  let value = 0;
  for (let s = 0; s < values.length; s++) {
    const end = ends[s]!;
    for (let j = starts[s]!; j < end; j++) {
      if (locMatches[stack[j]!] === 1) {
        value += Math.abs(values[s]!);
        break;
      }
    }
  }
  return value;
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
