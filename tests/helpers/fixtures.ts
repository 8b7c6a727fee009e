// Paths of the test fixtures copied into tests/ (a fresh clone needs no ../shared) and of ../shared when present.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const LEAKY = `${FIXTURES}go-leaky-server/`;
export const CORPUS = `${FIXTURES}corpus/`;
export const CORPUS_ORACLE = `${FIXTURES}oracle/`;

/** ../shared next to the repository, or null when absent (a fresh clone elsewhere). */
export const SHARED: string | null = (() => {
  const p = fileURLToPath(new URL('../../../shared/', import.meta.url));
  return existsSync(`${p}fixtures`) ? p : null;
})();
