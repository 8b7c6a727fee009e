// The layer lint flags imports against profile → graph → report → state → views (workers: first three).

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module without types
import { findLayerViolations } from '../../scripts/check-layers.mjs';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('check-layers', () => {
  it('accepts imports that go the right way', () => {
    const root = tree({
      'src/profile/a.ts': "export const a = 1;",
      'src/graph/b.ts': "import { a } from '../profile/a';",
      'src/views/x/V.svelte': "<script>import { b } from '../../graph/b';</script>",
      'workers/w.worker.ts': "import { b } from '../src/graph/b';",
    });
    expect(findLayerViolations(root)).toEqual([]);
  });
  it('flags an upward import, a worker importing state, and svelte in the profile layer', () => {
    const root = tree({
      'src/profile/a.ts': "import { s } from '../state/s.svelte';\nimport { tick } from 'svelte';",
      'src/state/s.svelte.ts': "export const s = 1;",
      'workers/w.worker.ts': "import { s } from '../src/state/s.svelte';",
      'src/report/r.ts': "const u = new URL('../views/v.ts', import.meta.url);",
    });
    const problems: string[] = findLayerViolations(root);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/profile must not import state/);
    expect(problems.join('\n')).toMatch(/workers must not import state/);
    expect(problems.join('\n')).toMatch(/profile must not import svelte/);
    expect(problems.join('\n')).toMatch(/report must not import views/);
  });
});
