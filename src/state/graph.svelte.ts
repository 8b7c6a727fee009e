// The call graph's state: per profile its node count, and the latest graph with its Graphviz layout.

import { createContext } from 'svelte';
import type { EngineClient, GraphView } from '../engine-client/client';
import type { LayoutClient } from '../engine-client/layout-client';
import type { RefineOptions } from '../report/refine';

/** pprof's graph defaults: -nodecount 80, -nodefraction 0.005, -edgefraction 0.001. */
export const GRAPH_NODE_COUNT = 80;
export const GRAPH_NODE_FRACTION = 0.005;
export const GRAPH_EDGE_FRACTION = 0.001;

export type GraphEngine = Pick<EngineClient, 'graph'>;
export type GraphLayout = Pick<LayoutClient, 'layout'>;

/** A graph ready to show: the engine's nodes and edges and Graphviz's SVG text. */
export interface LaidOutGraph {
  graph: GraphView;
  svg: string;
  layoutMs: number;
}

/** Call graph state for all open profiles; one per app, shared by context. */
export class GraphState {
  #engine: GraphEngine;
  #layout: GraphLayout;
  #nodeCount = $state.raw<Record<string, number>>({});
  #result = $state.raw<{ key: string; value: LaidOutGraph } | null>(null);
  #error = $state.raw<{ key: string; message: string } | null>(null);
  #pending = $state<string | null>(null);
  /** The node count last chosen (or the URL's at start): a profile opened next starts with it. */
  #defaultNodeCount = $state(GRAPH_NODE_COUNT);

  /** `nodeCount`: the node count profiles start with (e.g. read from the URL); pprof's 80 when null. */
  constructor(engine: GraphEngine, layout: GraphLayout, nodeCount: number | null = null) {
    this.#engine = engine;
    this.#layout = layout;
    if (nodeCount !== null) this.#defaultNodeCount = Math.max(1, Math.round(nodeCount));
  }

  /** The node count of a profile's graph (pprof's 80, or the last one chosen, until changed). */
  nodeCountOf(id: string): number {
    return this.#nodeCount[id] ?? this.#defaultNodeCount;
  }

  setNodeCount(id: string, n: number): void {
    const count = Math.max(1, Math.round(n));
    this.#nodeCount = { ...this.#nodeCount, [id]: count };
    this.#defaultNodeCount = count;
  }

  #key(id: string, sampleIndex: number, refine: Partial<RefineOptions>): string {
    return `${id}|${sampleIndex}|${this.nodeCountOf(id)}|${JSON.stringify(refine)}`;
  }

  /** The graph for these options, once laid out. */
  graphOf(id: string, sampleIndex: number, refine: Partial<RefineOptions>): LaidOutGraph | null {
    const r = this.#result;
    return r && r.key === this.#key(id, sampleIndex, refine) ? r.value : null;
  }

  /** The last graph laid out for this profile, whatever its options (kept on screen while the next one is made). */
  lastGraphOf(id: string): LaidOutGraph | null {
    const r = this.#result;
    return r && r.key.startsWith(`${id}|`) ? r.value : null;
  }

  errorOf(id: string, sampleIndex: number, refine: Partial<RefineOptions>): string | null {
    const e = this.#error;
    return e && e.key === this.#key(id, sampleIndex, refine) ? e.message : null;
  }

  /** True while a graph for these options is being built or laid out. */
  isLoading(id: string, sampleIndex: number, refine: Partial<RefineOptions>): boolean {
    return this.#pending === this.#key(id, sampleIndex, refine);
  }

  /** Builds the graph in the engine and lays it out in the layout worker (no-op when it is already here). */
  async load(id: string, sampleIndex: number, refine: Partial<RefineOptions>): Promise<void> {
    const key = this.#key(id, sampleIndex, refine);
    // Failed options are not retried until they change (a view effect calls this on every change).
    if (this.#result?.key === key || this.#pending === key || this.#error?.key === key) return;
    this.#pending = key;
    const asked = performance.now();
    try {
      const graph = await this.#engine.graph(id, {
        ...refine,
        sampleIndex,
        nodeCount: this.nodeCountOf(id),
        nodeFraction: GRAPH_NODE_FRACTION,
        edgeFraction: GRAPH_EDGE_FRACTION,
      });
      if (this.#pending !== key) return;
      // For outside harnesses (bench/graph.mjs): the engine's part, then Graphviz's.
      performance.measure('pprof:graph-built', { start: asked, detail: { computeMs: graph.computeMs } });
      const laidAsked = performance.now();
      const laid = await this.#layout.layout(graph.dot);
      performance.measure('pprof:graph-laid-out', { start: laidAsked, detail: { layoutMs: laid.ok ? laid.ms : null } });
      if (this.#pending !== key) return;
      if (laid.ok) {
        this.#result = { key, value: { graph, svg: laid.svg, layoutMs: laid.ms } };
        this.#error = null;
      } else {
        this.#error = { key, message: laid.error };
      }
    } catch (e) {
      if (this.#pending === key) this.#error = { key, message: `Could not build the call graph: ${e instanceof Error ? e.message : String(e)}` };
    } finally {
      if (this.#pending === key) this.#pending = null;
    }
  }

  /** Drops what is kept of a closed profile. */
  forget(id: string): void {
    if (this.#result?.key.startsWith(`${id}|`)) this.#result = null;
    if (this.#error?.key.startsWith(`${id}|`)) this.#error = null;
    const { [id]: _, ...rest } = this.#nodeCount;
    this.#nodeCount = rest;
  }
}

export const [getGraphState, setGraphState] = createContext<GraphState>();
