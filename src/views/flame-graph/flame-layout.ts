// Flame graph layout (pure): frames → rectangles in CSS pixels, hit testing, colours, labels, keyboard moves.

import type { FlameView } from '../../engine-client/client';

/** Row height and the narrowest box drawn, in CSS px (pprof: 20 px rows). */
export const ROW_HEIGHT = 20;
export const MIN_BOX_WIDTH = 0.5;

/**
 * The boxes to draw: box b is frame `frame[b]` at `x[b]`, `y[b]` (top), `w[b]` wide, ROW_HEIGHT high.
 * Frames narrower than MIN_BOX_WIDTH are left out (their value stays inside their parent's box).
 * `boxOf[frame]` is the box of a frame or -1. `height` is the whole graph's height.
 */
export interface FlameLayout {
  count: number;
  frame: Uint32Array;
  x: Float64Array;
  y: Float64Array;
  w: Float64Array;
  boxOf: Int32Array;
  height: number;
  width: number;
}

export interface LayoutOptions {
  width: number;
  /** false: icicle (root on top); true: flame (root at the bottom). */
  flipped: boolean;
}

/** Lays out every frame wide enough; the root spans the whole width. */
export function computeFlameLayout(view: FlameView, options: LayoutOptions): FlameLayout {
  const n = view.length;
  const rootValue = n > 0 ? view.value[0]! : 0;
  const scale = rootValue > 0 ? options.width / rootValue : 0;
  let maxDepth = 0;
  for (let i = 0; i < n; i++) if (view.depth[i]! > maxDepth) maxDepth = view.depth[i]!;
  const height = n > 0 ? (maxDepth + 1) * ROW_HEIGHT : 0;
  const frame = new Uint32Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  const boxOf = new Int32Array(n).fill(-1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const width = view.value[i]! * scale;
    if (width < MIN_BOX_WIDTH) continue;
    // A parent left out leaves its children out too.
    const p = view.parent[i]!;
    if (p >= 0 && boxOf[p]! < 0) continue;
    frame[count] = i;
    x[count] = view.start[i]! * scale;
    const d = view.depth[i]!;
    y[count] = options.flipped ? height - (d + 1) * ROW_HEIGHT : d * ROW_HEIGHT;
    w[count] = width;
    boxOf[i] = count++;
  }
  return { count, frame, x, y, w, boxOf, height, width: options.width };
}

/**
 * Frame `root` and everything under it as a view of its own (root at depth 0 and x 0), made from frames
 * already here: what a zoom shows at once while the engine computes the zoomed frames, which only differ by
 * splitting "other" frames that were too narrow before. Values are the same numbers; nothing is estimated.
 */
export function extractFrames(view: FlameView, root: number): FlameView {
  const n = view.length;
  const newIndex = new Int32Array(n).fill(-1);
  const kept: number[] = [];
  // Frames are ordered by depth, a parent before its children: one pass finds the subtree.
  for (let i = root; i < n; i++) {
    if (i === root || (view.parent[i]! >= 0 && newIndex[view.parent[i]!]! >= 0)) {
      newIndex[i] = kept.length;
      kept.push(i);
    }
  }
  const m = kept.length;
  const pick = <T extends Float64Array | Int32Array | Uint32Array>(a: T, make: (n: number) => T, f: (v: number, i: number) => number = (v) => v): T => {
    const out = make(m);
    for (let k = 0; k < m; k++) out[k] = f(a[kept[k]!]!, kept[k]!);
    return out;
  };
  const base = view.start[root]!;
  const rootDepth = view.depth[root]!;
  return {
    ...view,
    length: m,
    node: pick(view.node, (k) => new Int32Array(k)),
    parent: pick(view.parent, (k) => new Int32Array(k), (p, i) => (i === root ? -1 : newIndex[p]!)),
    depth: pick(view.depth, (k) => new Uint32Array(k), (d) => d - rootDepth),
    start: pick(view.start, (k) => new Float64Array(k), (x) => x - base),
    value: pick(view.value, (k) => new Float64Array(k)),
    self: pick(view.self, (k) => new Float64Array(k)),
    net: pick(view.net, (k) => new Float64Array(k)),
    merged: pick(view.merged, (k) => new Uint32Array(k)),
  };
}

/** The frame under a point (CSS px inside the graph), or -1. */
export function findFrameAt(layout: FlameLayout, px: number, py: number): number {
  for (let b = 0; b < layout.count; b++) {
    const x = layout.x[b]!;
    const y = layout.y[b]!;
    if (py >= y && py < y + ROW_HEIGHT && px >= x && px < x + layout.w[b]!) return layout.frame[b]!;
  }
  return -1;
}

