// pprof's tag nodes ("nodelets") of the DOT graph: label sets and allocation-size buckets under a node.

import type { GraphNode, GraphTag } from '../graph/graph-pass';
import { escapeDot } from './dot-text';
import { formatScaled } from './units';

/** pprof shows at most this many tag nodes per label set (numeric tags are bucketed into as many). */
const MAX_NODELETS = 4;

/** A tag node as drawn: its DOT id (`N3_0`, `NN3_0`), label, weight and the node it hangs from. */
export interface DotTag {
  dotId: string;
  /** The tag as pprof names it (a label set's `key:value` lines joined by a newline here), unescaped. */
  name: string;
  from: string;
  label: string;
  weight: number;
  /** pprof draws a cum-only bucket of an internal node with a dotted edge. */
  dotted: boolean;
}

/** pprof's SortTags: by |cum| (unless flat), then |flat|, then name. */
export function sortTags(tags: GraphTag[], flat: boolean): GraphTag[] {
  return tags.sort((a, b) => {
    if (!flat && a.cum !== b.cum) return Math.abs(b.cum) - Math.abs(a.cum) || (a.cum > b.cum ? -1 : 1);
    if (a.flat !== b.flat) return Math.abs(b.flat) - Math.abs(a.flat) || (a.flat > b.flat ? -1 : 1);
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/** measurement.Label: a value in its unit, scaled automatically. */
const formatLabel = (value: number, unit: string) => formatScaled(value, unit, 'auto');

/** pprof's collapsedTags: the heaviest `count` tags seed groups; every other tag joins the nearest by value. */
function collapseTags(tags: GraphTag[], count: number, flat: boolean): GraphTag[] {
  const sorted = sortTags([...tags], flat);
  if (sorted.length <= count) return sorted;
  const groups: GraphTag[][] = sorted.slice(0, count).map((t) => [t]);
  for (const t of sorted.slice(count)) {
    let g = 0;
    let d = Math.abs(t.value - groups[0]![0]!.value);
    for (let i = 1; i < count; i++) {
      const nd = Math.abs(t.value - groups[i]![0]!.value);
      if (nd < d) {
        g = i;
        d = nd;
      }
    }
    groups[g]!.push(t);
  }
  return sortTags(groups.map(labelGroup), flat);
}

function labelGroup(g: GraphTag[]): GraphTag {
  const first = g[0]!;
  if (g.length === 1) return { ...first, name: formatLabel(first.value, first.unit) };
  let min = first;
  let max = first;
  let flat = 0;
  let cum = 0;
  for (const t of g) {
    if (t.value < min.value) min = t;
    if (t.value > max.value) max = t;
    flat += t.flat;
    cum += t.cum;
  }
  return { name: `${formatLabel(min.value, min.unit)}..${formatLabel(max.value, max.unit)}`, unit: first.unit, value: first.value, flat, cum };
}

function numericTags(tags: GraphTag[], flatTags: boolean, source: string): DotTag[] {
  const out: DotTag[] = [];
  collapseTags(tags, MAX_NODELETS, flatTags).forEach((t, j) => {
    const useFlat = flatTags || t.flat === t.cum;
    const w = useFlat ? t.flat : t.cum;
    if (w !== 0) out.push({ dotId: `N${source}_${j}`, name: t.name, from: source, label: escapeDot(t.name), weight: w, dotted: !useFlat });
  });
  return out;
}

/**
 * The tag nodes of node `N{nodeId}` as pprof's addNodelets lists them: its label sets (heaviest four; flat
 * values for a node with callees, cum for a leaf), each followed by its numeric buckets, then the buckets of
 * samples without labels.
 */
export function listNodeTags(node: GraphNode, nodeId: number): DotTag[] {
  const flatTags = node.out.size > 0;
  const source = `N${nodeId}`;
  const out: DotTag[] = [];
  const labelTags = sortTags([...node.labelTags.values()], flatTags).slice(0, MAX_NODELETS);
  labelTags.forEach((t, i) => {
    const w = flatTags ? t.flat : t.cum;
    if (w === 0) return;
    const id = `${source}_${i}`;
    const lines = t.name.split('\\n');
    out.push({ dotId: id, name: lines.join('\n'), from: source, label: lines.map(escapeDot).join('\\n'), weight: w, dotted: false });
    const nts = node.numericTags.get(t.name);
    if (nts && nts.size > 0) out.push(...numericTags([...nts.values()], flatTags, id));
  });
  const unlabelled = node.numericTags.get('');
  if (unlabelled && unlabelled.size > 0) out.push(...numericTags([...unlabelled.values()], flatTags, source));
  return out;
}
