// The call graph's node count in the page URL (`gn=N`; absent = pprof's 80), beside the view query.

import { GRAPH_NODE_COUNT } from './graph.svelte';

/** The node count a query names (a positive integer), or null. */
export function readNodeCountParam(search: string): number | null {
  const value = new URLSearchParams(search).get('gn');
  if (value === null || !/^\d{1,6}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 ? n : null;
}

/** `query` (without '?') with the node count set: pprof's default is left out. */
export function formatNodeCountQuery(query: string, nodeCount: number): string {
  const q = new URLSearchParams(query);
  if (nodeCount === GRAPH_NODE_COUNT) q.delete('gn');
  else q.set('gn', String(nodeCount));
  return q.toString();
}
