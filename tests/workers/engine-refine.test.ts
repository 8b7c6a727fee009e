// The engine's refine options: a top request with pprof's filters and granularity answers pprof's -top text.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../workers/engine';
import { formatTopText } from '../../src/report/top';
import type { TopRequest } from '../../workers/protocol';
import { LEAKY } from '../helpers/fixtures';
import { readOracle } from '../helpers/run-top';

const file = (name: string) => {
  const b = readFileSync(`${LEAKY}${name}`);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
// The options oracles were made with -nodecount=1000000 -nodefraction=0 -edgefraction=0 on inuse_space (3).
const untrimmed: TopRequest = { sampleIndex: 3, nodeFraction: 0, edgeFraction: 0, sort: 'flat', filter: '', nodeCount: 1000000 };

async function openHeap() {
  const engine = createEngine({ warm: false });
  const r = await engine.open(file('heap_t3.pb.gz'), 'heap_t3.pb.gz');
  if (!r.ok) throw new Error(r.error.message);
  return { engine, id: r.summary.id };
}

describe('engine refine options', () => {
  it.each([
    ['heap_t3.inuse_space.focus.top.txt', { focus: 'leakyMiddleware' }],
    ['heap_t3.inuse_space.focus-relative.top.txt', { focus: 'leakyMiddleware', relativePercentages: true }],
    ['heap_t3.inuse_space.lines.top.txt', { granularity: 'lines' }],
    ['heap_t3.inuse_space.noinlines.top.txt', { noInlines: true }],
    ['heap_t3.inuse_space.show_from.top.txt', { showFrom: 'buildUserProfile' }],
  ] as const)('%s', async (oracle, refine) => {
    const { engine, id } = await openHeap();
    const view = engine.top(id, { ...untrimmed, ...refine });
    expect(formatTopText(view)).toEqual(readOracle(`${LEAKY}options/${oracle}`));
  });

  it('gives the default view back after a refined one (caches keyed by the options)', async () => {
    const { engine, id } = await openHeap();
    const before = formatTopText(engine.top(id, untrimmed));
    engine.top(id, { ...untrimmed, hide: '^runtime\\.' });
    expect(formatTopText(engine.top(id, untrimmed))).toEqual(before);
    expect(formatTopText(engine.top(id, { ...untrimmed, hide: '^runtime\\.' }))).toEqual(
      readOracle(`${LEAKY}options/heap_t3.inuse_space.hide-runtime.top.txt`),
    );
  });

  it('applies nodecount (pprof prints "Showing top N nodes out of M")', async () => {
    const { engine, id } = await openHeap();
    const view = engine.top(id, { sampleIndex: 3, nodeFraction: 0.005, edgeFraction: 0.001, sort: 'flat', filter: '', nodeCount: 20 });
    expect(formatTopText(view)).toEqual(readOracle(`${LEAKY}options/heap_t3.inuse_space.trimmed-nodecount20.top.txt`));
  });

  it('reports filters that matched nothing as pprof warns', async () => {
    const { engine, id } = await openHeap();
    const view = engine.top(id, { ...untrimmed, focus: 'no-such-function' });
    expect(view.notices).toEqual(['Focus expression matched no samples']);
    expect(view.totalRows).toBe(0);
  });
});
