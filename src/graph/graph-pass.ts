// Passes over the samples into pprof's graph (graph.New): node flat/cum and edges (residual, inline); tags.

import type { Profile } from '../profile/model';
import { createEdgeTable, type Edges } from './edge-table';
import { buildKeptLocations, LOCATION_DROPPED, LOCATION_EMPTY, numberKeptNodes } from './kept-locations';
import { readStackColumns, type NodeMap } from './nodes';

/**
 * A tag of a node (pprof's Tag): a label set (`key:value` lines joined by a literal `\n`, unit '') or a
 * numeric `bytes` label (name formatted by `formatTag`, unit 'bytes', `value` the raw number).
 */
export interface GraphTag {
  name: string;
  unit: string;
  value: number;
  flat: number;
  cum: number;
}

/** A node of a call graph: a NodeMap node with its sums, its edges and its tags. */
export interface GraphNode {
  /** The NodeMap index. */
  id: number;
  flat: number;
  cum: number;
  in: Set<GraphEdge>;
  out: Set<GraphEdge>;
  /** Label tags by label set. */
  labelTags: Map<string, GraphTag>;
  /** Numeric tags by the label set they come with ('' for none), then by name. */
  numericTags: Map<string, Map<string, GraphTag>>;
}

/** An edge caller → callee. Residual: dropped nodes lay between; inline: every visit was an inlined call. */
export interface GraphEdge {
  src: GraphNode;
  dest: GraphNode;
  weight: number;
  residual: boolean;
  inline: boolean;
}

/**
 * Builds pprof's graph from the samples (tags summed into `tagging` when given): nodes in NodeMap order (those
 * with a non-zero flat or cum, and only kept ones: `kept[n]` 1, or every node when null), each with its edges.
 * Frames of other nodes are skipped, so the edge across them is residual. Cum and every edge count once per
 * sample. Each stack entry is one read of its location's kept frames (kept-locations.ts); `recorder` gets the
 * kept frames for a second pass over fewer nodes.
 */
export function buildGraphPass(
  profile: Profile,
  nodes: NodeMap,
  sampleIndex: number,
  kept: Uint8Array | null,
  tagging: TagTable | null = null,
  recorder: { frames?: KeptFrames } | null = null,
): GraphNode[] {
  const { values, stack, starts, ends } = readStackColumns(profile, nodes, sampleIndex);
  const { count: k, nodeOf, code, listStart, listEntry, listTrailing } = buildKeptLocations(nodes, kept);
  const flat = new Float64Array(k);
  const cum = new Float64Array(k);
  const seen = new Int32Array(k).fill(-1);
  const edges = createEdgeTable(nodeOf);
  const rec = recorder ? new KeptFramesWriter(values.length, stack.length >>> 1) : null;
  for (let s = 0; s < values.length; s++) {
    rec?.startSample(s);
    const w = values[s]!;
    if (w === 0) continue;
    let parent = -1;
    let residual = false;
    for (let j = ends[s]! - 1; j >= starts[s]!; j--) {
      const c = code[stack[j]!]!;
      if (c === LOCATION_DROPPED) {
        residual = true;
        continue;
      }
      if (c === LOCATION_EMPTY) continue;
      // A single kept frame (c ≥ 0) is read as a list of one entry.
      const list = c >= 0 ? -1 : -3 - c;
      const from = list < 0 ? 0 : listStart[list]!;
      const to = list < 0 ? 1 : listStart[list + 1]!;
      for (let q = from; q < to; q++) {
        const e = list < 0 ? c << 2 : listEntry[q]!;
        const slot = e >> 2;
        if ((e & 2) !== 0) residual = true;
        if (seen[slot] !== s) {
          seen[slot] = s;
          cum[slot]! += w;
          if (tagging !== null) tagging.add(nodeOf[slot]!, s, w, false);
        }
        if (parent >= 0 && parent !== slot) edges.add(parent, slot, w, s, residual, (e & 1) !== 0);
        rec?.push(nodeOf[slot]!, residual, (e & 1) !== 0);
        parent = slot;
        residual = false;
      }
      if (list >= 0 && listTrailing[list] === 1) residual = true;
    }
    if (rec && residual) rec.endSkipped[s] = 1;
    if (parent >= 0 && !residual) {
      flat[parent]! += w;
      if (tagging !== null) tagging.add(nodeOf[parent]!, s, w, true);
    }
  }
  if (recorder && rec) recorder.frames = rec.finish();
  const byNode = (a: Float64Array) => {
    const out = new Float64Array(nodes.length);
    for (let slot = 0; slot < k; slot++) out[nodeOf[slot]!] = a[slot]!;
    return out;
  };
  return assembleGraph(nodes.length, byNode(flat), byNode(cum), edges, tagging);
}

