// Pan and zoom of the call graph: a translation (px) and a scale, changed around a point.

export interface PanZoom {
  x: number;
  y: number;
  scale: number;
}

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 8;

function clampScale(scale: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** Zooms by `factor` keeping the content point under (px, py) where it is. */
export function zoomAt(view: PanZoom, factor: number, px: number, py: number): PanZoom {
  const scale = clampScale(view.scale * factor);
  const k = scale / view.scale;
  return { scale, x: px - (px - view.x) * k, y: py - (py - view.y) * k };
}

/** Moves by (dx, dy) px. */
export function panBy(view: PanZoom, dx: number, dy: number): PanZoom {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/** Fits content of size (w, h) into a viewport (vw, vh) with a margin, centred, never enlarged past 1:1. */
export function fitView(w: number, h: number, vw: number, vh: number, margin = 16): PanZoom {
  if (w <= 0 || h <= 0 || vw <= 0 || vh <= 0) return { x: 0, y: 0, scale: 1 };
  const scale = clampScale(Math.min(1, (vw - 2 * margin) / w, (vh - 2 * margin) / h));
  return { scale, x: (vw - w * scale) / 2, y: Math.max(margin, (vh - h * scale) / 2) };
}

/** The zoom factor of a wheel event's deltaY (a pinch on a touchpad arrives as a wheel with ctrlKey). */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const px = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-px / 300);
}
