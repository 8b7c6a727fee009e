// @vitest-environment happy-dom
// The flame graph's pure layout, labels, colours, keyboard moves and SVG export, on engine replies.

import { describe, expect, it } from 'vitest';
import { createEngine } from '../../workers/engine';
import type { FlameView } from '../../src/engine-client/client';
import { buildFlameSvg, computeFrameFill, type DrawOptions } from '../../src/views/flame-graph/flame-draw';
import { describeFrame } from '../../src/views/flame-graph/flame-format';
import {
  computeFlameLayout,
  computeFramePath,
  computeLegend,
  extractFrames,
  findNodeIndex,
  computePackageColor,
  computePackageName,
  findFrameAt,
  fitLabel,
  formatFrameLabel,
  isStandardPackage,
  moveFrame,
  ROW_HEIGHT,
} from '../../src/views/flame-graph/flame-layout';
import { encodeFolded, randomFolded } from '../helpers/folded';

async function viewOf(folded: string, minFraction = 0): Promise<FlameView> {
  const engine = createEngine({ warm: false });
  const bytes = encodeFolded(folded, { sampleTypes: ['alloc_space/bytes'] });
  const r = await engine.open(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, 'x.pb');
  if (!r.ok) throw new Error(r.error.message);
  return engine.flame(r.summary.id, { sampleIndex: 0, minFraction });
}

const labelOf = (v: FlameView, f: number) => formatFrameLabel(v, f);

describe('computeFlameLayout', () => {
  it('gives the root the full width and each box its share; icicle rows go down, flipped rows go up', async () => {
    const v = await viewOf('main;a;b 6\nmain;c 2');
    const l = computeFlameLayout(v, { width: 800, flipped: false });
    expect(l.count).toBe(v.length);
    expect(l.w[0]).toBe(800);
    const a = l.boxOf[Array.from({ length: v.length }, (_, i) => i).find((f) => labelOf(v, f) === 'a')!]!;
    expect(l.w[a]).toBeCloseTo(600);
    expect(l.y[a]).toBe(2 * ROW_HEIGHT);
    const flipped = computeFlameLayout(v, { width: 800, flipped: true });
    expect(flipped.y[0]).toBe(flipped.height - ROW_HEIGHT);
    expect(flipped.y[a]).toBe(flipped.height - 3 * ROW_HEIGHT);
  });

  it('leaves out boxes under half a pixel (and their children), never widening others', async () => {
    const lines = ['main;big 100000'];
    lines.push('main;tiny;deeper 1');
    const v = await viewOf(lines.join('\n'));
    const l = computeFlameLayout(v, { width: 100, flipped: false });
    const names = Array.from(l.frame.subarray(0, l.count), (f) => labelOf(v, f));
    expect(names).not.toContain('tiny');
    expect(names).not.toContain('deeper');
    expect(names).toContain('big');
  });

  it('finds the frame under a point and the path that zooms into it', async () => {
    const v = await viewOf('main;a;b 6\nmain;c 2');
    const l = computeFlameLayout(v, { width: 800, flipped: false });
    const f = findFrameAt(l, 100, 2 * ROW_HEIGHT + 5);
    expect(labelOf(v, f)).toBe('a');
    expect(computeFramePath(v, f).map((n) => v.nodeFunction[Array.from(v.nodeIds).indexOf(n)])).toEqual(['main', 'a']);
    expect(findFrameAt(l, 700, 2 * ROW_HEIGHT + 5)).toBe(Array.from({ length: v.length }, (_, i) => i).find((i) => labelOf(v, i) === 'c'));
    expect(findFrameAt(l, 799, 10 * ROW_HEIGHT)).toBe(-1);
  });

  it('moves with the arrow keys: down to the widest child, up to the parent, sideways on a row', async () => {
    const v = await viewOf('main;a;b 6\nmain;c 2');
    const l = computeFlameLayout(v, { width: 800, flipped: false });
    const main = moveFrame(v, l, 0, 'ArrowDown', false);
    expect(labelOf(v, main)).toBe('main');
    const a = moveFrame(v, l, main, 'ArrowDown', false);
    expect(labelOf(v, a)).toBe('a');
    expect(labelOf(v, moveFrame(v, l, a, 'ArrowRight', false))).toBe('c');
    expect(moveFrame(v, l, a, 'ArrowUp', false)).toBe(main);
    // Flipped, the arrows follow the screen: Up goes to the child.
    expect(moveFrame(v, l, main, 'ArrowUp', true)).toBe(a);
  });
});

