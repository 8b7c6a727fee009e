// The flame graph's layout choice in the page URL (`layout=flame|both|graph`; absent = the table), beside the view query.

import type { FlameLayoutChoice } from './flame.svelte';

const LAYOUTS: readonly FlameLayoutChoice[] = ['table', 'flame', 'both', 'graph'];

/** The layout a query names, or null when it names none (or an unknown one). */
export function readLayoutParam(search: string): FlameLayoutChoice | null {
  const value = new URLSearchParams(search).get('layout');
  return LAYOUTS.find((l) => l === value) ?? null;
}

/** `query` (without '?') with the layout set: the table, the default, is left out. */
export function formatLayoutQuery(query: string, layout: FlameLayoutChoice): string {
  const q = new URLSearchParams(query);
  if (layout === 'table') q.delete('layout');
  else q.set('layout', layout);
  return q.toString();
}
