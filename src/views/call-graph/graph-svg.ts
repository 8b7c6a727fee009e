// Graphviz's SVG made safe to show: parsed as XML and cut down to a short list of drawing elements and
// attributes, so a name can only ever be text (no script, no event handler, no link, no style).

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The drawing elements Graphviz writes for pprof's graphs. `a` is unwrapped (its children kept). */
const ELEMENTS = new Set(['svg', 'g', 'title', 'path', 'polygon', 'polyline', 'ellipse', 'text']);
const ATTRIBUTES = new Set([
  'id',
  'class',
  'd',
  'points',
  'cx',
  'cy',
  'rx',
  'ry',
  'x',
  'y',
  'width',
  'height',
  'viewBox',
  'transform',
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'fill-opacity',
  'stroke-opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
]);

/** A laid-out graph ready to show: the safe SVG element and its natural size in CSS pixels. */
export interface GraphSvg {
  svg: SVGSVGElement;
  width: number;
  height: number;
}

/**
 * Parses the SVG text Graphviz wrote and keeps only drawing elements and attributes (in the parsed
 * document, where nothing runs), then adopts it into `doc`. Throws on text that is not SVG.
 */
export function buildSafeSvg(doc: Document, svgText: string): GraphSvg {
  const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = parsed.documentElement;
  if (root.localName !== 'svg' || root.namespaceURI !== SVG_NS) throw new Error('The layout is not an SVG image');
  cleanElement(root);
  const svg = doc.adoptNode(root) as unknown as SVGSVGElement;
  const [, , w, h] = (svg.getAttribute('viewBox') ?? '').split(/[\s,]+/).map(Number);
  // Graphviz sizes in points (1pt = 4/3 px at 96 dpi); the viewBox is in points too.
  const width = Number.isFinite(w) && w! > 0 ? (w! * 4) / 3 : 0;
  const height = Number.isFinite(h) && h! > 0 ? (h! * 4) / 3 : 0;
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  return { svg, width, height };
}

/** Removes from `el` every attribute but the drawing ones, and below it every element but the drawing ones. */
function cleanElement(el: Element): void {
  for (const attr of Array.from(el.attributes)) {
    if (attr.namespaceURI !== null || !ATTRIBUTES.has(attr.name)) el.removeAttributeNode(attr);
  }
  for (const child of Array.from(el.childNodes)) {
    if (child.nodeType === 3) continue;
    if (child.nodeType !== 1) {
      child.remove();
      continue;
    }
    const c = child as Element;
    if (c.namespaceURI !== SVG_NS || (c.localName !== 'a' && !ELEMENTS.has(c.localName))) {
      c.remove();
      continue;
    }
    cleanElement(c);
    // A link's drawing stays, the link goes.
    if (c.localName === 'a') c.replaceWith(...Array.from(c.childNodes));
  }
}

/** The nodes and edges of a Graphviz SVG by DOT id (a node's `<title>`; an edge's is `from->to`). */
export interface GraphSvgIndex {
  nodes: Map<string, SVGGElement>;
  edges: { from: string; to: string; el: SVGGElement }[];
}

/** Indexes the `g.node` and `g.edge` groups of a graph by the DOT ids in their titles. */
export function indexGraphSvg(svg: SVGSVGElement): GraphSvgIndex {
  const nodes = new Map<string, SVGGElement>();
  const edges: GraphSvgIndex['edges'] = [];
  for (const g of Array.from(svg.querySelectorAll<SVGGElement>('g.node'))) {
    const title = g.querySelector('title')?.textContent ?? '';
    if (title !== '') nodes.set(title, g);
  }
  for (const g of Array.from(svg.querySelectorAll<SVGGElement>('g.edge'))) {
    const title = g.querySelector('title')?.textContent ?? '';
    const at = title.indexOf('->');
    if (at > 0) edges.push({ from: title.slice(0, at), to: title.slice(at + 2), el: g });
  }
  return { nodes, edges };
}

/** The DOT id of the node a DOM event target lies in, or null. */
export function findNodeId(target: EventTarget | null): string | null {
  let el = target instanceof Element ? target : null;
  while (el && !(el.localName === 'g' && el.classList.contains('node'))) el = el.parentElement;
  return el?.querySelector('title')?.textContent ?? null;
}
