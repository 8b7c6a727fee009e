// @vitest-environment happy-dom
// The safe rebuild of Graphviz's SVG: drawing kept, anything that could run or link dropped, names stay text.

import { describe, expect, it } from 'vitest';
import { buildSafeSvg, findNodeId, indexGraphSvg } from '../../src/views/call-graph/graph-svg';

const GRAPHVIZ_SVG = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg width="62pt" height="139pt" viewBox="0.00 0.00 60.00 150.00" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(4 134.83)">
<g id="node1" class="node" onclick="alert(1)"><title>N1</title>
<g id="a_node1"><a xlink:href="javascript:alert(2)" xlink:title="&lt;script&gt;alert(3)&lt;/script&gt;">
<polygon fill="#edd6d5" stroke="#b20700" points="0,0 10,0 10,10"/>
<text text-anchor="middle" x="27" y="-105" font-size="14.00">&lt;script&gt;alert(4)&lt;/script&gt;</text>
</a></g></g>
<g id="node2" class="node"><title>N2</title><ellipse cx="1" cy="2" rx="3" ry="4"/><script>alert(5)</script>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject></g>
<g id="edge1" class="edge"><title>N1&#45;&gt;N2</title><path d="M0,0C1,1 2,2 3,3" style="fill:red"/></g>
</g></svg>`;

describe('buildSafeSvg', () => {
  const { svg, width, height } = buildSafeSvg(document, GRAPHVIZ_SVG);

  it('keeps the drawing and sizes it from the viewBox in CSS pixels', () => {
    expect(width).toBeCloseTo(80);
    expect(height).toBeCloseTo(200);
    expect(svg.querySelector('polygon')?.getAttribute('fill')).toBe('#edd6d5');
    expect(svg.querySelector('path')?.getAttribute('d')).toBe('M0,0C1,1 2,2 3,3');
    expect(svg.querySelector('ellipse')?.getAttribute('rx')).toBe('3');
  });

  it('keeps a name with markup as text', () => {
    const text = svg.querySelector('text')!;
    expect(text.textContent).toBe('<script>alert(4)</script>');
    expect(text.children).toHaveLength(0);
  });

  it('drops scripts, foreign objects, links, event handlers and styles', () => {
    expect(svg.querySelector('script')).toBeNull();
    expect(svg.querySelector('foreignObject')).toBeNull();
    expect(svg.querySelector('a')).toBeNull();
    const all = [svg, ...Array.from(svg.querySelectorAll('*'))];
    const names = new Set(all.flatMap((el) => Array.from(el.attributes, (a) => a.name)));
    expect([...names].filter((n) => /^on|href|style/.test(n))).toEqual([]);
    expect(svg.textContent).not.toContain('html');
  });

  it('refuses text that is not SVG', () => {
    expect(() => buildSafeSvg(document, '<html><body>no</body></html>')).toThrow(/not an SVG/);
  });
});

describe('indexGraphSvg and findNodeId', () => {
  const { svg } = buildSafeSvg(document, GRAPHVIZ_SVG);
  const index = indexGraphSvg(svg);

  it('finds nodes by their DOT ids and edges by their ends', () => {
    expect([...index.nodes.keys()]).toEqual(['N1', 'N2']);
    expect(index.edges.map((e) => [e.from, e.to])).toEqual([['N1', 'N2']]);
  });

  it('maps an event target inside a node to its id, and anything else to null', () => {
    expect(findNodeId(svg.querySelector('text'))).toBe('N1');
    expect(findNodeId(svg.querySelector('ellipse'))).toBe('N2');
    expect(findNodeId(svg.querySelector('path'))).toBeNull();
    expect(findNodeId(null)).toBeNull();
  });
});
