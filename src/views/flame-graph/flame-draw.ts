// Draws a laid-out flame graph on a 2D canvas context, and builds the same picture as an SVG element.

import type { FlameView } from '../../engine-client/client';
import {
  computeDiffBar,
  computePackageColor,
  computeNodePackage,
  isDiffView,
  fitLabel,
  formatFrameLabel,
  formatFrameName,
  readFrameNodeIndexes,
  ROW_HEIGHT,
  type FlameLayout,
  type FlamePalette,
} from './flame-layout';

/** What a drawing highlights: node ids matched by the search, the selected function, the focused frame. */
export interface DrawOptions {
  palette: FlamePalette;
  matched: Set<number> | null;
  selectedFunction: string;
  focused: number;
  hovered: number;
  dark: boolean;
}

const FONT = '12px system-ui, sans-serif';
const TEXT_MIN_WIDTH = 16;

/** The fill of frame `frame` (package colour, dimmed when a search runs and it does not match). */
export function computeFrameFill(view: FlameView, frame: number, options: DrawOptions): string {
  return fillFrame(view, frame, readFrameNodeIndexes(view)[frame]!, options, readNodeFills(view, options.palette));
}

/** computeFrameFill with the frame's node index and the view's fills at hand (a draw's loop). */
function fillFrame(view: FlameView, frame: number, i: number, options: DrawOptions, fills: (string | undefined)[]): string {
  const node = view.node[frame]!;
  if (node < 0) return frame === 0 ? '#9aa5b1' : '#c8ccd2';
  if (options.matched && !options.matched.has(node)) return options.dark ? '#3a3f45' : '#e4e6e9';
  if (options.matched) return '#ee00ee';
  return i < 0 ? packageFill('', options.palette) : (fills[i] ??= packageFill(computeNodePackage(view, i), options.palette));
}

// Colours are the same for every draw: remembered per node of the view (redraws on hover), and per package
// (a new view: thousands of nodes, a few hundred packages).
const nodeFills = new WeakMap<FlameView, { palette: FlamePalette; fill: (string | undefined)[] }>();

function readNodeFills(view: FlameView, palette: FlamePalette): (string | undefined)[] {
  let fills = nodeFills.get(view);
  if (!fills || fills.palette !== palette) nodeFills.set(view, (fills = { palette, fill: new Array(view.nodeIds.length) }));
  return fills.fill;
}

const packageFills = { warm: new Map<string, string>(), 'okabe-ito': new Map<string, string>() } satisfies Record<FlamePalette, Map<string, string>>;

function packageFill(pkg: string, palette: FlamePalette): string {
  const known = packageFills[palette];
  let color = known.get(pkg);
  if (color === undefined) {
    if (known.size > 10_000) known.clear();
    known.set(pkg, (color = computePackageColor(pkg, palette)));
  }
  return color;
}

function isSelected(view: FlameView, i: number, fn: string): boolean {
  return fn !== '' && i >= 0 && view.nodeFunction[i] === fn;
}

// Character widths per canvas context: measureText is the slow part of a first draw (thousands of labels,
// each measured whole and again cut). With kerning off (drawFlame sets it), a string's width is the sum of
// its characters' advances, so each character is measured once.
// Whole labels are remembered too (redraws on hover or zoom meet the same ones).
const charWidths = new WeakMap<CanvasRenderingContext2D, { ascii: Float64Array; other: Map<number, number>; labels: Map<string, number> }>();

/** A string-width function for `ctx` (its font set): the sum of per-character widths, each measured once. */
function createTextMeasure(ctx: CanvasRenderingContext2D): (s: string) => number {
  let widths = charWidths.get(ctx);
  if (!widths) charWidths.set(ctx, (widths = { ascii: new Float64Array(128).fill(-1), other: new Map(), labels: new Map() }));
  const { ascii, other, labels } = widths;
  const measureChar = (c: number) => ctx.measureText(String.fromCharCode(c)).width;
  return (s: string) => {
    const known = labels.get(s);
    if (known !== undefined) return known;
    if (labels.size > 50_000) labels.clear();
    const w = sumWidths(s);
    labels.set(s, w);
    return w;
  };
  function sumWidths(s: string): number {
    let w = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 128) {
        let cw = ascii[c]!;
        if (cw < 0) cw = ascii[c] = measureChar(c);
        w += cw;
        continue;
      }
      let cw = other.get(c);
      if (cw === undefined) other.set(c, (cw = measureChar(c)));
      w += cw;
    }
    return w;
  }
}

