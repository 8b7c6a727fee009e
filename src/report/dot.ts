// The call graph report: pprof's `-dot` output (legend, nodes, tag nodes, edges) and its nodes/edges as data.

import type { NodeSums } from '../graph/build-graph';
import { buildCallGraph, type CallGraph } from '../graph/call-graph';
import type { GraphEdge, GraphNode } from '../graph/graph-pass';
import { sortEdges } from '../graph/graph-order';
import { baseName, type NodeMap } from '../graph/nodes';
import type { Profile } from '../profile/model';
import { listNodeTags } from './dot-tags';
import { escapeDot, formatDotColor, formatMultilineName } from './dot-text';
import { buildProfileLabels } from './header';
import { formatActiveFilters } from './top';
import { computeTotal } from './total';
import { formatPercent, formatScaled, selectOutputUnit } from './units';

/** pprof's default -nodecount for graphs. */
export const DEFAULT_GRAPH_NODE_COUNT = 80;

export interface DotOptions {
  sampleIndex: number;
  nodeFraction: number;
  edgeFraction: number;
  /** pprof's -nodecount (0: pprof's graph default, 80). */
  nodeCount: number;
  /** The percentage denominator when not this profile's own (a filtered profile's total before filtering). */
  total?: number;
  /** `key=value` lines of the legend's "Active filters:". */
  activeFilters?: string[];
}

/** A node of the drawn graph: a call-graph node (`N1` …) or a tag node (`N1_0`, `NN1_0` …). */
export interface GraphNodeInfo {
  dotId: string;
  /** The full printable name (a tag node's label set, one `key:value` a line, or its size bucket). */
  name: string;
  /** The node's source file (its function's at the functions granularity); '' for tag nodes. */
  file: string;
  flat: number;
  cum: number;
  flatText: string;
  cumText: string;
  isTag: boolean;
}

/**
 * An edge of the drawn graph, by DOT ids (tag nodes' edges included). As in pprof's output, an edge into a
 * node whose values cancelled out in a diff (so not drawn) goes to `N0`.
 */
export interface GraphEdgeInfo {
  from: string;
  to: string;
  weight: number;
  weightText: string;
  residual: boolean;
  inline: boolean;
}

/** The DOT text (layoutable by Graphviz) and the same graph as data. */
export interface DotReport {
  dot: string;
  nodes: GraphNodeInfo[];
  edges: GraphEdgeInfo[];
  sampleUnit: string;
  outputUnit: string;
  total: number;
}

/**
 * Builds the call graph of one sample type and prints it exactly as `go tool pprof -dot` does (`firstPass`:
 * the cached untrimmed sums of this sample type, if any).
 */
export function buildDotReport(profile: Profile, nodes: NodeMap, options: DotOptions, firstPass?: NodeSums): DotReport {
  const type = profile.sampleTypes[options.sampleIndex];
  if (!type) throw new RangeError(`No sample type ${options.sampleIndex}`);
  const total = options.total ?? computeTotal(profile, options.sampleIndex);
  const graph = buildCallGraph(profile, nodes, {
    sampleIndex: options.sampleIndex,
    nodeFraction: options.nodeFraction,
    edgeFraction: options.edgeFraction,
    nodeCount: options.nodeCount > 0 ? options.nodeCount : DEFAULT_GRAPH_NODE_COUNT,
    // pprof names numeric tags before it picks the output unit, so in the "minimum" unit.
    formatTag: (v, key) => formatScaled(v, key, 'minimum'),
  }, firstPass);
  let minValue = 0;
  for (const n of graph.nodes) {
    let v = Math.abs(n.flat);
    if (v === 0) v = Math.abs(n.cum);
    if (v > 0 && (minValue === 0 || v < minValue)) minValue = v;
  }
  const outputUnit = graph.nodes.length > 0 ? selectOutputUnit(minValue, total, type.unit) : 'minimum';
  const formatValue = (v: number) => formatScaled(v, type.unit, outputUnit);
  const labels = buildLegendLabels(profile, graph, { ...options, total, formatValue });
  const mapping = profile.mappings.length > 0 ? profile.strings[profile.mappings.filename[0]!]! : '';
  const title = mapping !== '' ? baseName(mapping) : '';
  return { ...composeDot(graph, nodes, { title, labels, total, formatValue }), sampleUnit: type.unit, outputUnit, total };
}