/**
 * The kept frames of every sample as a first graph pass met them, for a second pass over fewer nodes:
 * sample s's are `entry[start[s] .. start[s + 1])`, root first; an entry is `node << 2`, | 2 when frames were
 * skipped before it, | 1 when it is an inlined frame. `endSkipped[s]` is 1 when the leaf end was skipped.
 */
export interface KeptFrames {
  entry: Int32Array;
  start: Uint32Array;
  endSkipped: Uint8Array;
}

class KeptFramesWriter {
  entry: Int32Array;
  length = 0;
  start: Uint32Array;
  endSkipped: Uint8Array;

  constructor(samples: number, capacity: number) {
    this.entry = new Int32Array(Math.max(16, capacity));
    this.start = new Uint32Array(samples + 1);
    this.endSkipped = new Uint8Array(samples);
  }

  startSample(s: number): void {
    this.start[s] = this.length;
  }

  push(node: number, skipped: boolean, inline: boolean): void {
    if (this.length === this.entry.length) {
      const bigger = new Int32Array(this.entry.length * 2);
      bigger.set(this.entry);
      this.entry = bigger;
    }
    this.entry[this.length++] = (node << 2) | (skipped ? 2 : 0) | (inline ? 1 : 0);
  }

  finish(): KeptFrames {
    this.start[this.start.length - 1] = this.length;
    return { entry: this.entry.subarray(0, this.length), start: this.start, endSkipped: this.endSkipped };
  }
}

/**
 * buildGraphPass over the frames a first pass kept (`frames`), for `kept` a subset of that pass's nodes: the
 * same graph, read from fewer frames.
 */
export function buildGraphPassFromKept(profile: Profile, count: number, sampleIndex: number, frames: KeptFrames, kept: Uint8Array): GraphNode[] {
  const values = profile.samples.values[sampleIndex]!;
  const { entry, start, endSkipped } = frames;
  const flat = new Float64Array(count);
  const cum = new Float64Array(count);
  const seen = new Int32Array(count).fill(-1);
  const { slotOf, nodeOf } = numberKeptNodes(kept, count);
  const edges = createEdgeTable(nodeOf);
  for (let s = 0; s < endSkipped.length; s++) {
    const w = values[s]!;
    if (w === 0) continue;
    let parent = -1;
    let residual = false;
    for (let e = start[s]!; e < start[s + 1]!; e++) {
      const x = entry[e]!;
      const id = x >> 2;
      if ((x & 2) !== 0) residual = true;
      if (kept[id] !== 1) {
        residual = true;
        continue;
      }
      if (seen[id] !== s) {
        seen[id] = s;
        cum[id]! += w;
      }
      if (parent >= 0 && parent !== id) edges.add(slotOf[parent]!, slotOf[id]!, w, s, residual, (x & 1) !== 0);
      parent = id;
      residual = false;
    }
    if (parent >= 0 && !residual && endSkipped[s] === 0) flat[parent]! += w;
  }
  return assembleGraph(count, flat, cum, edges, null);
}

/** The graph nodes with a non-zero flat or cum, in id order, joined by the edges; tags added when given. */
function assembleGraph(count: number, flat: Float64Array, cum: Float64Array, edges: Pick<Edges, 'forEach'>, tagging: TagTable | null): GraphNode[] {
  const graph: (GraphNode | undefined)[] = new Array(count);
  const out: GraphNode[] = [];
  for (let id = 0; id < count; id++) {
    if (flat[id] === 0 && cum[id] === 0) continue;
    const n: GraphNode = { id, flat: flat[id]!, cum: cum[id]!, in: new Set(), out: new Set(), labelTags: new Map(), numericTags: new Map() };
    graph[id] = n;
    out.push(n);
  }
  tagging?.addTo(out);
  edges.forEach((src, dest, weight, residual, inline) => {
    // An edge's ends have a non-zero cum unless values cancelled out (a diff); pprof keeps such edges
    // in its maps, so they are kept here too, with a node that no list holds.
    const from = (graph[src] ??= orphan(src));
    const to = (graph[dest] ??= orphan(dest));
    const e: GraphEdge = { src: from, dest: to, weight, residual, inline };
    from.out.add(e);
    to.in.add(e);
  });
  return out;
}

