// The engine's call graphs for one open profile: its -diff_base merges and the last graph replies.

import { buildNodeSums, type NodeSums } from '../src/graph/build-graph';
import { buildNodeMap, type NodeMap } from '../src/graph/nodes';
import { hasNegativeValue } from '../src/graph/trim';
import { mergeDiffBase } from '../src/profile/diff-base';
import type { Profile } from '../src/profile/model';
import { buildDotReport } from '../src/report/dot';
import { buildRefinedProfile, computeRefinedTotal, listActiveFilters, type RefinedProfile, type RefineOptions } from '../src/report/refine';
import type { GraphRequest, GraphView } from './protocol';
import { remember } from './remember';

/** How many graph replies and -diff_base merges one profile keeps. */
const GRAPH_CACHE = 16;
const DIFF_CACHE = 2;

/** A refined profile with its untrimmed sums per sample type (built on first use). */
export type RefinedSource = RefinedProfile & { sums: (NodeSums | undefined)[] };

/**
 * A profile the graph is drawn from: its own nodes (built on first use), their untrimmed sums per sample
 * type (the top table's pass 1, cached), and refined versions by key.
 */
export interface GraphSource {
  profile: Profile;
  nodes: () => NodeMap;
  sums: (sampleIndex: number) => NodeSums;
  refined: (key: string, refine: Partial<RefineOptions>) => RefinedSource;
}

/**
 * Call graphs of one open profile. `own` is the profile as opened; a request's `refineKey` names the refine
 * options that change the samples or nodes ('' for none); `base` gives the -diff_base profile when asked.
 */
export class GraphReports {
  #own: GraphSource;
  #graphs = new Map<string, Omit<GraphView, 'computeMs'>>();
  #diffs = new Map<string, GraphSource>();

  constructor(own: GraphSource) {
    this.#own = own;
  }

  /** The graph of a request (cached by every option that changes it). Throws FilterError for a bad pattern. */
  graph(request: GraphRequest, refineKey: string, base: () => Profile, now: () => number): GraphView {
    const start = now();
    const { sampleIndex, nodeFraction, edgeFraction, diffBaseId } = request;
    const nodeCount = request.nodeCount ?? 0;
    const key = JSON.stringify([sampleIndex, nodeFraction, edgeFraction, nodeCount, refineKey, diffBaseId ?? null]);
    let view = this.#graphs.get(key);
    if (!view) {
      const source = diffBaseId === undefined ? this.#own : this.#diffSource(diffBaseId, base);
      view = this.#build(source, request, refineKey);
    }
    remember(this.#graphs, key, view, GRAPH_CACHE);
    return { ...view, computeMs: now() - start };
  }

  /** Forgets what was built with profile `id` as the base. */
  forgetBase(id: string): void {
    this.#diffs.delete(id);
    for (const key of [...this.#graphs.keys()]) if (JSON.parse(key)[5] === id) this.#graphs.delete(key);
  }

  #diffSource(id: string, base: () => Profile): GraphSource {
    const hit = this.#diffs.get(id);
    if (hit) return remember(this.#diffs, id, hit, DIFF_CACHE);
    const profile = mergeDiffBase(this.#own.profile, base());
    let nodes: NodeMap | null = null;
    const sums: (NodeSums | undefined)[] = [];
    const refined = new Map<string, RefinedSource>();
    return remember(
      this.#diffs,
      id,
      {
        profile,
        nodes: () => (nodes ??= buildNodeMap(profile)),
        sums: (si) => (sums[si] ??= buildNodeSums(profile, (nodes ??= buildNodeMap(profile)), si)),
        refined: (key, refine) => {
          const r = refined.get(key) ?? { ...buildRefinedProfile(profile, refine), sums: [] };
          return remember(refined, key, r, 2);
        },
      },
      DIFF_CACHE,
    );
  }

  #build(source: GraphSource, request: GraphRequest, refineKey: string): Omit<GraphView, 'computeMs'> {
    const { sampleIndex } = request;
    const refined = refineKey === '' ? null : source.refined(refineKey, request);
    const profile = refined ? refined.profile : source.profile;
    const nodes = refined ? refined.nodes : source.nodes();
    const firstPass = refined ? (refined.sums[sampleIndex] ??= buildNodeSums(profile, nodes, sampleIndex)) : source.sums(sampleIndex);
    const report = buildDotReport(profile, nodes, {
      sampleIndex,
      nodeFraction: request.nodeFraction,
      edgeFraction: request.edgeFraction,
      nodeCount: request.nodeCount ?? 0,
      total: refined ? computeRefinedTotal(source.profile, refined.profile, request, sampleIndex) : undefined,
      activeFilters: listActiveFilters(request),
    }, firstPass);
    const values = source.profile.samples.values[sampleIndex]!;
    const isDiff = request.diffBaseId !== undefined || hasNegativeValue(values);
    const notices = refined ? refined.unmatched.map((name) => `${name} expression matched no samples`) : [];
    return {
      dot: report.dot,
      nodes: report.nodes,
      edges: report.edges,
      isDiff,
      sampleUnit: report.sampleUnit,
      ...(notices.length > 0 ? { notices } : {}),
    };
  }
}
