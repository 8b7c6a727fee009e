// pprof's `-peek`: the callers and callees of the functions matching a regular expression, with flat/cum.

import type { NodeSums } from '../graph/build-graph';
import { readStackRanges, type NodeMap } from '../graph/nodes';
import { buildTrimmedGraph } from '../graph/trim';
import type { Profile } from '../profile/model';
import { buildTopReport } from './top';
import { formatPercent, formatScaled } from './units';

/** One caller (in) or callee (out) edge of a peeked node: weight counted once per sample, as pprof. */
export interface PeekEdge {
  name: string;
  weight: number;
  /** pprof's `(inline)`: every sample reaching this edge did so through an inlined frame. */
  inline: boolean;
}

/** One matched node: its flat/cum, the running flat sum over matched nodes, and its edges in pprof's order. */
export interface PeekEntry {
  node: number;
  name: string;
  flat: number;
  cum: number;
  sumFlat: number;
  callers: PeekEdge[];
  callees: PeekEdge[];
}

/** A peek report: pprof's header, the unit, and the entries in pprof's order (flat, then name, then cum). */
export interface PeekReport {
  header: string[];
  sampleUnit: string;
  outputUnit: string;
  total: number;
  entries: PeekEntry[];
}

export interface PeekOptions {
  sampleIndex: number;
  /** Matched against each node's printable name. */
  pattern: RegExp;
}

/** Builds pprof's peek report (no trimming, functions granularity). `firstPass` are the cached sums. */
export function buildPeekReport(profile: Profile, nodes: NodeMap, options: PeekOptions, firstPass?: NodeSums): PeekReport {
  const { sampleIndex, pattern } = options;
  const graphOptions = { sampleIndex, nodeFraction: 0, edgeFraction: 0, sort: 'flat' as const };
  const top = buildTopReport(profile, nodes, graphOptions, firstPass);
  const g = buildTrimmedGraph(profile, nodes, graphOptions, firstPass);
  const matched = new Uint8Array(nodes.length);
  const order: number[] = [];
  for (const n of g.order) {
    if (pattern.test(nodes.name[n]!)) {
      matched[n] = 1;
      order.push(n);
    }
  }
  const edges = buildEdgesOf(profile, nodes, sampleIndex, matched);
  let running = 0;
  const entries = order.map((n): PeekEntry => {
    running += g.flat[n]!;
    const list = (map: Map<number, EdgeSum> | undefined) =>
      [...(map ?? new Map<number, EdgeSum>())]
        .map(([other, e]) => ({ name: nodes.name[other]!, weight: e.weight, inline: e.inline }))
        .sort((a, b) => (a.weight !== b.weight ? Math.abs(b.weight) - Math.abs(a.weight) : 0) || compare(a.name, b.name));
    return {
      node: n,
      name: nodes.name[n]!,
      flat: g.flat[n]!,
      cum: g.cum[n]!,
      sumFlat: running,
      callers: list(edges.in.get(n)),
      callees: list(edges.out.get(n)),
    };
  });
  return { header: top.header, sampleUnit: top.sampleUnit, outputUnit: top.outputUnit, total: top.total, entries };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface EdgeSum {
  weight: number;
  inline: boolean;
  stamp: number;
}

/**
 * The edges into and out of the matched nodes, as pprof's graph.New adds them: root → leaf, self edges
 * skipped, each edge counted once per sample, inline while every visit is through an inlined frame.
 */
function buildEdgesOf(profile: Profile, nodes: NodeMap, sampleIndex: number, matched: Uint8Array) {
  const { samples } = profile;
  const values = samples.values[sampleIndex]!;
  const { starts, ends } = readStackRanges(profile, nodes);
  const { locNodeStart, locNodes } = nodes;
  const locMatches = new Uint8Array(locNodeStart.length - 1);
  for (let l = 0; l < locMatches.length; l++) {
    for (let k = locNodeStart[l]!; k < locNodeStart[l + 1]!; k++) if (matched[locNodes[k]!] === 1) locMatches[l] = 1;
  }
  const into = new Map<number, Map<number, EdgeSum>>();
  const out = new Map<number, Map<number, EdgeSum>>();
  const add = (table: Map<number, Map<number, EdgeSum>>, at: number, other: number, w: number, s: number, inline: boolean) => {
    let m = table.get(at);
    if (!m) table.set(at, (m = new Map()));
    const e = m.get(other);
    if (!e) m.set(other, { weight: w, inline, stamp: s });
    else if (e.stamp !== s) {
      e.stamp = s;
      e.weight += w;
      if (!inline) e.inline = false;
    }
  };
  for (let s = 0; s < samples.length; s++) {
    const w = values[s]!;
    if (w === 0) continue;
    let relevant = false;
    for (let j = starts[s]!; j < ends[s]! && !relevant; j++) relevant = locMatches[samples.stack[j]!] === 1;
    if (!relevant) continue;
    let parent = -1;
    for (let j = ends[s]! - 1; j >= starts[s]!; j--) {
      const loc = samples.stack[j]!;
      const last = locNodeStart[loc + 1]! - 1;
      for (let k = last; k >= locNodeStart[loc]!; k--) {
        const n = locNodes[k]!;
        if (parent >= 0 && n !== parent) {
          if (matched[parent] === 1) add(out, parent, n, w, s, k !== last);
          if (matched[n] === 1) add(into, n, parent, w, s, k !== last);
        }
        parent = n;
      }
    }
  }
  return { in: into, out };
}

const SEPARATOR = '----------------------------------------------------------+-------------';
const LEGEND = '      flat  flat%   sum%        cum   cum%   calls calls% + context 	 	 ';

/** The text `go tool pprof -peek` prints. */
export function formatPeekText(report: PeekReport): string[] {
  const fmt = (v: number) => formatScaled(v, report.sampleUnit, report.outputUnit);
  const lines = [...report.header, SEPARATOR, LEGEND];
  const edgeLine = (e: PeekEdge, cum: number) =>
    `${fmt(e.weight).padStart(50)} ${formatPercent(e.weight, cum)} |   ${e.name}${e.inline ? ' (inline)' : ''}`;
  for (const entry of report.entries) {
    lines.push(SEPARATOR);
    for (const e of entry.callers) lines.push(edgeLine(e, entry.cum));
    lines.push(
      `${fmt(entry.flat).padStart(10)} ${formatPercent(entry.flat, report.total)} ${formatPercent(entry.sumFlat, report.total)} ${fmt(entry.cum).padStart(10)} ${formatPercent(entry.cum, report.total)}                | ${entry.name}`,
    );
    for (const e of entry.callees) lines.push(edgeLine(e, entry.cum));
  }
  if (report.entries.length > 0) lines.push(SEPARATOR);
  return lines;
}