/** Draws every box of `layout` on `ctx` (already scaled to CSS px), clearing `width` × `height` first. */
export function drawFlame(ctx: CanvasRenderingContext2D, view: FlameView, layout: FlameLayout, options: DrawOptions): void {
  ctx.clearRect(0, 0, layout.width, layout.height);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  // Labels are cut by summed character widths (createTextMeasure): drawn without kerning they fit as measured.
  ctx.fontKerning = 'none';
  const measure = createTextMeasure(ctx);
  // A diff: grey boxes (width ∝ gained + lost) with a bar for the net change, as pprof draws them.
  const diff = isDiffView(view);
  const nodeIndex = readFrameNodeIndexes(view);
  const fills = readNodeFills(view, options.palette);
  for (let b = 0; b < layout.count; b++) {
    const f = layout.frame[b]!;
    const i = nodeIndex[f]!;
    const x = layout.x[b]!;
    const y = layout.y[b]!;
    const w = layout.w[b]!;
    ctx.fillStyle = diff && !options.matched ? '#d5d8dc' : fillFrame(view, f, i, options, fills);
    ctx.fillRect(x, y, Math.max(w - 1, 0.5), ROW_HEIGHT - 1);
    const bar = diff ? computeDiffBar(view, f, w - 1) : null;
    if (bar) {
      ctx.fillStyle = bar.color;
      ctx.fillRect(x, y + ROW_HEIGHT - 6, bar.width, 5);
    }
    if (isSelected(view, i, options.selectedFunction) || f === options.focused || f === options.hovered) {
      ctx.strokeStyle = f === options.focused ? '#1f6feb' : '#111';
      ctx.lineWidth = 2;
      ctx.strokeRect(x + 1, y + 1, Math.max(w - 3, 0.5), ROW_HEIGHT - 3);
    }
    if (w >= TEXT_MIN_WIDTH) {
      const label = fitLabel(formatFrameLabel(view, f, i), w - 6, measure);
      if (label !== '') {
        ctx.fillStyle = '#111';
        ctx.fillText(label, x + 3, y + ROW_HEIGHT / 2);
      }
    }
  }
}

/**
 * The flame graph as an SVG element, built with DOM APIs: every profile string is a text node or an
 * attribute value, so `<script>` or quotes in a function name stay text when serialised.
 */
export function buildFlameSvg(doc: Document, view: FlameView, layout: FlameLayout, options: DrawOptions): SVGSVGElement {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = doc.createElementNS(NS, 'svg');
  svg.setAttribute('xmlns', NS);
  svg.setAttribute('width', String(layout.width));
  svg.setAttribute('height', String(layout.height));
  svg.setAttribute('font-family', 'system-ui, sans-serif');
  svg.setAttribute('font-size', '12');
  const approx = (s: string) => s.length * 7;
  for (let b = 0; b < layout.count; b++) {
    const f = layout.frame[b]!;
    const g = doc.createElementNS(NS, 'g');
    const title = doc.createElementNS(NS, 'title');
    title.textContent = formatFrameName(view, f);
    g.append(title);
    const rect = doc.createElementNS(NS, 'rect');
    rect.setAttribute('x', layout.x[b]!.toFixed(2));
    rect.setAttribute('y', String(layout.y[b]));
    rect.setAttribute('width', Math.max(layout.w[b]! - 1, 0.5).toFixed(2));
    rect.setAttribute('height', String(ROW_HEIGHT - 1));
    rect.setAttribute('fill', computeFrameFill(view, f, options));
    g.append(rect);
    if (layout.w[b]! >= TEXT_MIN_WIDTH) {
      const label = fitLabel(formatFrameLabel(view, f), layout.w[b]! - 6, approx);
      if (label !== '') {
        const text = doc.createElementNS(NS, 'text');
        text.setAttribute('x', (layout.x[b]! + 3).toFixed(2));
        text.setAttribute('y', String(layout.y[b]! + 14));
        text.textContent = label;
        g.append(text);
      }
    }
    svg.append(g);
  }
  return svg;
}