function orphan(id: number): GraphNode {
  return { id, flat: 0, cum: 0, in: new Set(), out: new Set(), labelTags: new Map(), numericTags: new Map() };
}

/** The label key pprof removes before building a graph (the -diff_base marker). */
const DIFF_BASE_KEY = 'pprof::base';
/** The only numeric label pprof keeps for graph tags. */
const NUMERIC_TAG_KEY = 'bytes';

/**
 * Adds pprof's tags to `nodes` (all from one sample type): per sample its label set (string labels but
 * pprof::base, as sorted `key:value` lines joined by a literal `\n`) and its `bytes` numeric labels, added to
 * every node of the stack once (cum) and to the leaf when it is one of `nodes` (flat). A node's tags do not
 * depend on which other nodes are kept, so only the nodes that may be drawn need them. Up to `denseLimit`
 * (node, tag set) cells they are summed in one table in sample order, else per tag set.
 */
export function addGraphTags(
  profile: Profile,
  nodeMap: NodeMap,
  sampleIndex: number,
  nodes: GraphNode[],
  formatTag: (value: number, key: string) => string,
  denseLimit = DENSE_TAG_CELLS,
): void {
  if (profile.labels.length === 0 || nodes.length === 0) return;
  const { values, stack, starts, ends } = readStackColumns(profile, nodeMap, sampleIndex);
  const { locNodeStart, locNodes, locSingle } = nodeMap;
  const covered = new Uint8Array(nodeMap.length);
  for (const n of nodes) covered[n.id] = 1;
  const table = createTagTable(profile, nodeMap.length, covered, formatTag, denseLimit);
  if (table) {
    fillTagTable(profile, nodeMap, sampleIndex, table);
    table.addTo(nodes);
    return;
  }
  const slot = new Int32Array(nodeMap.length).fill(-1);
  nodes.forEach((n, i) => (slot[n.id] = i));
  const { tagOf, tagSets } = readSampleTags(profile, formatTag);
  // Samples grouped by tag set (a counting sort), so a group's sums go into the tag maps once per node.
  const groupStart = new Uint32Array(tagSets.length + 1);
  for (let s = 0; s < values.length; s++) if (tagOf[s]! >= 0 && values[s] !== 0) groupStart[tagOf[s]! + 1]!++;
  for (let t = 0; t < tagSets.length; t++) groupStart[t + 1]! += groupStart[t]!;
  const order = new Uint32Array(groupStart[tagSets.length]!);
  const fill = groupStart.slice(0, tagSets.length);
  for (let s = 0; s < values.length; s++) if (tagOf[s]! >= 0 && values[s] !== 0) order[fill[tagOf[s]!]!++] = s;
  const seen = new Int32Array(nodes.length).fill(-1);
  const cum = new Float64Array(nodes.length);
  const flat = new Float64Array(nodes.length);
  const touched: number[] = [];
  for (let t = 0; t < tagSets.length; t++) {
    for (let o = groupStart[t]!; o < groupStart[t + 1]!; o++) {
      const s = order[o]!;
      const w = values[s]!;
      let leaf = -1;
      for (let j = ends[s]! - 1; j >= starts[s]!; j--) {
        const loc = stack[j]!;
        const single = locSingle[loc]!;
        if (single >= 0) {
          const i = slot[single]!;
          leaf = i;
          if (i < 0 || seen[i] === s) continue;
          seen[i] = s;
          if (cum[i] === 0 && flat[i] === 0) touched.push(i);
          cum[i]! += w;
          continue;
        }
        for (let k = locNodeStart[loc + 1]! - 1; k >= locNodeStart[loc]!; k--) {
          const i = slot[locNodes[k]!]!;
          leaf = i;
          if (i < 0 || seen[i] === s) continue;
          seen[i] = s;
          if (cum[i] === 0 && flat[i] === 0) touched.push(i);
          cum[i]! += w;
        }
      }
      if (leaf >= 0) {
        if (cum[leaf] === 0 && flat[leaf] === 0) touched.push(leaf);
        flat[leaf]! += w;
      }
    }
    for (const i of touched) {
      addTags(nodes[i]!, tagSets[t]!, cum[i]!, flat[i]!);
      cum[i] = 0;
      flat[i] = 0;
    }
    touched.length = 0;
  }
}

