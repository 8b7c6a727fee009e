// The Graphviz layout engine over the real @viz-js/viz (WebAssembly runs in Node too): SVG out, errors answered.

import { instance } from '@viz-js/viz';
import { describe, expect, it } from 'vitest';
import { createLayoutEngine, type Graphviz } from '../../workers/layout';

describe('createLayoutEngine', () => {
  const engine = createLayoutEngine(instance);

  it('lays out a DOT graph into SVG with the node ids and titles pprof gives', async () => {
    const result = await engine.layout('digraph g { N1 [label="main\\nrun" id="node1"]; N2 [id="node2"]; N1 -> N2 [label=" 5MB"] }');
    if (!result.ok) throw new Error(result.error);
    expect(result.svg).toContain('<svg');
    expect(result.svg).toMatch(/<g id="node1" class="node">\s*<title>N1<\/title>/);
    expect(result.svg).toContain('<title>N1&#45;&gt;N2</title>');
    expect(result.ms).toBeGreaterThanOrEqual(0);
  });

  it('answers a syntax error as an error, not a throw', async () => {
    const result = await engine.layout('digraph { N1 -> ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^Graphviz could not lay out the graph/);
  });

  it('answers a failed start as an error and tries again on the next call', async () => {
    let calls = 0;
    const fake: Graphviz = { render: () => ({ status: 'success', output: '<svg/>', errors: [] }) };
    const flaky = createLayoutEngine(async () => {
      calls++;
      if (calls === 1) throw new Error('no wasm');
      return fake;
    });
    const first = await flaky.layout('digraph {}');
    expect(first).toEqual({ ok: false, error: 'Graphviz could not start: no wasm' });
    const second = await flaky.layout('digraph {}');
    expect(second.ok).toBe(true);
    expect(calls).toBe(2);
  });
});
