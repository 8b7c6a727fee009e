// DOT text: escaping that Graphviz reads back, pprof's colours for positive and negative values, and -diff_base.

import { instance } from '@viz-js/viz';
import { describe, expect, it } from 'vitest';
import { buildNodeMap } from '../../src/graph/nodes';
import { decodeProfile } from '../../src/profile/decode';
import { mergeDiffBase } from '../../src/profile/diff-base';
import { buildDotReport } from '../../src/report/dot';
import { escapeDot, formatDotColor, shortenFunctionName } from '../../src/report/dot-text';
import { encodeFolded } from '../helpers/folded';

const options = { sampleIndex: 0, nodeFraction: 0.005, edgeFraction: 0.001, nodeCount: 0 };

async function dotOf(folded: string) {
  const profile = await decodeProfile(encodeFolded(folded, { mappingFile: '/bin/my"app' }));
  return buildDotReport(profile, buildNodeMap(profile), options);
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

describe('DOT escaping', () => {
  // `.<` keeps pprof's C++ demangling heuristics away, so the name stays as written.
  const evil = 'main.<script>say"hi\\there</script>';

  it('escapes quotes and backslashes so Graphviz lays the graph out and shows the name as written', async () => {
    const report = await dotOf(`main.main;${evil} 10\nmain.main;main.other 5`);
    expect(report.dot).toContain('say\\"hi\\\\there');
    expect(report.nodes.map((n) => n.name)).toContain(evil);
    const viz = await instance();
    const svg = viz.renderString(report.dot, { format: 'svg' });
    expect(svg).not.toContain('<script>');
    // The tooltip comes back unescaped by Graphviz, then XML-escaped in the SVG.
    expect(svg).toContain('main.&lt;script&gt;say&quot;hi\\there&lt;/script&gt; (10)');
  });

  it('escapes a newline as DOT\'s \\n', () => {
    expect(escapeDot('a\nb"c\\')).toBe('a\\nb\\"c\\\\');
  });

  it('shortens names as pprof does (Go package paths, Java packages, C++ namespaces)', () => {
    const cases: [string, string][] = [
      ['net/http.(*conn).serve', 'http.(*conn).serve'],
      ['github.com/a/b/v2/pkg.F', 'pkg.F'],
      ['reflect.Value.call', 'Value.call'],
      ['main.main', 'main.main'],
      ['(anonymous namespace)::ns::Foo::bar', 'Foo::bar'],
    ];
    for (const [name, short] of cases) expect(shortenFunctionName(name), name).toBe(short);
  });
});

describe('node labels', () => {
  it('put the short name one part a line, then the file base name and line at the lines granularity', async () => {
    const profile = await decodeProfile(encodeFolded('main.main;net/http.(*conn).serve 10', { mappingFile: 'app' }));
    const report = buildDotReport(profile, buildNodeMap(profile, { granularity: 'lines', noInlines: false }), options);
    const node = report.nodes.find((n) => n.name.startsWith('net/http.(*conn).serve'))!;
    // The folded helper puts the function in `<package>.go` at line 10.
    expect(node.name).toBe('net/http.(*conn).serve net/http.go:10');
    expect(report.dot).toContain('[label="http\\n(*conn)\\nserve\\nhttp.go:10\\n10 (100%)"');
  });
});

describe('colours', () => {
  it('are grey at 0, red for positive and green for negative scores, mirror images of each other', () => {
    const [r0, g0, b0] = rgb(formatDotColor(0, false));
    expect(r0).toBe(g0);
    expect(g0).toBe(b0);
    for (const s of [0.05, 0.2, 0.5, 1, 3]) {
      for (const bg of [false, true]) {
        const [r, g, b] = rgb(formatDotColor(s, bg));
        const [nr, ng, nb] = rgb(formatDotColor(-s, bg));
        expect(r).toBeGreaterThan(g);
        expect([nr, ng, nb]).toEqual([g, r, b]);
      }
    }
  });

  it('paint the nodes of a shrinking diff green', async () => {
    const profile = await decodeProfile(encodeFolded('main.main;main.f 10\nmain.main;main.g 30'));
    const base = await decodeProfile(encodeFolded('main.main;main.f 5\nmain.main;main.g 90'));
    const report = buildDotReport(mergeDiffBase(profile, base), buildNodeMap(mergeDiffBase(profile, base)), options);
    const line = report.dot.split('\n').find((l) => l.includes('tooltip="main.g '))!;
    const [r, g] = rgb(/ color="(#[0-9a-f]{6})"/.exec(line)![1]!);
    expect(g).toBeGreaterThan(r);
    const grew = report.dot.split('\n').find((l) => l.includes('tooltip="main.f '))!;
    const [r2, g2] = rgb(/ color="(#[0-9a-f]{6})"/.exec(grew)![1]!);
    expect(r2).toBeGreaterThan(g2);
    // -diff_base: percentages of the base's total (95), and no pprof::base tag node.
    expect(report.total).toBe(95);
    expect(report.nodes.some((n) => n.isTag)).toBe(false);
  });
});

describe('mergeDiffBase', () => {
  it('cancels a profile against itself: every node sums to zero', async () => {
    const bytes = encodeFolded('main.main;main.f 10\nmain.main;main.g;main.h 30\nmain.main 4');
    const merged = mergeDiffBase(await decodeProfile(bytes), await decodeProfile(bytes));
    const report = buildDotReport(merged, buildNodeMap(merged), options);
    expect(report.nodes).toEqual([]);
    expect(report.dot).toContain('Showing nodes accounting for 0, 0% of 44 total');
  });
});
