// Reads the goroutine table of the go-leaky-server MANIFEST (counts per leak function at t0, t1 and fixed).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** tests/fixtures/go-leaky-server/ from the repository root (the test runners' cwd); also under happy-dom,
 * where import.meta.url is not a file URL. */
export const LEAKY_FIXTURES = `${resolve('tests/fixtures/go-leaky-server')}/`;

export interface ManifestCounts {
  t0: number;
  t1: number;
  fixed: number;
}

/** Rows of the MANIFEST's "Goroutines" table: function (without backticks) → counts; plus the totals row. */
export function readManifestGoroutines(): { byFunction: Map<string, ManifestCounts>; states: Map<string, string>; total: ManifestCounts } {
  const text = readFileSync(`${LEAKY_FIXTURES}MANIFEST.md`, 'utf8');
  const section = text.slice(text.indexOf('### Goroutines'));
  const byFunction = new Map<string, ManifestCounts>();
  const states = new Map<string, string>();
  let total: ManifestCounts | null = null;
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 7) continue;
    const [, , fn, state, t0, t1, fixed] = cells;
    const counts = { t0: Number(t0), t1: Number(t1), fixed: Number(fixed) };
    if (Number.isNaN(counts.t0)) continue;
    if (fn === '') total = counts;
    else {
      const name = fn!.replace(/`/g, '');
      byFunction.set(name, counts);
      states.set(name, state!.replace(/`/g, ''));
    }
  }
  if (!total) throw new Error('MANIFEST: no goroutine totals row');
  return { byFunction, states, total };
}