/** pprof's reportLabels for the graph: profile labels, filters, what is shown and dropped, the help line. */
function buildLegendLabels(
  profile: Profile,
  graph: CallGraph,
  o: DotOptions & { total: number; formatValue: (v: number) => string },
): string[] {
  const labels = buildProfileLabels(profile, { sampleIndex: o.sampleIndex, total: o.total, formatValue: o.formatValue }).map(escapeDot);
  labels.push(...formatActiveFilters(o.activeFilters ?? []).map(escapeDot));
  let flatSum = 0;
  for (const n of graph.nodes) flatSum += n.flat;
  labels.push(`Showing nodes accounting for ${o.formatValue(flatSum)}, ${formatPercent(flatSum, o.total).trim()} of ${o.formatValue(o.total)} total`);
  if (o.total !== 0) {
    const cut = (f: number) => o.formatValue(Math.abs(Math.trunc(o.total * f)));
    const plural = (n: number, word: string) => `${n} ${word}${n > 1 ? 's' : ''}`;
    if (graph.droppedNodes > 0) labels.push(`Dropped ${plural(graph.droppedNodes, 'node')} (cum <= ${cut(o.nodeFraction)})`);
    if (graph.droppedEdges > 0) labels.push(`Dropped ${plural(graph.droppedEdges, 'edge')} (freq <= ${cut(o.edgeFraction)})`);
    const count = graph.nodes.length;
    if (count > 0 && count < graph.origCount) labels.push(`Showing top ${count} nodes out of ${graph.origCount}`);
  }
  // pprof's own DOT escape: an empty left-justified line before the help line.
  labels.push('\\lSee https://git.io/JfYMW for how to read the graph');
  return labels;
}

interface ComposeOptions {
  title: string;
  /** Legend lines, already escaped for DOT. */
  labels: string[];
  total: number;
  formatValue: (v: number) => string;
}

/** pprof's ComposeDot: header, legend, nodes each followed by its tag nodes, then edges by weight. */
function composeDot(graph: CallGraph, nodes: NodeMap, o: ComposeOptions): Pick<DotReport, 'dot' | 'nodes' | 'edges'> {
  const out: string[] = [];
  const infos: GraphNodeInfo[] = [];
  const edgeInfos: GraphEdgeInfo[] = [];
  const title = escapeDot(o.title);
  out.push(`digraph "${title !== '' ? title : 'unnamed'}" {`, 'node [style=filled fillcolor="#f8f8f8"]');
  if (o.labels.length > 0) {
    const tooltip = title !== '' ? ` tooltip="${title}"` : '';
    out.push(`subgraph cluster_L { "${o.labels[0]}" [shape=box fontsize=16 label="${o.labels.join('\\l')}\\l"${tooltip}] }`);
  }
  const ids = new Map<GraphNode, number>();
  let maxFlat = graph.nodes.length > 0 ? Math.abs(graph.nodes[0]!.flat) : 0;
  graph.nodes.forEach((n, i) => {
    ids.set(n, i + 1);
    maxFlat = Math.max(maxFlat, Math.abs(n.flat));
  });
  const hasTags = new Set<GraphNode>();
  const allEdges: GraphEdge[] = [];
  for (const n of graph.nodes) {
    const id = ids.get(n)!;
    const info = formatNode(n, id, nodes, maxFlat, o);
    out.push(info.line);
    infos.push(info.info);
    for (const t of listNodeTags(n, id)) {
      const w = o.formatValue(t.weight);
      out.push(`${t.dotId} [label = "${t.label}" id="${t.dotId}" fontsize=8 shape=box3d tooltip="${w}"]`);
      out.push(`${t.from} -> ${t.dotId} [label=" ${w}" weight=100 tooltip="${w}" labeltooltip="${w}"${t.dotted ? ' style="dotted"' : ''}]`);
      infos.push({ dotId: t.dotId, name: t.name, file: '', flat: t.weight, cum: t.weight, flatText: w, cumText: w, isTag: true });
      edgeInfos.push({ from: t.from, to: t.dotId, weight: t.weight, weightText: w, residual: false, inline: false });
      hasTags.add(n);
    }
    allEdges.push(...n.out);
  }
  for (const e of sortEdges(allEdges, nodes.name)) {
    const edge = formatEdge(e, ids.get(e.src) ?? 0, ids.get(e.dest) ?? 0, hasTags.has(e.src), nodes, o);
    out.push(edge.line);
    edgeInfos.push(edge.info);
  }
  out.push('}');
  return { dot: `${out.join('\n')}\n`, nodes: infos, edges: edgeInfos };
}

