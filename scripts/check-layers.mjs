#!/usr/bin/env node
// Lint: imports go one way (profile → graph → report → state → views; workers/ use only the first three).
// Prints each import against that direction and exits 1 if there is any.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What each layer may import (besides itself). `*` = anything in src/. */
export const ALLOWED = {
  profile: [],
  graph: ['profile'],
  report: ['profile', 'graph'],
  storage: ['profile', 'graph', 'report'],
  'engine-client': ['profile', 'graph', 'report', 'workers'],
  state: ['profile', 'graph', 'report', 'storage', 'engine-client', 'workers'],
  views: ['profile', 'graph', 'report', 'storage', 'engine-client', 'state', 'workers'],
  workers: ['profile', 'graph', 'report'],
  app: ['*'],
};

/** Layers that must stay free of Svelte and the DOM. */
const PURE = new Set(['profile', 'graph', 'report', 'workers']);

const IMPORT_RX = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]|new URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url/g;

/** The layer of a file path relative to the repository root, or null when outside the layered tree. */
export function layerOf(rel) {
  const parts = rel.split(/[\\/]/);
  if (parts[0] === 'workers') return 'workers';
  if (parts[0] !== 'src') return null;
  if (parts.length === 2) return 'app';
  return parts[1] in ALLOWED ? parts[1] : 'app';
}

function walk(dir) {
  const out = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.(ts|svelte|js|mjs)$/.test(e)) out.push(p);
  }
  return out;
}

/** Every import against the layer direction under `root` (its src/ and workers/), as readable lines. */
export function findLayerViolations(root) {
  const problems = [];
  for (const top of ['src', 'workers']) {
    let files = [];
    try {
      files = walk(join(root, top));
    } catch {
      continue;
    }
    for (const file of files) {
      const rel = relative(root, file);
      const from = layerOf(rel);
      if (!from) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(IMPORT_RX)) {
        const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
        if (!spec) continue;
        if (!spec.startsWith('.')) {
          if (PURE.has(from) && from !== 'workers' && /^svelte(\/|$)/.test(spec)) problems.push(`${rel}: ${from} must not import ${spec}`);
          continue;
        }
        const target = layerOf(relative(root, resolve(dirname(file), spec)));
        if (!target || target === from) continue;
        const allowed = ALLOWED[from];
        if (!allowed.includes('*') && !allowed.includes(target)) {
          problems.push(`${rel}: ${from} must not import ${target} ('${spec}')`);
        }
      }
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const problems = findLayerViolations(root);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`\n${problems.length} import(s) against the layer direction (see src/README.md).`);
    process.exit(1);
  }
  console.log('layers: every import goes the right way');
}