/**
 * Tag sums of some nodes (a node × tag set table) filled during a graph pass, so the tags need no pass of
 * their own; null from `createTagTable` when the table would be too large or there are no tags.
 */
export interface TagTable {
  add(node: number, sample: number, w: number, leaf: boolean): void;
  /** Adds the sums to those of `nodes` that the table covers, tag set by tag set as addGraphTags does. */
  addTo(nodes: GraphNode[]): void;
}

/** A TagTable for the nodes with `kept[node]` 1 (the first pass of buildCallGraph), or null. */
export function createTagTable(profile: Profile, nodeCount: number, kept: Uint8Array, formatTag: (value: number, key: string) => string, denseLimit = DENSE_TAG_CELLS): TagTable | null {
  if (profile.labels.length === 0) return null;
  const slot = new Int32Array(nodeCount).fill(-1);
  let n = 0;
  for (let id = 0; id < nodeCount; id++) if (kept[id] === 1) slot[id] = n++;
  const { tagOf, tagSets } = readSampleTags(profile, formatTag);
  const T = tagSets.length;
  if (T === 0 || n * T > denseLimit) return null;
  const cum = new Float64Array(n * T);
  const flat = new Float64Array(n * T);
  const touched = new Uint8Array(n * T);
  return {
    add(node, sample, w, leaf) {
      const i = slot[node]!;
      const t = tagOf[sample]!;
      if (i < 0 || t < 0) return;
      const c = i * T + t;
      touched[c] = 1;
      if (leaf) flat[c]! += w;
      else cum[c]! += w;
    },
    addTo(nodes) {
      for (let t = 0; t < T; t++) {
        for (const node of nodes) {
          const i = slot[node.id]!;
          if (i < 0) continue;
          const c = i * T + t;
          if (touched[c]) addTags(node, tagSets[t]!, cum[c]!, flat[c]!);
        }
      }
    },
  };
}

/** Up to this many (node, tag set) cells, tags are summed in one table in sample order (the stacks read front to back). */
const DENSE_TAG_CELLS = 4_000_000;

/**
 * Fills a tag table in one pass over the samples in their order (the stacks read front to back): a sample's
 * tag set counts once for every covered node of its stack, and for its leaf frame when that is covered.
 */
function fillTagTable(profile: Profile, nodeMap: NodeMap, sampleIndex: number, table: TagTable): void {
  const { values, stack, starts, ends } = readStackColumns(profile, nodeMap, sampleIndex);
  const { locNodeStart, locNodes, locSingle } = nodeMap;
  const seen = new Int32Array(nodeMap.length).fill(-1);
  for (let s = 0; s < values.length; s++) {
    const w = values[s]!;
    if (w === 0) continue;
    let leaf = -1;
    for (let j = ends[s]! - 1; j >= starts[s]!; j--) {
      const loc = stack[j]!;
      const single = locSingle[loc]!;
      const from = single >= 0 ? 0 : locNodeStart[loc + 1]! - 1;
      const to = single >= 0 ? 0 : locNodeStart[loc]!;
      for (let k = from; k >= to; k--) {
        leaf = single >= 0 ? single : locNodes[k]!;
        if (seen[leaf] === s) continue;
        seen[leaf] = s;
        table.add(leaf, s, w, false);
      }
    }
    if (leaf >= 0) table.add(leaf, s, w, true);
  }
}

interface SampleTags {
  labels: string;
  numeric: { name: string; value: number }[];
}

