// One pass over the samples into pprof's graph: node flat/cum, edges (residual, inline) and tags (graph.New).

import type { Profile } from '../profile/model';
import type { NodeMap } from './nodes';

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

export interface GraphPassOptions {
  sampleIndex: number;
  /** Nodes kept (1); frames of other nodes are skipped, leaving residual edges. null keeps every node. */
  kept: Uint8Array | null;
  /** Formats a numeric label value into a tag name (pprof's FormatTag). */
  formatTag: (value: number, key: string) => string;
}

/** The label key pprof removes before building a graph (the -diff_base marker). */
const DIFF_BASE_KEY = 'pprof::base';
/** The only numeric label pprof keeps for graph tags. */
const NUMERIC_TAG_KEY = 'bytes';

interface SampleTags {
  labels: string;
  numeric: { name: string; value: number }[];
}

/**
 * Builds pprof's graph from the samples: nodes in NodeMap order (only those with a non-zero flat or cum,
 * and only kept ones), each with its edges and tags. Cum counts once per sample, an edge once per sample.
 */
export function buildGraphPass(profile: Profile, nodes: NodeMap, options: GraphPassOptions): GraphNode[] {
  const { samples } = profile;
  const values = samples.values[options.sampleIndex]!;
  const stack = samples.stack;
  const starts = nodes.pruned ? nodes.pruned.stackStart : samples.stackStart;
  const ends = nodes.pruned ? nodes.pruned.stackEnd : samples.stackStart.subarray(1);
  const { locNodeStart, locNodes } = nodes;
  const { kept } = options;
  const count = nodes.length;
  const graph: (GraphNode | undefined)[] = new Array(count);
  const nodeOf = (id: number): GraphNode =>
    (graph[id] ??= { id, flat: 0, cum: 0, in: new Set(), out: new Set(), labelTags: new Map(), numericTags: new Map() });
  const seen = new Int32Array(count).fill(-1);
  const edges = new Map<number, GraphEdge & { stamp: number }>();
  const tagsOf = createSampleTagReader(profile, options.formatTag);
  for (let s = 0; s < samples.length; s++) {
    const w = values[s]!;
    if (w === 0) continue;
    const tags = tagsOf(s);
    let parent: GraphNode | null = null;
    let residual = false;
    for (let j = ends[s]! - 1; j >= starts[s]!; j--) {
      const loc = stack[j]!;
      const last = locNodeStart[loc + 1]! - 1;
      for (let k = last; k >= locNodeStart[loc]!; k--) {
        const id = locNodes[k]!;
        if (kept !== null && kept[id] !== 1) {
          residual = true;
          continue;
        }
        const n = nodeOf(id);
        if (seen[id] !== s) {
          seen[id] = s;
          n.cum += w;
          if (tags) addTags(n, tags, w, false);
        }
        if (parent !== null && parent !== n) {
          const key = parent.id * count + id;
          const e = edges.get(key);
          if (e === undefined) {
            const created = { src: parent, dest: n, weight: w, residual, inline: k !== last, stamp: s };
            edges.set(key, created);
            parent.out.add(created);
            n.in.add(created);
          } else if (e.stamp !== s) {
            e.stamp = s;
            e.weight += w;
            if (residual) e.residual = true;
            if (k === last) e.inline = false;
          }
        }
        parent = n;
        residual = false;
      }
    }
    if (parent !== null && !residual) {
      parent.flat += w;
      if (tags) addTags(parent, tags, w, true);
    }
  }
  const out: GraphNode[] = [];
  for (const n of graph) if (n !== undefined && (n.flat !== 0 || n.cum !== 0)) out.push(n);
  return out;
}

function addTags(n: GraphNode, tags: SampleTags, w: number, flat: boolean): void {
  const add = (t: GraphTag) => {
    if (flat) t.flat += w;
    else t.cum += w;
  };
  if (tags.labels !== '') {
    let t = n.labelTags.get(tags.labels);
    if (!t) n.labelTags.set(tags.labels, (t = { name: tags.labels, unit: '', value: 0, flat: 0, cum: 0 }));
    add(t);
  }
  let numeric = n.numericTags.get(tags.labels);
  if (!numeric) n.numericTags.set(tags.labels, (numeric = new Map()));
  for (const { name, value } of tags.numeric) {
    let t = numeric.get(name);
    if (!t) numeric.set(name, (t = { name, unit: NUMERIC_TAG_KEY, value, flat: 0, cum: 0 }));
    add(t);
  }
}

/**
 * Reads a sample's tags as pprof's graph sees them: string labels (but pprof::base) as sorted `key:value`
 * lines joined by a literal `\n`, and the `bytes` numeric labels. null for a sample with neither.
 */
function createSampleTagReader(profile: Profile, formatTag: (value: number, key: string) => string): (s: number) => SampleTags | null {
  const { samples, labels, strings } = profile;
  if (labels.length === 0) return () => null;
  return (s) => {
    const from = samples.labelStart[s]!;
    const to = samples.labelStart[s + 1]!;
    if (from === to) return null;
    const lines: string[] = [];
    const numeric: { name: string; value: number }[] = [];
    for (let l = from; l < to; l++) {
      const key = strings[labels.key[l]!]!;
      if (labels.str[l] !== 0) {
        if (key !== DIFF_BASE_KEY) lines.push(`${key}:${strings[labels.str[l]!]!}`);
      } else if (key === NUMERIC_TAG_KEY) {
        const v = labels.num[l]!;
        numeric.push({ name: formatTag(v, key), value: v });
      }
    }
    if (lines.length === 0 && numeric.length === 0) return null;
    lines.sort();
    return { labels: lines.join('\\n'), numeric };
  };
}