describe('labels, colours, descriptions', () => {
  it('cuts labels to the width with an ellipsis', () => {
    const measure = (s: string) => s.length * 7;
    expect(fitLabel('encoding/json.Marshal', 1000, measure)).toBe('encoding/json.Marshal');
    const cut = fitLabel('encoding/json.Marshal', 70, measure);
    expect(cut.endsWith('…')).toBe(true);
    expect(measure(cut)).toBeLessThanOrEqual(70);
    expect(fitLabel('encoding/json.Marshal', 10, measure)).toBe('');
  });

  it('colours by package: stable, runtime and stdlib muted, a colour-blind-safe set', () => {
    expect(computePackageName('encoding/json.Marshal')).toBe('encoding/json');
    expect(computePackageName('main.(*server).handleUsers')).toBe('main');
    expect(computePackageName('github.com/a/b.(*T).F')).toBe('github.com/a/b');
    expect(isStandardPackage('runtime')).toBe(true);
    expect(isStandardPackage('github.com/a/b')).toBe(false);
    expect(computePackageColor('main', 'warm')).toBe(computePackageColor('main', 'warm'));
    expect(computePackageColor('runtime', 'okabe-ito')).toBe('#BBBBBB');
    expect(computePackageColor('main', 'okabe-ito')).toMatch(/^#[0-9A-F]{6}$/);
  });

  it('describes a frame with pprof units and percentages of total and parent', async () => {
    const v = await viewOf('main;a 3072\nmain;c 1024');
    const a = Array.from({ length: v.length }, (_, i) => i).find((i) => labelOf(v, i) === 'a')!;
    const d = describeFrame(v, a);
    expect(d.cum).toBe('3kB');
    expect(d.cumPercent).toBe('75.00%');
    expect(d.parentPercent).toBe('75.00%');
    expect(d.functionCum).toBe('3kB');
    expect(d.location).toBe('a.go');
  });
});

describe('buildFlameSvg', () => {
  it('keeps a function name with <script> and quotes as text', async () => {
    const v = await viewOf(`main;evil<script>alert("x")</script>'q' 5\nmain 1`);
    const l = computeFlameLayout(v, { width: 1200, flipped: false });
    const svg = buildFlameSvg(document, v, l, { palette: 'warm', matched: null, selectedFunction: '', focused: -1, hovered: -1, dark: false });
    const text = new XMLSerializer().serializeToString(svg);
    expect(text).not.toContain('<script>');
    expect(text).toContain('&lt;script&gt;');
    expect(svg.querySelectorAll('script')).toHaveLength(0);
    // pprof's name cleaning drops `<…>` and `(…)` from the function name; the file name keeps them.
    const name = v.nodeName.find((n) => n.includes('<script>'))!;
    expect(name).toContain(`<script>alert("x")</script>'q'`);
    expect([...svg.querySelectorAll('title')].map((t) => t.textContent)).toContain(name);
    expect(text).toContain(`&lt;script&gt;alert("x")&lt;/script&gt;'q'`);
  });
});

describe('diff profiles', () => {
  it('marks a diff view and sizes the net-change bar: red when it grew, green when it shrank', async () => {
    const v = await viewOf('main;grew 8\nmain;grew -2\nmain;shrank -3\nmain;shrank 1');
    const { computeDiffBar, isDiffView } = await import('../../src/views/flame-graph/flame-layout');
    expect(isDiffView(v)).toBe(true);
    const frame = (n: string) => Array.from({ length: v.length }, (_, i) => i).find((i) => labelOf(v, i) === n)!;
    // grew: |8| + |-2| = 10 wide, net +6 → 60 % of the box, red.
    expect(computeDiffBar(v, frame('grew'), 100)).toEqual({ width: 60, color: '#d73a3a' });
    expect(computeDiffBar(v, frame('shrank'), 100)).toEqual({ width: 50, color: '#2e9e4f' });
    expect(isDiffView(await viewOf('main;a 1'))).toBe(false);
    expect(describeFrame(v, frame('shrank')).net).toBe('-2B');
  });
});

describe('findNodeIndex', () => {
  it('finds each node id of a view, and -1 for others, with dense and with sparse ids', async () => {
    const v = await viewOf('main;a;b 6\nmain;c 2\nmain;a;d 1');
    for (let i = 0; i < v.nodeIds.length; i++) expect(findNodeIndex(v, v.nodeIds[i]!)).toBe(i);
    expect(findNodeIndex(v, -1)).toBe(-1);
    expect(findNodeIndex(v, v.nodeIds[v.nodeIds.length - 1]! + 1)).toBe(-1);
    // Ids too far apart for a lookup table: the same answers by binary search.
    const sparse: FlameView = { ...v, nodeIds: Int32Array.from(v.nodeIds, (id, i) => id + i * 50_000_000) };
    for (let i = 0; i < sparse.nodeIds.length; i++) expect(findNodeIndex(sparse, sparse.nodeIds[i]!)).toBe(i);
    expect(findNodeIndex(sparse, sparse.nodeIds[1]! - 1)).toBe(-1);
    expect(findNodeIndex(sparse, 2 ** 31 - 1)).toBe(-1);
  });
});

describe('computeFrameFill', () => {
  const options = (o: Partial<DrawOptions> = {}): DrawOptions => ({ palette: 'warm', matched: null, selectedFunction: '', focused: -1, hovered: -1, dark: false, ...o });

  it("colours a frame by its function's package in the palette asked, remembered per view without mixing palettes", async () => {
    const v = await viewOf('main.main;encoding/json.Marshal 6\nmain.main;example.com/x.f 2');
    const frameOf = (name: string) => Array.from({ length: v.length }, (_, i) => i).find((f) => labelOf(v, f) === name)!;
    const json = frameOf('encoding/json.Marshal');
    const x = frameOf('example.com/x.f');
    for (const palette of ['warm', 'okabe-ito', 'warm'] as const) {
      expect(computeFrameFill(v, json, options({ palette }))).toBe(computePackageColor('encoding/json', palette));
      expect(computeFrameFill(v, x, options({ palette }))).toBe(computePackageColor('example.com/x', palette));
    }
    // A search dims what it does not match and marks what it does.
    const matched = new Set([v.node[x]!]);
    expect(computeFrameFill(v, x, options({ matched }))).toBe('#ee00ee');
    expect(computeFrameFill(v, json, options({ matched }))).toBe('#e4e6e9');
  });
});

describe('computeLegend', () => {
  it('lists the packages drawn by self value, widest first, runtime and stdlib muted, at most `max`', async () => {
    const v = await viewOf('main.main;encoding/json.Marshal 6\nmain.main;runtime.mallocgc 9\nmain.main;net/http.(*conn).serve 2\nmain.main 1');
    const legend = computeLegend(v, 'warm');
    expect(legend.map((i) => i.pkg)).toEqual(['runtime', 'encoding/json', 'net/http', 'main']);
    expect(legend[0]).toEqual({ pkg: 'runtime', color: computePackageColor('runtime', 'warm'), muted: true });
    expect(legend.map((i) => i.muted)).toEqual([true, true, true, false]);
    expect(computeLegend(v, 'okabe-ito', 2).map((i) => i.pkg)).toEqual(['runtime', 'encoding/json']);
    // A package drawn without self of its own still has its colour explained, after the others.
    const inner = await viewOf('main.main;example.com/mw.Wrap;encoding/json.Marshal 6\nmain.main;runtime.mallocgc 9');
    expect(computeLegend(inner, 'warm').map((i) => i.pkg)).toEqual(['runtime', 'encoding/json', 'main', 'example.com/mw']);
  });
});

describe('extractFrames', () => {
  it('gives a frame\'s subtree as the engine gives the zoom into it (no frame too narrow at either)', async () => {
    const engine = createEngine({ warm: false });
    const bytes = encodeFolded(randomFolded(21, true), { sampleTypes: ['a/count', 'b/bytes'] });
    const r = await engine.open(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, 'x.pb');
    if (!r.ok) throw new Error(r.error.message);
    const columns = ['node', 'parent', 'depth', 'start', 'value', 'self', 'net', 'merged'] as const;
    const whole = engine.flame(r.summary.id, { sampleIndex: 1, minFraction: 0 });
    let compared = 0;
    for (let f = 1; f < whole.length; f++) {
      if (whole.node[f]! < 0) continue;
      const zoomed = engine.flame(r.summary.id, { sampleIndex: 1, minFraction: 0, path: computeFramePath(whole, f) });
      const cut = extractFrames(whole, f);
      expect(cut.length).toBe(zoomed.length);
      for (const c of columns) expect(Array.from(cut[c]), `${c} of frame ${f}`).toEqual(Array.from(zoomed[c]));
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('keeps merged "other" frames as they were (the engine splits them when it has zoomed)', async () => {
    const v = await viewOf('main;a;b 90\nmain;a;c 1\nmain;a;d 1\nmain;e 8', 0.05);
    const a = Array.from({ length: v.length }, (_, i) => i).find((f) => labelOf(v, f) === 'a')!;
    const cut = extractFrames(v, a);
    expect(cut.value[0]).toBe(v.value[a]);
    expect(cut.depth[0]).toBe(0);
    expect(cut.start[0]).toBe(0);
    expect(cut.parent[0]).toBe(-1);
    // b and one "other" frame for c and d (each under 5 % of the root).
    expect(cut.length).toBe(3);
    expect(Array.from(cut.merged)).toContain(2);
  });
});