function formatNode(n: GraphNode, id: number, nodes: NodeMap, maxFlat: number, o: ComposeOptions) {
  const { flat, cum } = n;
  const flatText = o.formatValue(flat);
  let label = formatMultilineName(nodes.info[n.id]!);
  label += flat !== 0 ? `${flatText} (${formatPercent(flat, o.total).trim()})` : '0';
  let cumText = flatText;
  if (cum !== flat) {
    label += flat !== 0 ? '\\n' : ' ';
    cumText = o.formatValue(cum);
    label += `of ${cumText} (${formatPercent(cum, o.total).trim()})`;
  }
  let fontSize = 8;
  if (maxFlat !== 0 && flat !== 0 && Math.abs(flat) <= maxFlat) fontSize += Math.ceil(16 * Math.sqrt(Math.abs(flat) / maxFlat));
  const name = nodes.name[n.id]!;
  const score = cum / Math.abs(o.total);
  const line =
    `N${id} [label="${label}" id="node${id}" fontsize=${fontSize} shape=box tooltip="${escapeDot(name)} (${cumText})"` +
    ` color="${formatDotColor(score, false)}" fillcolor="${formatDotColor(score, true)}"]`;
  const nodeInfo = nodes.info[n.id]!;
  const info: GraphNodeInfo = { dotId: `N${id}`, name, file: nodeInfo.file !== '' ? nodeInfo.file : nodeInfo.sourceFile, flat, cum, flatText, cumText, isTag: false };
  return { line, info };
}

function formatEdge(e: GraphEdge, from: number, to: number, fromHasTags: boolean, nodes: NodeMap, o: ComposeOptions) {
  const w = o.formatValue(e.weight);
  let attr = `label=" ${w}${e.inline ? '\\n (inline)' : ''}"`;
  if (o.total !== 0) {
    // Go's int64 division truncates; an edge of a diff may outweigh the total.
    const weight = 1 + Math.min(Math.abs(Math.trunc((e.weight * 100) / o.total)), 100);
    if (weight > 1) attr += ` weight=${weight}`;
    const width = 1 + Math.min(Math.abs(Math.trunc((e.weight * 5) / o.total)), 5);
    if (width > 1) attr += ` penwidth=${width}`;
    attr += ` color="${formatDotColor(e.weight / Math.abs(o.total), false)}"`;
  }
  const tooltip = `"${escapeDot(nodes.name[e.src.id]!)} ${e.residual ? '...' : '->'} ${escapeDot(nodes.name[e.dest.id]!)} (${w})"`;
  attr += ` tooltip=${tooltip} labeltooltip=${tooltip}`;
  if (e.residual) attr += ' style="dotted"';
  if (fromHasTags) attr += ' minlen=2';
  const info: GraphEdgeInfo = { from: `N${from}`, to: `N${to}`, weight: e.weight, weightText: w, residual: e.residual, inline: e.inline };
  return { line: `N${from} -> N${to} [${attr}]`, info };
}