function addTags(n: GraphNode, tags: SampleTags, cum: number, flat: number): void {
  const add = (t: GraphTag) => {
    t.flat += flat;
    t.cum += cum;
  };
  if (tags.labels !== '') {
    let t = n.labelTags.get(tags.labels);
    if (!t) n.labelTags.set(tags.labels, (t = { name: tags.labels, unit: '', value: 0, flat: 0, cum: 0 }));
    add(t);
  }
  if (tags.numeric.length === 0) return;
  let numeric = n.numericTags.get(tags.labels);
  if (!numeric) n.numericTags.set(tags.labels, (numeric = new Map()));
  for (const { name, value } of tags.numeric) {
    let t = numeric.get(name);
    if (!t) numeric.set(name, (t = { name, unit: NUMERIC_TAG_KEY, value, flat: 0, cum: 0 }));
    add(t);
  }
}

/** Every sample's tag set as an index into `tagSets` (-1 for none); equal sets share one index. */
function readSampleTags(profile: Profile, formatTag: (value: number, key: string) => string): { tagOf: Int32Array; tagSets: SampleTags[] } {
  const read = createSampleTagReader(profile, formatTag);
  const tagOf = new Int32Array(profile.samples.length).fill(-1);
  const ids = new Map<SampleTags, number>();
  const tagSets: SampleTags[] = [];
  for (let s = 0; s < tagOf.length; s++) {
    const tags = read(s);
    if (tags === null) continue;
    let id = ids.get(tags);
    if (id === undefined) {
      id = tagSets.length;
      ids.set(tags, id);
      tagSets.push(tags);
    }
    tagOf[s] = id;
  }
  return { tagOf, tagSets };
}

/**
 * Reads a sample's tags as pprof's graph sees them; null for a sample with neither string labels (but
 * pprof::base) nor `bytes` labels. Samples with the same rows of those labels (same string indexes and
 * numbers, found by a hash and compared row by row: ten times faster than string keys on 2 M samples; other
 * numeric labels are left out, so they do not split the tag sets) share one answer.
 */
function createSampleTagReader(profile: Profile, formatTag: (value: number, key: string) => string): (s: number) => SampleTags | null {
  const { samples, labels, strings } = profile;
  // Only string labels and `bytes` numbers make tags: samples that differ in other numeric labels share one.
  // Per key string: 1 a `bytes` key, 0 not, -1 not looked at yet.
  const bytesKey = new Int8Array(strings.length).fill(-1);
  const isRelevant = (l: number): boolean => {
    if (labels.str[l] !== 0) return true;
    const k = labels.key[l]!;
    if (bytesKey[k] === -1) bytesKey[k] = strings[k] === NUMERIC_TAG_KEY ? 1 : 0;
    return bytesKey[k] === 1;
  };
  const memo = new Map<number, { rows: number[]; tags: SampleTags | null }[]>();
  const sameRows = (a: number[], b: number[]) =>
    a.length === b.length && a.every((x, i) => labels.key[x] === labels.key[b[i]!] && labels.str[x] === labels.str[b[i]!] && labels.num[x] === labels.num[b[i]!]);
  // One scratch list for every sample; a copy is kept only for a new tag set.
  const scratch: number[] = [];
  return (s) => {
    const from = samples.labelStart[s]!;
    const to = samples.labelStart[s + 1]!;
    if (from === to) return null;
    scratch.length = 0;
    let h = 0;
    for (let l = from; l < to; l++) {
      if (!isRelevant(l)) continue;
      scratch.push(l);
      h = Math.imul(h ^ labels.key[l]!, 0x9e3779b1);
      h = Math.imul(h ^ labels.str[l]!, 0x85ebca6b);
      h = Math.imul(h ^ (labels.num[l]! | 0), 0xc2b2ae35);
    }
    if (scratch.length === 0) return null;
    let bucket = memo.get(h);
    if (bucket) {
      for (const m of bucket) if (sameRows(m.rows, scratch)) return m.tags;
    } else memo.set(h, (bucket = []));
    const rows = scratch.slice();
    const lines: string[] = [];
    const numeric: { name: string; value: number }[] = [];
    for (const l of rows) {
      const k = strings[labels.key[l]!]!;
      if (labels.str[l] !== 0) {
        if (k !== DIFF_BASE_KEY) lines.push(`${k}:${strings[labels.str[l]!]!}`);
      } else {
        const v = labels.num[l]!;
        numeric.push({ name: formatTag(v, k), value: v });
      }
    }
    lines.sort();
    const tags = lines.length === 0 && numeric.length === 0 ? null : { labels: lines.join('\\n'), numeric };
    bucket.push({ rows, tags });
    return tags;
  };
}