/** Where a frame is reached from the root: its graph nodes, root first (the root itself excluded). */
export function computeFramePath(view: FlameView, frame: number): number[] {
  const path: number[] = [];
  for (let f = frame; f > 0; f = view.parent[f]!) path.push(view.node[f]!);
  return path.reverse();
}

// Per view, a table from node id to its index in the view's node tables (built on first use). A first draw
// of thousands of frames asks for each frame's node; binary searches there, in code not yet compiled, cost
// tens of ms.
const nodeIndexes = new WeakMap<FlameView, Int32Array | null>();

/** Index of a node id in the view's node tables, or -1. */
export function findNodeIndex(view: FlameView, node: number): number {
  let table = nodeIndexes.get(view);
  if (table === undefined) nodeIndexes.set(view, (table = buildNodeIndexTable(view.nodeIds)));
  if (table !== null) return node >= 0 && node < table.length ? table[node]! : -1;
  let lo = 0;
  let hi = view.nodeIds.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = view.nodeIds[mid]!;
    if (v === node) return mid;
    if (v < node) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const frameIndexes = new WeakMap<FlameView, Int32Array>();

/**
 * Per frame of a view, its node's index in the view's node tables (-1: the root, an "other" frame, a node
 * not described). Built once per view: loops over thousands of frames (the legend, a draw) read it instead
 * of looking each node up.
 */
export function readFrameNodeIndexes(view: FlameView): Int32Array {
  let out = frameIndexes.get(view);
  if (!out) {
    out = new Int32Array(view.length);
    for (let f = 0; f < view.length; f++) out[f] = view.node[f]! < 0 ? -1 : findNodeIndex(view, view.node[f]!);
    frameIndexes.set(view, out);
  }
  return out;
}

/** Node id → index (-1: none), or null when the ids are too sparse for a table (then: binary search). */
function buildNodeIndexTable(ids: Int32Array): Int32Array | null {
  const max = ids.length > 0 ? ids[ids.length - 1]! : -1;
  if (max > ids.length * 16 + 4096) return null;
  const table = new Int32Array(max + 1).fill(-1);
  for (let i = 0; i < ids.length; i++) table[ids[i]!] = i;
  return table;
}

/** What a frame is called: its node's printable name, "root" (the whole profile) or "other (N)". */
export function formatFrameName(view: FlameView, frame: number): string {
  const node = view.node[frame]!;
  if (node >= 0) return view.nodeName[findNodeIndex(view, node)] ?? '';
  if (frame === 0) return 'root';
  return `other (${view.merged[frame]} narrow frames)`;
}

/** The label drawn in a box: the function name (file dropped), else the printable name. `nodeIndex`: the frame's, when at hand. */
export function formatFrameLabel(view: FlameView, frame: number, nodeIndex = readFrameNodeIndexes(view)[frame]!): string {
  if (view.node[frame]! < 0) return frame === 0 ? 'root' : 'other';
  return view.nodeFunction[nodeIndex] || view.nodeName[nodeIndex] || '';
}

/** Go's package of a function name: `encoding/json.Marshal` → `encoding/json`, `main.(*s).f` → `main`. */
export function computePackageName(fn: string): string {
  const slash = fn.lastIndexOf('/');
  const dot = fn.indexOf('.', slash + 1);
  return dot < 0 ? fn : fn.slice(0, dot);
}

/** The package of the view's node at index `i` of its node tables (its function name, else its printable name). */
export function computeNodePackage(view: FlameView, i: number): string {
  return computePackageName(view.nodeFunction[i] || view.nodeName[i] || '');
}

/** Whether a package is Go's runtime or standard library (no dot in its first path element), drawn muted. */
export function isStandardPackage(pkg: string): boolean {
  if (pkg === '' || pkg === 'main') return false;
  const first = pkg.split('/')[0]!;
  return !first.includes('.');
}

export type FlamePalette = 'warm' | 'okabe-ito';

/** Okabe–Ito, the colour-blind-safe set (black left out: text must stay readable). */
const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'];

/** FNV-1a of a string: a stable hash, the same colour for a package across sessions. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The fill of a package's boxes: runtime/stdlib muted grey-blue, others by package hash. */
export function computePackageColor(pkg: string, palette: FlamePalette): string {
  const h = hashString(pkg);
  if (isStandardPackage(pkg)) return palette === 'okabe-ito' ? '#BBBBBB' : `hsl(210 12% ${72 + (h % 10)}%)`;
  if (palette === 'okabe-ito') return OKABE_ITO[h % OKABE_ITO.length]!;
  return `hsl(${(h % 50) + 5} ${65 + (h >>> 8) % 20}% ${58 + (h >>> 16) % 12}%)`;
}

/** A legend entry: a package drawn, its colour, and whether it is runtime/stdlib (muted). */
export interface LegendItem {
  pkg: string;
  color: string;
  muted: boolean;
}

/** The packages of a flame graph's frames, widest (Σ self) first, at most `max` of them. */
export function computeLegend(view: FlameView, palette: FlamePalette, max = 8): LegendItem[] {
  // Self per node first (a numeric pass over thousands of frames, in code that has not been compiled yet),
  // then per package over the nodes with any.
  const selfOf = new Float64Array(view.nodeIds.length);
  const drawn = new Uint8Array(view.nodeIds.length);
  const nodeIndex = readFrameNodeIndexes(view);
  for (let f = 1; f < view.length; f++) {
    const i = nodeIndex[f]!;
    if (i < 0) continue;
    selfOf[i]! += view.self[f]!;
    drawn[i] = 1;
  }
  const width = new Map<string, number>();
  for (let i = 0; i < selfOf.length; i++) {
    if (drawn[i] === 0) continue;
    const pkg = computeNodePackage(view, i);
    width.set(pkg, (width.get(pkg) ?? 0) + selfOf[i]!);
  }
  return [...width]
    .sort((a, b) => b[1] - a[1])
    .slice(0, max)
    .map(([pkg]) => ({ pkg, color: computePackageColor(pkg, palette), muted: isStandardPackage(pkg) }));
}

/**
 * A prefix of `text` (ellipsis added when cut) that fits `width` px, with `measure` giving a string's width;
 * '' when not even two characters fit. Few measures: a redraw of thousands of boxes must stay under 16 ms.
 */
export function fitLabel(text: string, width: number, measure: (s: string) => number): string {
  const full = measure(text);
  if (full <= width) return text;
  // Start from the length proportional to the width, then shorten while it does not fit (1–2 steps).
  let n = Math.min(text.length - 1, Math.floor((text.length * width) / full));
  while (n >= 2 && measure(`${text.slice(0, n)}…`) > width) n--;
  return n < 2 ? '' : `${text.slice(0, n)}…`;
}

/**
 * Keyboard moves between frames: Up/Down go to the parent / widest child (in icicle order; flipped they
 * swap so the arrow follows the screen), Left/Right to the previous/next drawn frame on the same row.
 */
export function moveFrame(view: FlameView, layout: FlameLayout, frame: number, key: string, flipped: boolean): number {
  if (frame < 0 || layout.boxOf[frame]! < 0) return layout.count > 0 ? layout.frame[0]! : -1;
  const toParent = flipped ? 'ArrowDown' : 'ArrowUp';
  const toChild = flipped ? 'ArrowUp' : 'ArrowDown';
  if (key === toParent) return view.parent[frame]! >= 0 ? view.parent[frame]! : frame;
  if (key === toChild) {
    let best = -1;
    for (let b = layout.boxOf[frame]! + 1; b < layout.count; b++) {
      const f = layout.frame[b]!;
      if (view.parent[f] === frame && (best < 0 || view.value[f]! > view.value[best]!)) best = f;
    }
    return best >= 0 ? best : frame;
  }
  if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const b = layout.boxOf[frame]!;
    const y = layout.y[b]!;
    const step = key === 'ArrowLeft' ? -1 : 1;
    // Boxes of one depth are consecutive and ordered left to right (frames come by depth).
    for (let o = b + step; o >= 0 && o < layout.count; o += step) if (layout.y[o] === y) return layout.frame[o]!;
    return frame;
  }
  return frame;
}

/** Whether frames come from a diff (any negative value): boxes then show the net change as a bar. */
export function isDiffView(view: FlameView): boolean {
  for (let i = 0; i < view.length; i++) if (view.net[i]! < 0) return true;
  return false;
}

/**
 * pprof's diff overlay for a box `width` px wide: a bar sized to the net change (|net| / value of the box),
 * red when it grew, green when it shrank; null when narrower than a pixel.
 */
export function computeDiffBar(view: FlameView, frame: number, width: number): { width: number; color: string } | null {
  const value = view.value[frame]!;
  const net = view.net[frame]!;
  if (value === 0 || net === 0) return null;
  const w = (Math.abs(net) / value) * width;
  if (w < 1) return null;
  return { width: w, color: net > 0 ? '#d73a3a' : '#2e9e4f' };
}
