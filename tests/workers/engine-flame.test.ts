// The engine's flame graph and peek replies on heap_t3: root = total, filefunctions nodes, search share, peek text.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../workers/engine';
import { formatPeekText } from '../../src/report/peek';
import { LEAKY } from '../helpers/fixtures';
import { readOracle } from '../helpers/run-top';

const file = (name: string) => {
  const b = readFileSync(`${LEAKY}${name}`);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

async function openHeap() {
  const engine = createEngine({ warm: false });
  const r = await engine.open(file('heap_t3.pb.gz'), 'heap_t3.pb.gz');
  if (!r.ok) throw new Error(r.error.message);
  return { engine, id: r.summary.id, sampleIndex: r.summary.defaultSampleIndex };
}

/** The `cum` column of a row of the top-all oracle, as pprof printed it. */
function oracleCum(oracle: string, name: string): string {
  const row = readOracle(`${LEAKY}${oracle}`).find((l) => l.endsWith(`  ${name}`))!;
  return row.trim().split(/\s+/)[3]!;
}

describe('engine flame graph', () => {
  it('answers frames whose root is the total, named at filefunctions granularity', async () => {
    const { engine, id, sampleIndex } = await openHeap();
    const view = engine.flame(id, { sampleIndex, minFraction: 0 });
    expect(view.value[0]).toBe(view.total);
    const i = view.nodeFunction.indexOf('main.leakyMiddleware.func1');
    expect(view.nodeName[i]).toMatch(/^main\.leakyMiddleware\.func1 \S+server\.go$/);
    expect(view.nodeFile[i]).toMatch(/server\.go$/);
    // The whole-profile cum of its node prints as the oracle's cum (same unit as pprof's -top).
    const { formatScaled } = await import('../../src/report/units');
    expect(formatScaled(view.nodeCum[i]!, view.sampleUnit, view.outputUnit)).toBe(oracleCum('heap_t3.inuse_space.top-all.txt', 'main.leakyMiddleware.func1'));
  });

  it('zooms by path and searches case-insensitively; a bad regex is an error value', async () => {
    const { engine, id, sampleIndex } = await openHeap();
    const top = engine.flame(id, { sampleIndex, minFraction: 0.001 });
    const child = 1;
    const zoom = engine.flame(id, { sampleIndex, minFraction: 0.001, path: [top.node[child]!] });
    expect(zoom.value[0]).toBe(top.value[child]);
    const all = engine.flameMatches(id, sampleIndex, '.');
    expect(all.ok && all.value).toBe(top.total);
    const json = engine.flameMatches(id, sampleIndex, 'JSON');
    expect(json.ok && json.value).toBeGreaterThan(0);
    expect(engine.flameMatches(id, sampleIndex, '(').ok).toBe(false);
  });

  it('applies the refine options: focus keeps the samples through the function', async () => {
    const { engine, id, sampleIndex } = await openHeap();
    const focused = engine.flame(id, { sampleIndex, minFraction: 0, focus: 'buildUserProfile' });
    const row = readOracle(`${LEAKY}heap_t3.inuse_space.top-all.txt`).find((l) => l.endsWith('  main.buildUserProfile'))!;
    // The oracle prints bytes (B) in the untrimmed top: the root is the function's cum.
    expect(`${focused.value[0]}B`).toBe(row.trim().split(/\s+/)[3]);
    const plain = engine.flame(id, { sampleIndex, minFraction: 0 });
    expect(plain.value[0]).toBe(plain.total);
    expect(focused.value[0]).toBeLessThan(plain.value[0]!);
    const m = engine.flameMatches(id, sampleIndex, 'buildUserProfile', { focus: 'buildUserProfile' });
    expect(m.ok && m.value).toBe(focused.value[0]);
  });

  it('peeks like go tool pprof -peek', async () => {
    const { engine, id, sampleIndex } = await openHeap();
    const r = engine.peek(id, { sampleIndex, pattern: 'leakyMiddleware|buildUserProfile' });
    if (!r.ok) throw new Error(r.error);
    expect(formatPeekText(r.report)).toEqual(readOracle(`${LEAKY}options/heap_t3.inuse_space.peek.txt`));
  });
});
