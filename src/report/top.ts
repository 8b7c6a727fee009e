// The top report: pprof's `-top` rows and header lines for one sample type, plus its text and TSV forms.

import type { NodeSums } from '../graph/build-graph';
import type { NodeMap } from '../graph/nodes';
import { buildTrimmedGraph, type TrimmedGraph, type TrimOptions } from '../graph/trim';
import type { Profile } from '../profile/model';
import { buildProfileLabels } from './header';
import { computeTotal } from './total';
import { formatPercent, formatScaled, selectOutputUnit } from './units';

/** pprof's defaults for reports. */
export const DEFAULT_NODE_FRACTION = 0.005;
export const DEFAULT_EDGE_FRACTION = 0.001;

export interface TopOptions {
  sampleIndex: number;
  /** pprof's -nodefraction: 0.005 by default (the Trim toggle), 0 shows every node. */
  nodeFraction: number;
  /** pprof's -edgefraction: 0.001 by default; it decides which in-edges make a row `(inline)`. */
  edgeFraction: number;
  sort: 'flat' | 'cum';
  /** pprof's -nodecount (0 or absent: every node; the header then says "Showing top N nodes out of M"). */
  nodeCount?: number;
  /**
   * The percentage denominator when it is not this profile's own: a filtered profile's report divides by
   * the total before filtering, as pprof does unless -relative_percentages.
   */
  total?: number;
  /** `key=value` lines of pprof's "Active filters:" header (focus=…, ignore=… in pprof's order). */
  activeFilters?: string[];
}

/** Marker pprof prints after a name: 0 none, 1 `(inline)`, 2 `(partial-inline)`. */
export type InlineMarker = 0 | 1 | 2;

/**
 * A top table. Row `i` is `name[i]` with signed `flat[i]`/`cum[i]` in sample units; `sumFlat[i]` is the
 * running sum of flat in this order (pprof's sum%). Values print with `sampleUnit` → `outputUnit`.
 */
export interface TopReport {
  sampleIndex: number;
  sampleType: string;
  sampleUnit: string;
  outputUnit: string;
  total: number;
  /** Header lines exactly as pprof prints them (File … Showing … Dropped …). */
  header: string[];
  droppedNodes: number;
  name: string[];
  inline: Uint8Array;
  flat: Float64Array;
  cum: Float64Array;
  sumFlat: Float64Array;
}

/** The trimmed graph a top report with these options shows (buildTrimmedGraph's options). */
export function readTopTrimOptions(options: TopOptions): TrimOptions {
  return {
    sampleIndex: options.sampleIndex,
    nodeFraction: options.nodeFraction,
    edgeFraction: options.edgeFraction,
    sort: options.sort,
    nodeCount: options.nodeCount ?? 0,
  };
}

/**
 * Builds the top report for one sample type. `firstPass`, its cached untrimmed sums, spares a pass;
 * `trimmed`, its graph built elsewhere (with readTopTrimOptions), spares both.
 */
export function buildTopReport(profile: Profile, nodes: NodeMap, options: TopOptions, firstPass?: NodeSums, trimmed?: TrimmedGraph): TopReport {
  const { sampleIndex } = options;
  const type = profile.sampleTypes[sampleIndex];
  if (!type) throw new RangeError(`No sample type ${sampleIndex}`);
  const g = trimmed ?? buildTrimmedGraph(profile, nodes, readTopTrimOptions(options), firstPass);
  const total = options.total ?? computeTotal(profile, sampleIndex);
  const count = g.order.length;
  const name = new Array<string>(count);
  const inline = new Uint8Array(count);
  const flat = new Float64Array(count);
  const cum = new Float64Array(count);
  const sumFlat = new Float64Array(count);
  let minValue = 0;
  let running = 0;
  for (let i = 0; i < count; i++) {
    const n = g.order[i]!;
    name[i] = nodes.name[n]!;
    const bits = g.inEdges[n]!;
    inline[i] = bits === 1 ? 1 : bits === 3 ? 2 : 0;
    flat[i] = g.flat[n]!;
    cum[i] = g.cum[n]!;
    running += flat[i]!;
    sumFlat[i] = running;
    let v = Math.abs(flat[i]!);
    if (v === 0) v = Math.abs(cum[i]!);
    if (v > 0 && (minValue === 0 || v < minValue)) minValue = v;
  }
  const outputUnit = count > 0 ? selectOutputUnit(minValue, total, type.unit) : 'minimum';
  const formatValue = (v: number) => formatScaled(v, type.unit, outputUnit);
  const header = buildProfileLabels(profile, { sampleIndex, total, formatValue });
  header.push(...formatActiveFilters(options.activeFilters ?? []));
  header.push(
    `Showing nodes accounting for ${formatValue(running)}, ${formatPercent(running, total).trim()} of ${formatValue(total)} total`,
  );
  if (total !== 0 && g.droppedNodes > 0) {
    const cut = formatValue(Math.abs(Math.trunc(total * options.nodeFraction)));
    header.push(`Dropped ${g.droppedNodes} ${g.droppedNodes > 1 ? 'nodes' : 'node'} (cum <= ${cut})`);
  }
  if (total !== 0 && count > 0 && count < g.origCount) header.push(`Showing top ${count} nodes out of ${g.origCount}`);
  return {
    sampleIndex,
    sampleType: type.type,
    sampleUnit: type.unit,
    outputUnit,
    total,
    header,
    droppedNodes: g.droppedNodes,
    name,
    inline,
    flat,
    cum,
    sumFlat,
  };
}

/** pprof's legendActiveFilters: "Active filters:" then each filter indented, cut at 80 characters. */
export function formatActiveFilters(filters: string[]): string[] {
  if (filters.length === 0) return [];
  return ['Active filters:', ...filters.map((f) => `   ${f.length > 80 ? `${f.slice(0, 80)}…` : f}`)];
}

const MARKERS = ['', '(inline)', '(partial-inline)'];

/** The cells of row `i` as pprof prints them. */
export function formatTopRow(report: TopReport, i: number) {
  const fmt = (v: number) => formatScaled(v, report.sampleUnit, report.outputUnit);
  return {
    flat: fmt(report.flat[i]!),
    flatPercent: formatPercent(report.flat[i]!, report.total),
    sumPercent: formatPercent(report.sumFlat[i]!, report.total),
    cum: fmt(report.cum[i]!),
    cumPercent: formatPercent(report.cum[i]!, report.total),
    name: report.name[i]!,
    marker: MARKERS[report.inline[i]!]!,
  };
}

/** The whole report as `go tool pprof -top` prints it (one string per line). */
export function formatTopText(report: TopReport): string[] {
  const lines = [...report.header];
  lines.push(`${'flat'.padStart(10)} ${'flat'.padStart(5)}% ${'sum'.padStart(5)}% ${'cum'.padStart(10)} ${'cum'.padStart(5)}%`);
  for (let i = 0; i < report.name.length; i++) {
    const r = formatTopRow(report, i);
    lines.push(`${r.flat.padStart(10)} ${r.flatPercent} ${r.sumPercent} ${r.cum.padStart(10)} ${r.cumPercent}  ${r.name}${r.marker ? ` ${r.marker}` : ''}`);
  }
  return lines;
}
